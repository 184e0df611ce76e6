"""accounts.client_ip: which address is the client's, for each proxy setting."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from accounts.client_ip import client_ip

PROXY = "10.0.0.1"


@pytest.mark.parametrize(
    ("count", "proxies", "remote", "forwarded", "expected"),
    [
        # No proxy trusted: the header is the client's own writing.
        (0, [], PROXY, "203.0.113.7", PROXY),
        (0, [], "198.51.100.1", None, "198.51.100.1"),
        # One proxy: it appended the address it saw; entries left of it are the client's.
        (1, [], PROXY, "203.0.113.7", "203.0.113.7"),
        (1, [], PROXY, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        (1, [], PROXY, None, PROXY),
        (1, [], PROXY, "not an address", PROXY),
        # Two proxies: the outer one's entry is the client's.
        (2, [], PROXY, "6.6.6.6, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        # Proxies by address: the right-most address that is not one of ours.
        (0, ["10.0.0.0/24"], PROXY, "6.6.6.6, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (0, ["10.0.0.0/24"], "198.51.100.1", "203.0.113.7", "198.51.100.1"),
        (0, ["2001:db8::/32"], "2001:db8::1", "2001:db8:ffff::5, 2a00:1450::1", "2a00:1450::1"),
    ],
)
def test_client_ip(settings, count, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    settings.TRUSTED_PROXIES = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **extra)
    assert client_ip(request) == expected
