"""Wrong passwords are throttled per account and per address, then the lock lifts by
itself; failures and lockouts are logged without the password."""

from __future__ import annotations

import datetime
import logging

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import PASSWORD

from .conftest import REDIS_CACHE, sign_in, signed_in_as

WRONG = "not-the-password-123"


@pytest.fixture(params=["configured", "redis"])
def any_cache(request, settings):
    """The cache the settings configure (this process's memory in tests) and Redis, as
    production runs it: the lock must hold with both."""
    if request.param == "redis":
        settings.CACHES = REDIS_CACHE
    from django.core.cache import cache

    cache.clear()
    yield request.param
    cache.clear()


def test_eleventh_try_is_refused_even_with_the_right_password(client, world, any_cache, caplog):
    email = world.supervisor.email
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock, caplog.at_level(logging.INFO):
        for _ in range(10):
            response = sign_in(client, email, WRONG)
            assert response.status_code == 200
            assert not signed_in_as(client).is_authenticated
            clock.shift(datetime.timedelta(seconds=30))
        response = sign_in(client, email, PASSWORD)
        assert response.status_code == 200
        assert not signed_in_as(client).is_authenticated
        assert "Te veel inlogpogingen" in response.text
        assert 'value="uitvoerder@jansen.nl"' in response.text
    failures = [r.getMessage() for r in caplog.records if r.name == "woonrust.signin"]
    assert failures.count(f"Sign-in failed: user {world.supervisor.pk} from 127.0.0.1") == 10
    refused = "Sign-in refused, too many failures for the account or address"
    assert f"{refused}: user {world.supervisor.pk} from 127.0.0.1" in failures
    assert not any(WRONG in r.getMessage() or PASSWORD in r.getMessage() for r in caplog.records)

    # Fifteen minutes after the first failure the window has passed by itself.
    with time_machine.travel(start + datetime.timedelta(minutes=15, seconds=1), tick=False):
        response = sign_in(client, email, PASSWORD)
        assert response.status_code == 302
        assert signed_in_as(client) == world.supervisor


def test_a_right_password_between_wrong_ones_does_not_reset_the_count(client, world):
    email = world.supervisor.email

    def attempt(clock, password: str):
        clock.shift(datetime.timedelta(seconds=5))
        return sign_in(client, email, password)

    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(5):
            attempt(clock, WRONG)
        assert attempt(clock, PASSWORD).status_code == 302
        client.post("/logout/")
        for _ in range(5):
            attempt(clock, WRONG)
        assert not signed_in_as(client).is_authenticated
        # Ten wrong in the window: locked, although one sign-in succeeded in between.
        assert attempt(clock, PASSWORD).status_code == 200
        assert not signed_in_as(client).is_authenticated


def test_the_lock_is_per_account(client, world):
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(10):
            sign_in(client, world.supervisor.email, WRONG)
        assert sign_in(client, world.colleague_off_team.email, PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_stopped(client, world, caplog):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        # Fifty failures from one address, one try per made-up account, spread over
        # minutes so that the per-minute limit on sign-in pages is not what stops it.
        for n in range(50):
            sign_in(client, f"gok{n}@example.nl", WRONG)
            clock.shift(datetime.timedelta(seconds=10))
        response = sign_in(client, world.supervisor.email, PASSWORD)
        assert not signed_in_as(client).is_authenticated
        assert "Te veel inlogpogingen" in response.text
        # From another address the same account signs in.
        other = client.post(
            "/login/",
            {"login": world.supervisor.email, "password": PASSWORD},
            REMOTE_ADDR="10.1.2.3",
        )
        assert other.status_code == 302
    messages = [r.getMessage() for r in caplog.records]
    assert len([m for m in messages if "unknown g***@example.nl" in m]) == 50
    assert not any("gok1@" in m for m in messages)
