"""axe-core finds no serious or critical problem on the back-office pages a handler
lives in: the queue after a filter, the case page after a refused step, the dwelling page."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from cases.models import DamageClaim, TimelineEvent
from residents.models import CareNeed

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def office(browser, live_server, world):
    client = Client()
    client.force_login(world.handler)
    # axe is injected as an inline script: only this audit context bypasses the CSP.
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL", bypass_csp=True)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return [
        f"{v['id']}: {v['nodes'][0]['html'][:120]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_office_pages_pass_axe(office, live_server, world):
    now = datetime.datetime.now(tz=datetime.UTC)
    claim = DamageClaim.objects.create(
        project=world.project,
        dwelling=world.dwelling,
        resident=world.resident,
        created_by=world.supervisor,
        status=DamageClaim.Status.ASSESSING,
        description="Scheur in de muur van de woonkamer na het slopen van de schoorsteen",
        amount_claimed=1250.5,
        step_seq=1,
        step_due_at=now - datetime.timedelta(days=1),
        next_chase_at=now + datetime.timedelta(days=1),
        resident_news_at=now,
    )
    TimelineEvent.objects.create(dwelling=world.dwelling, claim=claim, kind="note", text="Gebeld")
    CareNeed.objects.create(resident=world.resident, kind="mobility")
    page = office

    page.goto(f"{live_server.url}/office/")
    page.get_by_label("Soort").select_option("claim")
    page.wait_for_url("**/office/?*kind=claim*")
    page.locator("#queue-announce").get_by_text("gevonden").wait_for()
    assert serious(page) == [], "queue"

    page.goto(f"{live_server.url}/office/claim/{claim.pk}/")
    page.locator("summary").get_by_text("Toekennen", exact=True).click()
    form = page.locator("details[open] form")
    form.get_by_label("Aangeboden vergoeding (EUR, niet verplicht)").fill("veel")
    form.get_by_role("button", name="Toekennen", exact=True).click()
    page.locator("#error-summary").wait_for()
    assert serious(page) == [], "case page with errors"

    page.goto(f"{live_server.url}/office/addresses/{world.dwelling.pk}/")
    assert serious(page) == [], "dwelling page"


def test_calls_and_letters_pass_axe(office, live_server, world):
    from cases.models import CallTask, Letter
    from cases.services import case_assign, claim_report
    from residents.models import Resident

    world.resident.contact_channel = "phone"
    world.resident.save()
    called = claim_report(dwelling=world.dwelling, by=world.supervisor, resident=world.resident)
    case_assign(case=called, by=world.handler, handler=world.handler)
    CallTask.objects.update(due_at=timezone.now())
    paper = Resident.objects.create(
        dwelling=world.dwelling, first_name="Łukasz", last_name="Nowak", contact_channel="letter"
    )
    claim_report(dwelling=world.dwelling, by=world.supervisor, resident=paper)
    Letter.objects.update(due_on=timezone.localdate())
    page = office
    page.goto(f"{live_server.url}/office/calls/")
    page.get_by_role("button", name="Niet bereikt").first.wait_for()
    assert serious(page) == [], "calls"
    page.goto(f"{live_server.url}/office/letters/")
    assert serious(page) == [], "letters"
    page.goto(f"{live_server.url}/office/claim/{called.pk}/")
    page.get_by_role("button", name="Bereikt", exact=True).click()
    page.locator(".messages").wait_for()
    assert serious(page) == [], "case page after a call"
