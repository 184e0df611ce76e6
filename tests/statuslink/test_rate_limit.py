"""Requests to status links are limited per client address and per token."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cases.models import DamageClaim
from statuslink import tokens

from .conftest import report_claim, token_sent

pytestmark = pytest.mark.django_db


def test_guessing_from_one_address_is_stopped(client, world, clock, settings):
    settings.STATUS_LINK_RATE_PER_IP = 5
    settings.STATUS_LINK_RATE_PER_TOKEN = 1000
    claim = report_claim(world)
    real = token_sent(claim)
    guesses = [tokens.assign(DamageClaim(), claim.created_at) for _ in range(5)]
    assert [client.get(reverse("status", args=[t])).status_code for t in guesses] == [404] * 5
    # The sixth request in the minute is refused, even with the right token.
    response = client.get(reverse("status", args=[real]))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store, private"
    assert "Wacht één minuut." in response.content.decode()
    # Another address is not affected.
    assert client.get(reverse("status", args=[real]), REMOTE_ADDR="10.0.0.7").status_code == 200
    # Next minute, the first address may try again.
    clock.shift(datetime.timedelta(minutes=1))
    assert client.get(reverse("status", args=[real])).status_code == 200


def test_one_token_hammered_from_many_addresses_is_stopped(client, world, clock, settings):
    settings.STATUS_LINK_RATE_PER_IP = 1000
    settings.STATUS_LINK_RATE_PER_TOKEN = 3
    claim = report_claim(world)
    token = token_sent(claim)
    codes = [
        client.get(reverse("status", args=[token]), REMOTE_ADDR=f"10.0.0.{n}").status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]


def test_posts_count_too(client, world, clock, settings):
    settings.STATUS_LINK_RATE_PER_IP = 2
    claim = report_claim(world)
    token = token_sent(claim)
    url = reverse("status_updates", args=[token])
    assert client.post(url, {"updates": "off"}).status_code == 303
    assert client.post(url, {"updates": "on"}).status_code == 303
    assert client.post(url, {"updates": "off"}).status_code == 429
    world.resident.refresh_from_db()
    assert world.resident.non_essential_messages is True
