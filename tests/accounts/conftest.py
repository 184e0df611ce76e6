"""Signing in as a person would: through the form, with a clean rate-limit cache."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
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


def signed_in_as(client):
    from django.contrib.auth import get_user

    return get_user(client)
