"""A handler ticks two cases on the first load of the queue and gives them to a colleague;
filtering announces what was found and keeps the focus in the filter."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from cases.models import DamageClaim
from tests.browser.conftest import sign_in_at

pytestmark = pytest.mark.django_db(transaction=True)


def make_claim(world, days: int, text: str) -> DamageClaim:
    now = datetime.datetime.now(tz=datetime.UTC)
    return DamageClaim.objects.create(
        project=world.project,
        dwelling=world.dwelling,
        resident=world.resident,
        created_by=world.supervisor,
        status=DamageClaim.Status.ASSESSING,
        description=text,
        amount_claimed=1250.5,
        step_seq=1,
        step_due_at=now + datetime.timedelta(days=days),
        next_chase_at=now + datetime.timedelta(days=days),
        resident_news_at=now,
    )


def sign_in(page, live_server, user) -> None:
    sign_in_at(page, live_server, user, "/office/")


def test_bulk_assign_two_cases_on_first_load(page, live_server, world):
    a = make_claim(world, 1, "Scheur in de muur van de woonkamer")
    b = make_claim(world, 2, "Kras in het parket")
    sign_in(page, live_server, world.handler)
    page.get_by_label(f"{a.number} selecteren").check()
    page.get_by_label(f"{b.number} selecteren").check()
    # Choosing the colleague is a change on the page too: it must not reload the list.
    page.get_by_label("Geef de aangevinkte zaken aan").select_option(str(world.handler.pk))
    page.wait_for_timeout(300)
    assert page.get_by_label(f"{a.number} selecteren").is_checked()
    assert page.get_by_label(f"{b.number} selecteren").is_checked()
    page.get_by_role("button", name="Toewijzen", exact=True).click()
    page.wait_for_load_state()
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.handler_id == world.handler.pk and b.handler_id == world.handler.pk
    assert page.get_by_text("Scheur in de muur van de woonkamer").is_visible()
    # Compact rows, remembered in this browser.
    page.get_by_role("button", name="Compacte rijen").click()
    expect(page.locator("#queue-table")).to_have_class("queue compact")
    page.reload()
    expect(page.get_by_role("button", name="Compacte rijen")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert page.console_errors == []


def test_filtering_announces_the_result_and_keeps_focus(page, live_server, world):
    make_claim(world, 1, "Scheur in de muur")
    sign_in(page, live_server, world.handler)
    kind = page.get_by_label("Soort")
    kind.focus()
    kind.select_option("claim")
    page.wait_for_url("**/office/?*kind=claim*")
    expect(page.locator("#queue-announce")).to_have_text("1 zaak gevonden")
    expect(kind).to_be_focused()
    assert page.console_errors == []
