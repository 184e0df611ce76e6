"""The README's "Try it" walk, step by step, on the demo data and the demo logins, in
real Chromium: a damage claim with a photo on the phone, found in the queue, assessed
and offered, accepted on the status link, then the satisfaction question.

    WOONRUST_SCREENSHOTS=docs make test PYTEST_ARGS=tests/browser/test_try_it.py

retakes the five screenshots the README shows (docs/try-*.png)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from cases.models import DamageClaim
from projects.demo import DEMO_PASSWORD
from projects.models import Dwelling
from tests.mobile.conftest import jpeg_with_gps

from .conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("WOONRUST_SCREENSHOTS", "")
DESK = {"width": 1280, "height": 900}


@pytest.fixture
def demo(settings, tmp_path):
    # As `make run` has it: DEBUG on (the demo logins need no second factor then).
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", dwellings=12, claims=8, demo_users=True, stdout=io.StringIO())


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"try-{name}.png"))


def sign_in(page, base: str, who: str, path: str) -> None:
    page.goto(f"{base}{path}")
    page.get_by_label("E-mailadres").fill(f"{who}@demo.woonrust.nl")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}{path}")


def take(page, action: str, **fields: str) -> None:
    """Open a step on the case page, fill its fields by label, and take it."""
    page.locator("summary").get_by_text(action, exact=True).click()
    form = page.locator("details[open] form")
    for label, value in fields.items():
        form.get_by_label(label).first.fill(value)
    form.get_by_role("button", name=action, exact=True).click()
    page.wait_for_load_state()


def test_the_five_steps_of_the_readme(browser, live_server, demo):
    base = live_server.url
    dwelling = (
        Dwelling.objects.filter(
            project__members__user__email="supervisor@demo.woonrust.nl",
            residents__isnull=False,
        )
        .order_by("pk")
        .first()
    )
    address = f"{dwelling.street} {dwelling.house_number}"

    # 1. The supervisor reports damage with a photo, on a phone.
    phone = browser.new_context(viewport=PHONE, locale="nl-NL").new_page()
    phone.set_default_timeout(15_000)
    sign_in(phone, base, "supervisor", "/m/")
    phone.locator(f"#q{dwelling.project_id}").press_sequentially(address, delay=20)
    phone.locator(f"#found{dwelling.project_id} a").filter(has_text=address).first.click()
    phone.wait_for_url(f"{base}/m/d/{dwelling.pk}/")
    phone.get_by_role("link", name="Schade melden").click()
    phone.get_by_text("Vloer", exact=True).click()
    phone.get_by_text("Woonkamer", exact=True).click()
    phone.get_by_label("Omschrijving").fill("Kras in het laminaat bij de deur")
    phone.locator("input[name=photos]").set_input_files(
        {"name": "kras.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps((1600, 1200))}
    )
    phone.locator(".thumbs img").wait_for()
    shot(phone, "1-report")
    phone.get_by_role("button", name="Schademelding opslaan").click()
    phone.wait_for_url(f"{base}/m/d/{dwelling.pk}/")
    claim = DamageClaim.objects.get(
        dwelling=dwelling, description="Kras in het laminaat bij de deur"
    )
    assert claim.photos.count() == 1

    # 2. The handler finds it in the queue.
    desk = browser.new_context(viewport=DESK, locale="nl-NL").new_page()
    desk.set_default_timeout(15_000)
    sign_in(desk, base, "handler", "/office/")
    desk.locator("form[role=search] input[name=q]").fill(claim.number)
    desk.get_by_role("button", name="Tonen").click()
    row = desk.locator("#results").get_by_role("link", name=claim.number)
    row.wait_for()
    shot(desk, "2-queue")
    row.click()
    desk.wait_for_url(f"{base}/office/claim/{claim.pk}/")

    # 3. Assesses it and offers compensation.
    take(desk, "Beoordeling starten")
    take(desk, "Toekennen", **{"Reden van het besluit": "Ontstaan bij de kozijnen"})
    take(desk, "Vergoeding aanbieden", **{"Vergoeding (EUR)": "150"})
    claim.refresh_from_db()
    assert claim.status == DamageClaim.Status.COMPENSATION_OFFERED
    shot(desk, "3-offer")

    # 4. The resident accepts on her status link (as `manage.py status_links` prints it).
    out = io.StringIO()
    call_command("status_links", claim.number, stdout=out)
    link = out.getvalue().split(": ", 1)[1].strip()
    assert link.startswith("http://127.0.0.1:")
    resident = browser.new_context(viewport=PHONE, locale="nl-NL").new_page()
    status_page = link.replace(link.split("/s/")[0], base)
    resident.goto(status_page)
    resident.get_by_role("heading", name="Gaat u akkoord?").wait_for()
    shot(resident, "4-accept")
    resident.get_by_role("button", name="Ja, ik ga akkoord").click()
    resident.get_by_text("We hebben uw antwoord ontvangen: u gaat akkoord.").wait_for()

    # 5. Paid and settled in the office; the status link now asks how it went.
    desk.reload()
    take(desk, "Betaald")
    take(desk, "Afhandelen")
    claim.refresh_from_db()
    assert claim.status == DamageClaim.Status.SETTLED
    resident.goto(status_page)
    resident.get_by_text("Hoe tevreden bent u over hoe wij uw schademelding").first.wait_for()
    shot(resident, "5-satisfaction")
    for page in (phone, desk, resident):
        page.context.close()
