"""A resident accepts an offer on a 390 px phone in real Chromium: large buttons, axe
finds no serious or critical WCAG 2.1 AA violation, nothing sticks out sideways, and the
answer is confirmed on the page and credited to the resident."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from cases.models import DamageClaim, TimelineEvent
from cases.services import (
    claim_accept,
    claim_offer_compensation,
    claim_report,
    claim_start_assessment,
)
from projects.models import WorkWindow

from .conftest import PHONE
from .test_statuslink_page import _axe, _describe, _token

pytestmark = pytest.mark.django_db(transaction=True)
# Set to a folder to keep a screenshot of the question (for the docs).
SHOTS = os.environ.get("WOONRUST_SCREENSHOTS", "")


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def test_a_resident_accepts_the_offer_on_a_phone(browser, live_server, world):
    claim = claim_report(
        dwelling=world.dwelling, by=world.supervisor, resident=world.resident, damage_kind="floor"
    )
    claim_start_assessment(claim=claim, by=world.handler)
    claim_accept(claim=claim, by=world.handler)
    claim_offer_compensation(claim=claim, by=world.handler, amount=Decimal("150"))
    today = timezone.localdate()
    WorkWindow.objects.create(
        dwelling=world.dwelling,
        description="Nieuwe keuken plaatsen",
        starts_on=today + datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=8),
        needs_access=True,
    )
    url = f"{live_server.url}/s/{_token(claim)}/"
    violations = _axe(browser, url)
    assert violations == [], _describe(violations)

    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.goto(url)
    assert page.get_by_role("heading", name="Gaat u akkoord?").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    yes = page.get_by_role("button", name="Ja, ik ga akkoord")
    box = yes.bounding_box()
    assert box["height"] >= 56 and box["width"] >= 300  # easy to hit with a thumb
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "status-offer.png"), full_page=True)
    other_tab = context.new_page()  # the same page open twice (or a double tap)
    other_tab.goto(url)
    yes.click()
    assert page.get_by_text("We hebben uw antwoord ontvangen: u gaat akkoord.").is_visible()
    assert page.get_by_role("button", name="Ja, ik ga akkoord").count() == 0
    other_tab.get_by_role("button", name="Ja, ik ga akkoord").click()
    assert other_tab.get_by_text("We hebben uw antwoord al ontvangen.").is_visible()
    claim.refresh_from_db()
    assert claim.resident_answer == DamageClaim.Answer.ACCEPTED
    assert TimelineEvent.objects.filter(claim=claim, data__by="resident").count() == 1
    assert errors == []
    context.close()
