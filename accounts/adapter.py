"""How allauth fits Woonrust: nobody signs up, addresses come from our proxy setting,
and failed sign-ins and lockouts are logged without the password."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from .client_ip import client_ip

logger = logging.getLogger("woonrust.signin")


def masked_email(email: str) -> str:
    """Enough to recognise an address in the log, not enough to harvest it."""
    local, _, domain = email.strip().lower().partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Administrators create people; there is no self sign-up.
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except Exception:
            logger.warning(
                "Sign-in refused, too many failures for the account or address: %s from %s",
                _who(credentials),
                self.get_client_ip(request),
            )
            raise

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        logger.warning("Sign-in failed: %s from %s", _who(credentials), self.get_client_ip(request))


def log_failed_code(*, request: HttpRequest, user: Any, reauthentication: bool, **_: Any) -> None:
    """A wrong authenticator or recovery code (allauth.mfa's authentication_failed):
    someone may have the password. allauth counts these like wrong passwords."""
    logger.warning(
        "Second-factor code wrong%s: user %s from %s",
        " (confirming it is them)" if reauthentication else "",
        user.pk,
        client_ip(request),
    )


def _who(credentials: dict[str, Any]) -> str:
    from .models import User

    email = credentials.get("email") or credentials.get("username") or ""
    user = User.objects.filter(email__iexact=email).only("pk").first() if email else None
    if user is not None:
        return f"user {user.pk}"
    # Unknown address: masked, plus a short digest so repeated tries can be correlated.
    digest = hashlib.sha256(email.lower().encode()).hexdigest()[:8]
    return f"unknown {masked_email(email)} ({digest})"
