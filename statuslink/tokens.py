"""Status link tokens: unguessable, stored only as a hash, derivable again for messages.

A link is `/s/<token>/`. The token is 256 bits: an HMAC-SHA256, under a key derived
from SECRET_KEY, of a random 256-bit secret stored with the case
(`status_link_secret`). The case also stores the token's SHA-256 (`status_token`), and
a request is matched on that hash. So:

- a copy of the database alone does not give anyone a working link (the HMAC key is not
  in it), yet every later message can carry the same link again (`plain_token`);
- revoking clears both columns, so a revoked token finds no row — exactly like a token
  that never existed;
- rotating SECRET_KEY (with the old key in SECRET_KEY_FALLBACKS) keeps links working:
  `plain_token` tries each key and keeps the one whose hash matches.

Nothing here touches the database; statuslink/services.py saves.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import secrets

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

KEY_SALT = "woonrust.statuslink.token"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _derive(secret: str, key: str) -> str:
    digest = salted_hmac(KEY_SALT, secret, secret=key, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def assign(case, now: datetime.datetime) -> str:
    """Give `case` a new link (in memory; the caller saves) and return its token.

    Any earlier link of the case stops working once this is saved."""
    secret = secrets.token_hex(32)
    token = _derive(secret, settings.SECRET_KEY)
    case.status_link_secret = secret
    case.status_token = token_hash(token)
    case.status_link_issued_at = now
    case.status_link_revoked_at = None
    return token


def cleared(now: datetime.datetime) -> dict:
    """The link fields of a case whose link no longer works, e.g. for a
    `QuerySet.update` of many cases at once."""
    return {"status_link_secret": "", "status_token": None, "status_link_revoked_at": now}


def clear(case, now: datetime.datetime) -> None:
    """Make the case's link stop working (in memory; the caller saves)."""
    for name, value in cleared(now).items():
        setattr(case, name, value)


def plain_token(case) -> str | None:
    """The case's current token, or None when it has no working link."""
    if not case.status_link_secret or not case.status_token:
        return None
    for key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        token = _derive(case.status_link_secret, key)
        if constant_time_compare(token_hash(token), case.status_token):
            return token
    return None


def link_url(token: str) -> str:
    return f"{settings.SITE_URL}/s/{token}/"


def case_link_url(case) -> str:
    """The full link for messages, or "" when the case has none."""
    token = plain_token(case)
    return link_url(token) if token else ""


def expires_at(case) -> datetime.datetime | None:
    """When the link stops working: a set time after the case closed; None while open."""
    if case.is_open:
        return None
    closed = getattr(case, "closed_at", None) or getattr(case, "settled_at", None)
    closed = closed or case.status_changed_at
    return closed + datetime.timedelta(days=settings.STATUS_LINK_DAYS_AFTER_CLOSE)
