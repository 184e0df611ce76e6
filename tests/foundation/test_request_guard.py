"""One middleware in front of every view: control characters are a 400, files beyond the
per-request cap a 413; every answer has a Permissions-Policy, back-office answers are
never stored."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from cases.models import DamageClaim
from ops.middleware import CountingUploadHandler
from statuslink.tokens import plain_token
from tests.cases.conftest import clock  # noqa: F401  (fixture)
from tests.statuslink.conftest import report_claim

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The status link's rate-limit counters live in the cache: start and end clean."""
    cache.clear()
    yield
    cache.clear()


DUTCH_400 = "Dit kon niet worden verwerkt"


def test_a_nul_byte_in_the_phone_search_is_a_400_not_a_500(client, world):
    client.force_login(world.supervisor)
    response = client.get(f"/m/p/{world.project.pk}/?q=%00")
    assert response.status_code == 400
    assert DUTCH_400 in response.text
    assert "Terug naar uw ronde" in response.text  # the way back on the phone


@pytest.mark.parametrize(
    "url",
    [
        "/office/?q=%01abc",
        "/office/?status%00=x",
        "/office/export.csv?project=%7F",
        "/m/%00/",
        "/office/claim/1%1b/",
        "/s/abc%00def/",
    ],
)
def test_control_characters_anywhere_in_the_url_are_refused(client, world, url):
    client.force_login(world.handler)
    response = client.get(url)
    assert response.status_code == 400, url


def test_a_control_character_in_a_form_field_is_refused_translated(client, world):
    response = client.post("/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400
    assert DUTCH_400 in response.text
    response = client.post(
        "/login/", {"username": "a\x08b", "password": "x"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert "This could not be handled" in response.text


def test_tab_and_newlines_are_ordinary_input(client, world):
    client.force_login(world.handler)
    assert client.get("/office/?q=a%09b").status_code == 200
    client.logout()
    response = client.post("/login/", {"login": "a\r\nb\tc", "password": "x"})
    assert response.status_code == 200  # the login form with its own message


def test_the_phone_script_gets_an_error_it_can_show(client, world):
    client.force_login(world.supervisor)
    response = client.post(
        f"/m/d/{world.dwelling.pk}/visit/",
        {"note": "x\x00"},
        headers={"X-Outbox": "1"},
    )
    assert response.status_code == 400
    assert response.text.startswith('<p class="error" role="alert">')


def _photo(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("foto.jpg", b"\xff\xd8" + b"0" * size, content_type="image/jpeg")


def test_phone_upload_over_the_cap_is_a_413_before_the_view(client, world, settings):
    settings.MAX_UPLOAD_BYTES_PER_REQUEST = 2 * 1024 * 1024
    client.force_login(world.supervisor)
    data = {"submission_id": "8c4b0c1e-5f0e-4a57-9b7e-0d6f1f0c2a11", "photos": [_photo(3_000_000)]}
    response = client.post(f"/m/d/{world.dwelling.pk}/claim/", data, headers={"X-Outbox": "1"})
    assert response.status_code == 413
    assert "te groot" in response.text and 'class="error"' in response.text
    assert not DamageClaim.objects.exists()
    # Without the script: the page in the site's look, with the way back.
    data["photos"] = [_photo(3_000_000)]
    response = client.post(f"/m/d/{world.dwelling.pk}/claim/", data)
    assert response.status_code == 413
    assert "hoogstens 2 MB" in response.text and "Terug naar uw ronde" in response.text


@pytest.mark.usefixtures("clock")
def test_residents_upload_over_the_cap_is_a_413(client, world, settings):
    settings.MAX_UPLOAD_BYTES_PER_REQUEST = 1024 * 1024
    settings.STATUS_LINK_PHONE = "0800 1234567"
    claim = report_claim(world)
    token = plain_token(claim)
    response = client.post(
        f"/s/{token}/information/", {"text": "foto", "photos": [_photo(1_500_000)]}
    )
    assert response.status_code == 413
    assert "te groot" in response.text
    assert "Bel 0800 1234567" in response.text  # the resident's way back: the number to call
    assert response["Cache-Control"] == "no-store, private"


def test_office_import_over_the_cap_is_a_413(client, world, settings):
    settings.MAX_UPLOAD_BYTES_PER_REQUEST = 1024 * 1024
    client.force_login(world.corporation_admin)
    response = client.post(
        f"/office/projects/{world.project.pk}/import/",
        {"file": SimpleUploadedFile("adressen.csv", b"a;b\n" * 300_000)},
    )
    assert response.status_code == 413
    assert "Terug naar de werkvoorraad" in response.text


def test_streamed_files_are_counted_as_they_arrive():
    """A request without a trustworthy length: the handler stops the upload past the cap."""
    request = RequestFactory().post("/m/", {"photos": [_photo(5000), _photo(5000)]})
    request.upload_handlers.insert(0, CountingUploadHandler(request, limit=6000))
    files = request.FILES.getlist("photos")
    assert request.upload_too_large is True
    assert len(files) <= 1


@pytest.mark.parametrize("url", ["/", "/login/", "/healthz", "/s/nope/", "/admin/login/"])
def test_every_answer_has_a_permissions_policy(client, url):
    policy = client.get(url)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


@pytest.mark.parametrize(
    "url",
    ["/office/", "/office/export.csv", "/office/dashboard/", "/office/dashboard/export.xlsx"],
)
def test_back_office_pages_and_exports_are_never_stored(client, world, url):
    client.force_login(world.handler)
    response = client.get(url)
    assert response.status_code == 200, url
    assert "no-store" in response["Cache-Control"]


def test_admin_and_refusals_are_never_stored(client, world):
    client.force_login(world.staff)
    assert "no-store" in client.get("/admin/cases/damageclaim/")["Cache-Control"]
    client.force_login(world.supervisor)
    refused = client.get("/office/")
    assert refused.status_code == 403
    assert "no-store" in refused["Cache-Control"]
