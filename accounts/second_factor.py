"""Who must sign in with a second factor, and whether they have one."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings

from .models import User

# People who see many residents' cases or can change who sees what.
REQUIRED_ROLES = (
    User.Role.HANDLER,
    User.Role.MANAGER,
    User.Role.ADMINISTRATOR,
    User.Role.PRIVACY_OFFICER,
)
# Accounts made by `seed_demo --demo-users` for trying Woonrust out on one machine.
DEMO_DOMAIN = "@demo.woonrust.nl"
# Recovery codes alone are a fallback, not a second factor.
FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def must_have_second_factor(user: User) -> bool:
    if not (user.is_superuser or user.role in REQUIRED_ROLES):
        return False
    # The demo accounts sign in with a published password; only a local DEBUG run
    # may let them in without a second factor.
    return not (settings.DEBUG and user.email.lower().endswith(DEMO_DOMAIN))


def has_second_factor(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type__in=FACTOR_TYPES).exists()
