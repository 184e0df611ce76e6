"""Finding the case behind a token, and the rate limits in front of that.

Unknown, revoked and expired tokens must look the same from outside: the same two
queries run for every token (claims, then complaints, by the token's hash), and the
caller answers all three with the same 404 page.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from accounts.client_ip import client_ip
from cases.models import Complaint, DamageClaim

from . import tokens

logger = logging.getLogger(__name__)

StatusCase = DamageClaim | Complaint

# What the page shows about a case, loaded with it.
RELATED = ("project__corporation", "project__contractor", "handler", "resident")
# Longer input than a token is cut before hashing; it cannot match anyway.
MAX_TOKEN_INPUT = 100


def case_for_token(token: str, now: datetime.datetime) -> StatusCase | None:
    """The case whose working link this is, or None (unknown, revoked or expired)."""
    digest = tokens.token_hash(token[:MAX_TOKEN_INPUT])
    # Both queries always run, whatever the first one finds: same work for every token.
    claims = list(DamageClaim.objects.select_related(*RELATED).filter(status_token=digest)[:1])
    complaints = list(Complaint.objects.select_related(*RELATED).filter(status_token=digest)[:1])
    found = (claims or complaints or [None])[0]
    if found is None:
        return None
    expires = tokens.expires_at(found)
    if expires is not None and expires <= now:
        return None
    return found


def _bucket(kind: str, value: str) -> str:
    # Client input never goes into a cache key as it is.
    return f"statuslink:rl:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:24]}"


def rate_limited(request: HttpRequest, token: str) -> bool:
    """Count this request in fixed one-minute windows, per client address and per token
    (its first characters); True when either is over its limit. A cache that does not
    answer lets the request through (logged): the page must not fail with it."""
    window = int(time.time() // 60)
    limits = [
        (_bucket("ip", client_ip(request)), settings.STATUS_LINK_RATE_PER_IP),
        (_bucket("token", token[:8]), settings.STATUS_LINK_RATE_PER_TOKEN),
    ]
    over = False
    try:
        for key, limit in limits:
            key = f"{key}:{window}"
            cache.add(key, 0, timeout=120)
            if cache.incr(key) > limit:
                over = True
    except Exception:
        logger.warning("Rate limit cache unavailable; request let through.", exc_info=True)
        return False
    return over
