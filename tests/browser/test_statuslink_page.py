"""The resident's status page in real Chromium at 360 px: axe-core finds no serious or
critical WCAG 2.1 AA violation, nothing sticks out sideways, no CSP violation, and the
forms work without JavaScript."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache

from cases.messages.link import body_for_sending
from cases.models import Notification
from cases.services import (
    claim_accept,
    claim_ask_resident,
    claim_mark_paid,
    claim_offer_compensation,
    claim_report,
    claim_settle,
    claim_start_assessment,
)

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SMALL_PHONE = {"width": 360, "height": 800}
LINK = re.compile(r"/s/([A-Za-z0-9_-]{43})/")


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def _token(claim) -> str:
    body = body_for_sending(Notification.objects.filter(claim=claim).order_by("id").first())
    return LINK.search(body).group(1)


def _axe(browser, url: str) -> list[dict]:
    # axe is injected as an inline script: only this audit context bypasses the CSP.
    context = browser.new_context(viewport=SMALL_PHONE, bypass_csp=True, java_script_enabled=True)
    page = context.new_page()
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    context.close()
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _describe(violations: list[dict]) -> str:
    return "; ".join(f"{v['id']}: {v['nodes'][0]['html'][:120]}" for v in violations)


def test_status_page_passes_axe_at_360px(browser, live_server, world):
    claim = claim_report(
        dwelling=world.dwelling, by=world.supervisor, resident=world.resident, damage_kind="floor"
    )
    claim_start_assessment(claim=claim, by=world.handler)
    claim_ask_resident(claim=claim, by=world.handler, question="Wanneer gebeurde het?")
    settled = claim_report(dwelling=world.dwelling, by=world.supervisor, resident=world.resident)
    claim_start_assessment(claim=settled, by=world.handler)
    claim_accept(claim=settled, by=world.handler)
    claim_offer_compensation(claim=settled, by=world.handler, amount=Decimal("80"))
    claim_mark_paid(claim=settled, by=world.handler)
    claim_settle(claim=settled, by=world.handler)
    url = f"{live_server.url}/s/{_token(claim)}/"
    settled_url = f"{live_server.url}/s/{_token(settled)}/"
    variants = (url, url + "?lang=en", settled_url, f"{live_server.url}/s/{'x' * 43}/")
    for variant in variants:
        violations = _axe(browser, variant)
        assert violations == [], _describe(violations)


def test_works_without_javascript_and_without_csp_errors(browser, live_server, world):
    claim = claim_report(
        dwelling=world.dwelling, by=world.supervisor, resident=world.resident, damage_kind="floor"
    )
    url = f"{live_server.url}/s/{_token(claim)}/"
    context = browser.new_context(viewport=SMALL_PHONE, java_script_enabled=False)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.goto(url)
    assert page.get_by_role("heading", name=f"Uw schademelding {claim.number}").is_visible()
    # Large text, and nothing sticks out sideways on a small phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert float(page.evaluate("getComputedStyle(document.body).fontSize")[:-2]) >= 18
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("heading", name=f"Your damage report {claim.number}").is_visible()
    page.get_by_role("button", name="Stop the updates").click()
    assert page.get_by_text("You will not get progress updates any more.").is_visible()
    assert "lang=en" in page.url
    world.resident.refresh_from_db()
    assert world.resident.non_essential_messages is False
    assert errors == []
    context.close()
