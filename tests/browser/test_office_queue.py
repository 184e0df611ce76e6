"""A handler signs in, filters the work queue, opens a claim, accepts it with a
compensation amount, settles it, and sees it all on the timeline."""

from __future__ import annotations

import datetime

import pytest

from cases.models import DamageClaim
from tests.conftest import PASSWORD, totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_handler_accepts_and_settles_a_claim(page, live_server, world):
    now = datetime.datetime.now(tz=datetime.UTC)
    claim = DamageClaim.objects.create(
        project=world.project,
        dwelling=world.dwelling,
        resident=world.resident,
        created_by=world.supervisor,
        status=DamageClaim.Status.ASSESSING,
        description="Kras in het parket",
        amount_claimed=250,
        step_seq=1,
        step_due_at=now + datetime.timedelta(days=1),
        next_chase_at=now + datetime.timedelta(days=1),
        resident_news_at=now,
    )
    page.goto(f"{live_server.url}/office/")
    page.get_by_label("E-mailadres").fill(world.handler.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    # Handlers have a second factor: the code from their authenticator app.
    page.wait_for_url(f"{live_server.url}/account/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code(world.handler))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/office/")
    assert page.get_by_role("heading", name="Werkvoorraad").is_visible()

    # Filtering swaps the results through htmx and keeps the filter in the URL.
    # The header checkbox ticks every case shown (static script, no inline code).
    page.locator("#select-all").check()
    assert page.locator("input[name=cases]:checked").count() == 1
    page.get_by_label("Soort").select_option("claim")
    page.wait_for_url("**/office/?*kind=claim*")
    link = page.get_by_role("link", name=claim.number)
    link.click()
    page.wait_for_url(f"**/office/claim/{claim.pk}/")

    def step(label: str, fill: dict[str, str] | None = None) -> None:
        page.locator("summary").get_by_text(label, exact=True).click()
        form = page.locator("details[open] form")
        for field, value in (fill or {}).items():
            form.get_by_label(field).fill(value)
        form.get_by_role("button", name=label, exact=True).click()
        page.wait_for_load_state()

    step(
        "Toekennen",
        {
            "Reden van het besluit": "Schade door de werkzaamheden",
            "Aangeboden vergoeding (EUR, niet verplicht)": "180,00",
        },
    )
    assert "Toegekend" in page.locator("h1").inner_text()
    step("Vergoeding aanbieden", {"Vergoeding (EUR)": "180,00"})
    step("Betaald")
    step("Afhandelen")
    assert "Afgehandeld" in page.locator("h1").inner_text()
    timeline = page.locator("ol.timeline").inner_text()
    assert "Afgehandeld" in timeline and "Toegekend" in timeline
    claim.refresh_from_db()
    assert claim.status == "settled" and str(claim.amount_paid) == "180.00"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.console_errors == []
