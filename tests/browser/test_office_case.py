"""A handler's refused step: the error summary takes the focus, its links lead to the
fields, and what was typed stays."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from cases.models import DamageClaim
from tests.browser.conftest import sign_in_at

pytestmark = pytest.mark.django_db(transaction=True)


def test_error_summary_takes_focus_after_a_refused_step(page, live_server, world):
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
    sign_in_at(page, live_server, world.handler, f"/office/claim/{claim.pk}/")
    page.locator("summary").get_by_text("Toekennen", exact=True).click()
    form = page.locator("details[open] form")
    form.get_by_label("Reden van het besluit").fill("Schade door de werkzaamheden")
    form.get_by_label("Aangeboden vergoeding (EUR, niet verplicht)").fill("veel")
    form.get_by_role("button", name="Toekennen", exact=True).click()
    page.wait_for_load_state()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    summary.get_by_role("link").first.click()
    field = page.locator("#id_accept-amount_offered")
    expect(field).to_be_focused()
    expect(field).to_have_value("veel")
    expect(page.locator("#id_accept-reason")).to_have_value("Schade door de werkzaamheden")
    # The refused step answers 400, which Chromium logs; nothing else may be wrong.
    assert [e for e in page.console_errors if "status of 400" not in e] == []


def test_photos_open_in_a_lightbox_by_keyboard(page, live_server, world):
    from cases.models import ClaimPhoto

    now = datetime.datetime.now(tz=datetime.UTC)
    claim = DamageClaim.objects.create(
        project=world.project,
        dwelling=world.dwelling,
        resident=world.resident,
        created_by=world.supervisor,
        status=DamageClaim.Status.ASSESSING,
        step_seq=1,
        resident_news_at=now,
    )
    for name in ("a", "b"):
        ClaimPhoto.objects.create(claim=claim, image=f"claims/{name}.jpg")
    sign_in_at(page, live_server, world.handler, f"/office/claim/{claim.pk}/")
    first = page.locator(".photos a").first
    first.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#lightbox")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Sluiten")).to_be_focused()
    expect(dialog.locator("figcaption")).to_have_text("Foto 1 van 2")
    page.keyboard.press("ArrowRight")
    expect(dialog.locator("figcaption")).to_have_text("Foto 2 van 2")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(first).to_be_focused()


def test_the_case_prints_on_one_clean_a4(page, live_server, world):
    import io

    from pypdf import PdfReader

    from cases.models import TimelineEvent

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
        resident_news_at=now,
    )
    for n in range(8):
        TimelineEvent.objects.create(
            dwelling=world.dwelling, claim=claim, kind="note", text=f"Notitie {n}"
        )
    sign_in_at(page, live_server, world.handler, f"/office/claim/{claim.pk}/")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert claim.number in text and "Notitie 7" in text
    # No buttons, forms or navigation on paper.
    assert "Toekennen" not in text and "Werkvoorraad" not in text and "Afmelden" not in text


def test_care_needs_on_the_dwelling_page_by_keyboard(page, live_server, world):
    from mobile.models import CareNeedAccess
    from residents.models import CareNeed

    CareNeed.objects.create(resident=world.resident, kind="mobility", note="Rolstoel")
    sign_in_at(page, live_server, world.handler, f"/office/addresses/{world.dwelling.pk}/")
    page.get_by_role("button", name="Zorgbehoefte tonen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Rolstoel")).to_be_visible()
    expect(page.locator("#h-care")).to_be_focused()
    assert CareNeedAccess.objects.filter(user=world.handler).count() == 1
    assert page.console_errors == []
