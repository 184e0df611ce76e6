"""The status link's per-address limit counts residents, not the proxy in front of us."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import report_claim, token_sent

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


def _get(client, token: str, forwarded: str):
    return client.get(
        reverse("status", args=[token]), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
    ).status_code


def test_behind_a_trusted_proxy_each_resident_has_a_bucket(client, world, clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.STATUS_LINK_RATE_PER_IP = 2
    settings.STATUS_LINK_RATE_PER_TOKEN = 1000
    token = token_sent(report_claim(world))
    assert [_get(client, token, "203.0.113.7") for _ in range(3)] == [200, 200, 429]
    # Another resident through the same proxy is not held up by the first.
    assert _get(client, token, "203.0.113.8") == 200
    # What a resident writes in the header themselves does not give a fresh bucket:
    # the proxy appends the real address, and that one counts.
    assert _get(client, token, "198.51.100.99, 203.0.113.7") == 429


def test_without_a_trusted_proxy_a_forged_header_is_ignored(client, world, clock, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.TRUSTED_PROXIES = []
    settings.STATUS_LINK_RATE_PER_IP = 2
    settings.STATUS_LINK_RATE_PER_TOKEN = 1000
    token = token_sent(report_claim(world))
    assert _get(client, token, "203.0.113.7") == 200
    assert _get(client, token, "203.0.113.8") == 200
    # A new made-up address each time does not escape the limit on REMOTE_ADDR.
    assert _get(client, token, "203.0.113.9") == 429


def test_trusted_proxies_by_address(client, world, clock, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.STATUS_LINK_RATE_PER_IP = 1
    settings.STATUS_LINK_RATE_PER_TOKEN = 1000
    token = token_sent(report_claim(world))
    assert _get(client, token, "203.0.113.7") == 200
    assert _get(client, token, "203.0.113.8") == 200
    assert _get(client, token, "203.0.113.7") == 429
    # Not from our proxy: its header is not believed.
    direct = client.get(
        reverse("status", args=[token]),
        REMOTE_ADDR="198.51.100.1",
        HTTP_X_FORWARDED_FOR="203.0.113.50",
    )
    assert direct.status_code == 200
    again = client.get(
        reverse("status", args=[token]),
        REMOTE_ADDR="198.51.100.1",
        HTTP_X_FORWARDED_FOR="203.0.113.51",
    )
    assert again.status_code == 429
