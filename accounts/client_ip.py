"""The address a request came from, for rate limits and the sign-in log.

Behind reverse proxies REMOTE_ADDR is the nearest proxy, so everyone would share one
address. Each trusted proxy appends the address it saw to X-Forwarded-For; the client
is the right-most address that is not one of our proxies. Anything further left was
written by the client and is not believed. With no proxy trusted (the default)
X-Forwarded-For is ignored altogether: a client could write anything there.

Not django-ipware: it expects the proxies' own addresses inside X-Forwarded-For, so
behind one nginx (X-Forwarded-For: <client>, REMOTE_ADDR: nginx) with proxy_count=1 it
finds no client at all (tried with 8.0, modern and legacy algorithms).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    proxies = [ipaddress.ip_network(p, strict=False) for p in settings.TRUSTED_PROXIES]
    forwarded = request.headers.get("x-forwarded-for", "")
    if not forwarded.strip() or not (count or proxies):
        return remote
    chain = [part.strip() for part in forwarded.split(",")] + [remote]
    if proxies:
        # Walk back from our side while the address is one of our proxies.
        for address in reversed(chain):
            parsed = _parse(address)
            if parsed is None:
                break
            if not any(parsed in network for network in proxies):
                return str(parsed)
        return remote
    # `count` proxies: the nearest is REMOTE_ADDR, each wrote one entry on the right.
    parsed = _parse(chain[max(0, len(chain) - count - 1)])
    return str(parsed) if parsed is not None else remote


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None
