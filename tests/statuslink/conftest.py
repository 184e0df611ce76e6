"""Cases with status links, made through the real services (so the link is issued and
sent like in production), and a clean rate-limit cache for every test."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache

from cases.messages.link import body_for_sending
from cases.models import Notification
from cases.services import claim_report, complaint_record
from tests.cases.conftest import TUESDAY, ams, clock  # noqa: F401  (fixtures)

__all__ = ["TUESDAY", "ams"]

LINK = re.compile(r"/s/([A-Za-z0-9_-]{43})/")


@pytest.fixture(autouse=True)
def _clean_cache(settings) -> Iterator[None]:
    settings.SMS_BACKEND = "cases.sms.MemorySmsBackend"
    settings.SITE_URL = "https://woonrust.example.nl"
    cache.clear()
    yield
    cache.clear()


def token_sent(case) -> str:
    """The token in the first message the resident got about `case`."""
    field = "claim" if type(case).__name__ == "DamageClaim" else "complaint"
    note = Notification.objects.filter(**{field: case}, recipient_resident__isnull=False)
    # The stored body has a placeholder; the link is put in when the message is sent.
    body = body_for_sending(note.order_by("id").first())
    return LINK.search(body).group(1)


def report_claim(world, **kwargs):
    values = {
        "dwelling": world.dwelling,
        "by": world.supervisor,
        "resident": world.resident,
        "damage_kind": "floor",
        "room": "living_room",
        "description": "Kras in het parket van de woonkamer",
    }
    values.update(kwargs)
    return claim_report(**values)


def record_complaint(world, **kwargs):
    values = {
        "dwelling": world.dwelling,
        "by": world.supervisor,
        "resident": world.resident,
        "description": "Veel stof in het trappenhuis",
        "category": "dust",
    }
    values.update(kwargs)
    return complaint_record(**values)
