"""The supervisor's phone app in real headless Chromium at 390x844: sign in, the round,
finding an address, the four forms with a photo that carries GPS, and working offline."""

from __future__ import annotations

import datetime
import io
import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from PIL import Image

from cases.models import ClaimPhoto, DamageClaim, Promise
from residents.models import Visit
from tests.conftest import PASSWORD
from tests.mobile.conftest import jpeg_with_gps, no_metadata

from .conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def phone(browser, live_server, world) -> Iterator:
    """A page signed in as the supervisor (cookie minted directly; sign-in has its own test)."""
    client = Client()
    client.force_login(world.supervisor)
    context = browser.new_context(viewport=PHONE, locale="nl-NL")
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
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.console_errors = errors
    yield page
    context.close()


def wait_until(page, script: str, timeout: float = 20.0) -> None:
    """Poll `script` with page.evaluate: wait_for_function needs eval, which our CSP forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {script}")
        page.wait_for_timeout(100)


def photo_file(name: str = "IMG_2041.jpg") -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg_with_gps((2400, 1800))}


def test_sign_in_round_search_and_the_forms_online(page, live_server, world):
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/m/")
    page.get_by_label("E-mailadres").fill(world.supervisor.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/m/")
    assert page.get_by_role("heading", name="Ronde van vandaag").is_visible()

    # Find an address as you type (htmx), then open it.
    page.get_by_label("Zoek een adres").press_sequentially("12", delay=30)
    found = page.locator(f"#found{world.project.pk} a").filter(has_text="Rijnstraat 12-A")
    found.wait_for()
    found.click()
    page.wait_for_url(f"{live_server.url}/m/d/{world.dwelling.pk}/")
    assert page.get_by_role("link", name="Bel Truus").get_attribute("href") == "tel:0612345678"

    # Log a visit: two taps and a word.
    page.get_by_role("link", name="Bezoek vastleggen").click()
    page.get_by_text("Niet thuis", exact=True).click()
    page.get_by_label("Notitie").fill("Kaartje in de bus")
    page.get_by_role("button", name="Bezoek opslaan").click()
    page.wait_for_url(f"{live_server.url}/m/d/{world.dwelling.pk}/")
    assert page.get_by_text("Bezoek vastgelegd.").is_visible()
    visit = Visit.objects.get()
    assert (visit.outcome, visit.note, visit.visited_by) == (
        "not_home",
        "Kaartje in de bus",
        world.supervisor,
    )

    # Report damage with a camera photo that carries GPS: resized on the phone, stored clean.
    page.get_by_role("link", name="Schade melden").click()
    page.get_by_text("Vloer", exact=True).click()
    page.get_by_text("Keuken", exact=True).click()
    page.locator("input[name=photos]").set_input_files(photo_file())
    page.locator(".thumbs img").wait_for()
    page.get_by_role("button", name="Schademelding opslaan").click()
    page.wait_for_url(f"{live_server.url}/m/d/{world.dwelling.pk}/")
    claim = DamageClaim.objects.get()
    assert (claim.damage_kind, claim.room, claim.resident) == ("floor", "kitchen", world.resident)
    photo = ClaimPhoto.objects.get()
    stored = photo.image.read()
    assert no_metadata(stored)
    assert max(Image.open(io.BytesIO(stored)).size) <= 1600

    # Note a promise.
    page.get_by_role("link", name="Toezegging noteren").click()
    page.get_by_label("Wat heeft u beloofd?").fill("Deurstopper vervangen")
    page.get_by_text("Morgen", exact=True).click()
    page.get_by_role("button", name="Toezegging opslaan").click()
    page.wait_for_url(f"{live_server.url}/m/d/{world.dwelling.pk}/")
    promise = Promise.objects.get()
    assert promise.due_on == timezone.localdate() + datetime.timedelta(days=1)

    # Everything on the address's one timeline, and the photo behind the claim.
    assert page.get_by_text("Deurstopper vervangen").first.is_visible()
    page.get_by_role("link", name=claim.number).first.click()
    wait_until(page, "(document.querySelector('.photos img') || {}).naturalWidth > 0")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.console_errors == []


def test_validation_message_in_dutch_next_to_the_field(phone, live_server, world):
    phone.goto(f"{live_server.url}/m/d/{world.dwelling.pk}/complaint/")
    phone.get_by_label("De klacht, in de woorden van de bewoner").fill("   ")
    phone.get_by_role("button", name="Klacht opslaan").click()
    error = phone.locator("#err_description")
    error.wait_for()
    assert "verplicht" in error.inner_text()
    field = phone.get_by_label("De klacht, in de woorden van de bewoner")
    assert field.get_attribute("aria-describedby") == "err_description"
    field.fill("Stof in het trappenhuis")
    phone.get_by_role("button", name="Klacht opslaan").click()
    phone.wait_for_url(f"{live_server.url}/m/d/{world.dwelling.pk}/")
    assert [c.description for c in world.dwelling.complaints.all()] == ["Stof in het trappenhuis"]


OUTBOX_COUNT = """() => new Promise(ok => {
    const r = indexedDB.open('woonrust', 1);
    r.onsuccess = () => {
        const n = r.result.transaction('outbox').objectStore('outbox').count();
        n.onsuccess = () => ok(n.result);
    };
})"""


def _outbox_empty(page) -> None:
    """Wait until the phone's queue is empty and the page says so."""
    deadline = time.monotonic() + 40
    while page.evaluate(OUTBOX_COUNT) or not page.evaluate(
        "document.getElementById('outbox').hidden"
    ):
        assert time.monotonic() < deadline, "the outbox did not empty"
        page.wait_for_timeout(200)


def test_offline_visit_and_claim_with_photo_are_sent_once_when_the_signal_returns(
    phone, live_server, world
):
    page = phone
    page.goto(f"{live_server.url}/m/")
    wait_until(page, "navigator.serviceWorker.controller !== null")
    page.reload()  # this round is now kept on the phone, through the worker
    page.get_by_role("link", name="Rijnstraat 12-A").first.wait_for()

    page.context.set_offline(True)
    # Open the address without signal: not kept (personal data), the offline page instead.
    page.get_by_role("link", name="Rijnstraat 12-A").first.click()
    page.wait_for_url(f"{live_server.url}/m/d/{world.dwelling.pk}/")
    page.get_by_role("heading", name="Rijnstraat 12-A").wait_for()
    page.get_by_role("link", name="Bezoek vastleggen").click()
    page.wait_for_url(f"{live_server.url}/m/d/{world.dwelling.pk}/visit/")
    page.get_by_text("Werk gecontroleerd", exact=True).click()
    page.get_by_role("button", name="Bezoek opslaan").click()
    page.wait_for_url(f"{live_server.url}/m/d/{world.dwelling.pk}/")
    page.get_by_text("1 wacht op verzending").first.wait_for()

    page.get_by_role("link", name="Schade melden").click()
    page.get_by_text("Deur / raam", exact=True).click()
    page.locator("input[name=photos]").set_input_files(photo_file())
    page.locator(".thumbs img").wait_for()
    page.get_by_role("button", name="Schademelding opslaan").click()
    page.wait_for_url(f"{live_server.url}/m/d/{world.dwelling.pk}/")
    page.get_by_text("2 wachten op verzending").first.wait_for()
    assert not Visit.objects.exists() and not DamageClaim.objects.exists()

    page.context.set_offline(False)
    _outbox_empty(page)
    # The supervisor sees that what waited has gone out.
    sent = page.locator("p.sent")
    sent.wait_for()
    assert sent.inner_text().startswith("Verstuurd: ") and "Rijnstraat 12-A" in sent.inner_text()
    # Sent again on the next start: still one of each.
    page.reload()
    page.evaluate("() => new Promise(r => setTimeout(r, 500))")
    assert Visit.objects.count() == 1 and Visit.objects.get().outcome == "work_checked"
    claim = DamageClaim.objects.get()
    assert claim.damage_kind == "door_window"
    assert claim.photos.count() == 1 and no_metadata(claim.photos.get().image.read())
    # Nothing left on the phone once the server has it.
    assert page.evaluate(OUTBOX_COUNT) == 0
    assert page.console_errors == [] or all(
        "net::ERR_INTERNET_DISCONNECTED" in e for e in page.console_errors
    )


def test_sign_out_clears_what_the_phone_kept(phone, live_server, world):
    page = phone
    page.goto(f"{live_server.url}/m/d/{world.dwelling.pk}/")
    wait_until(page, "navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/m/d/{world.dwelling.pk}/promise/")
    page.get_by_label("Wat heeft u beloofd?").fill("Vensterbank CANARY")
    page.get_by_role("button", name="Toezegging opslaan").click()
    page.wait_for_url(f"{live_server.url}/m/d/{world.dwelling.pk}/")
    page.get_by_text("1 wacht op verzending").first.wait_for()
    # Unsent work is not thrown away without a warning.
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("alert").filter(has_text="nog niet verstuurd").wait_for()
    assert page.evaluate(OUTBOX_COUNT) == 1
    page.context.set_offline(False)
    _outbox_empty(page)
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("heading", name="U bent uitgelogd").wait_for()
    kept = page.evaluate(
        """async () => ({caches: (await caches.keys()).length,
                        workers: (await navigator.serviceWorker.getRegistrations()).length,
                        dbs: (await indexedDB.databases()).length})"""
    )
    assert kept == {"caches": 0, "workers": 0, "dbs": 0}


def test_a_server_error_keeps_the_item_and_a_double_tap_sends_once(phone, live_server, world):
    page = phone
    failures = {"left": 2}

    def flaky(route):
        if route.request.method == "POST" and failures["left"]:
            failures["left"] -= 1
            route.fulfill(status=503, body="busy")
        else:
            route.continue_()

    page.route("**/visit/", flaky)
    page.goto(f"{live_server.url}/m/d/{world.dwelling.pk}/visit/")
    button = page.get_by_role("button", name="Bezoek opslaan")
    button.dblclick()  # a double tap
    page.wait_for_url(f"{live_server.url}/m/d/{world.dwelling.pk}/")
    page.get_by_text("1 wacht op verzending").first.wait_for()
    assert not Visit.objects.exists()
    # "Send now" until it is gone: the second try gets a 503 too and the item stays.
    for _ in range(40):
        if page.evaluate("document.getElementById('outbox').hidden"):
            break
        send_now = page.get_by_role("button", name="Nu versturen")
        if send_now.count():
            send_now.first.click()
        page.wait_for_timeout(250)
    _outbox_empty(page)
    assert failures["left"] == 0
    assert Visit.objects.count() == 1


def test_a_refused_damage_report_keeps_its_photos(phone, live_server, world):
    page = phone
    page.goto(f"{live_server.url}/m/d/{world.dwelling.pk}/claim/")
    page.locator("input[name=photos]").set_input_files(photo_file())
    page.locator(".thumbs img").wait_for()
    page.get_by_label("Geclaimd bedrag (EUR)").fill("veel")
    page.get_by_role("button", name="Schademelding opslaan").click()
    page.locator("#err_amount_claimed").wait_for()
    assert "getal" in page.locator("#err_amount_claimed").inner_text()
    page.locator(".thumbs img").wait_for()  # the resized photo is still there
    page.get_by_label("Geclaimd bedrag (EUR)").fill("149,95")
    page.get_by_role("button", name="Schademelding opslaan").click()
    page.wait_for_url(f"{live_server.url}/m/d/{world.dwelling.pk}/")
    claim = DamageClaim.objects.get()
    assert str(claim.amount_claimed) == "149.95" and claim.photos.count() == 1
    # Chromium logs the 422 answer itself; nothing else went wrong.
    assert [e for e in page.console_errors if "status of 422" not in e] == []


def test_photos_need_no_camera_permission(phone, live_server, world):
    """Permissions-Policy denies the camera; `<input type=file capture>` still opens the
    phone's camera/file picker, which is not governed by it."""
    page = phone
    page.goto(f"{live_server.url}/m/d/{world.dwelling.pk}/claim/")
    assert page.evaluate("document.featurePolicy.allowsFeature('camera')") is False
    assert page.evaluate("document.featurePolicy.allowsFeature('geolocation')") is False
    photos = page.locator("input[name=photos]")
    assert photos.get_attribute("capture") == "environment"
    with page.expect_file_chooser() as chooser:
        photos.click()
    assert chooser.value.is_multiple()
    assert not page.console_errors  # also: no feature in the header is unknown to Chromium


def test_a_refused_photo_is_said_at_the_field_and_nothing_is_sent_silently(
    phone, live_server, world
):
    page = phone
    page.goto(f"{live_server.url}/m/d/{world.dwelling.pk}/claim/")
    page.get_by_text("Deur / raam", exact=True).click()
    page.locator("input[name=photos]").set_input_files(
        {"name": "notitie.jpg", "mimeType": "image/jpeg", "buffer": b"geen foto"}
    )
    refused = page.locator(".photos [data-refused]")
    refused.wait_for()
    assert (
        "Dit bestand is geen foto" in refused.inner_text() and "notitie.jpg" in refused.inner_text()
    )
    assert page.locator("input[name=photos]").get_attribute("aria-invalid") == "true"
    # The first tap on send stops at the message; nothing is saved without the photo yet.
    page.get_by_role("button", name="Schademelding opslaan").click()
    page.wait_for_timeout(500)
    assert not DamageClaim.objects.exists()
    assert page.evaluate("document.activeElement.matches('[data-refused]')")
    # A second tap sends it without the photo, as the message says.
    page.get_by_role("button", name="Schademelding opslaan").click()
    page.wait_for_url(f"{live_server.url}/m/d/{world.dwelling.pk}/")
    assert DamageClaim.objects.count() == 1


def test_text_limit_is_counted_and_never_cut(phone, live_server, world):
    page = phone
    page.goto(f"{live_server.url}/m/d/{world.dwelling.pk}/complaint/")
    field = page.get_by_label("De klacht, in de woorden van de bewoner")
    assert field.get_attribute("maxlength") is None
    field.fill("x" * 2001)
    assert len(field.input_value()) == 2001  # not cut
    count = page.locator(".count")
    assert "Te lang: 2001 van 2000 tekens" in count.inner_text()
    page.get_by_role("button", name="Klacht opslaan").click()
    page.wait_for_timeout(300)
    assert not world.dwelling.complaints.exists()
    field.fill("x" * 1999)
    assert "1999 van 2000 tekens" in count.inner_text()
    # A long unbroken string does not widen the page.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_long_strings_and_200_percent_text_do_not_widen_the_page(phone, live_server, world):
    page = phone
    from cases.models import TimelineEvent

    TimelineEvent.objects.create(dwelling=world.dwelling, kind="note", text="x" * 300)
    page.goto(f"{live_server.url}/m/d/{world.dwelling.pk}/")
    page.get_by_text("x" * 50, exact=False).first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for url in ("/m/", f"/m/d/{world.dwelling.pk}/"):
        page.goto(f"{live_server.url}{url}")
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
    # Tags are readable and the "Woonrust" link is a full tap target.
    sizes = page.evaluate(
        "[...document.querySelectorAll('.tag')].map(t => parseFloat(getComputedStyle(t).fontSize))"
    )
    page.evaluate("document.documentElement.style.fontSize = ''")
    assert all(size >= 15 for size in sizes)
    brand = page.locator(".brand").bounding_box()
    assert brand["height"] >= 44 and brand["width"] >= 44
