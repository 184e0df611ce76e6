"""Signing in as a person would: through the form, with a clean rate-limit cache."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache

from tests.conftest import PASSWORD

REDIS_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/10",
    }
}


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post("/login/", {"login": email, "password": password})


def totp_code(secret: str, when: float) -> str:
    """The code an authenticator app shows at `when` (allauth's own HOTP helpers)."""
    from allauth.mfa import app_settings

    return format_hotp_value(hotp_value(secret, int(when // app_settings.TOTP_PERIOD)))


def signed_in_as(client):
    from django.contrib.auth import get_user

    return get_user(client)
