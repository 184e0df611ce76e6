"""Photos with a damage claim: only real images, within limits, re-encoded without any
metadata (GPS above all), thumbnailed, each stored once, served only to the team."""

from __future__ import annotations

import io
import time
import uuid

import pytest
from PIL import Image

from cases.models import ClaimPhoto, DamageClaim, TimelineEvent
from cases.photos import THUMB_EDGE
from cases.services import claim_report

from .conftest import (
    jpeg_claiming_size,
    jpeg_with_gps,
    no_metadata,
    png,
    png_claiming_size,
    upload,
)


@pytest.fixture
def phone(client, world):
    client.force_login(world.supervisor)
    return client


def report(phone, world, *files, sid=None, headers=None):
    data = {
        "submission_id": str(sid or uuid.uuid4()),
        "damage_kind": "floor",
        "room": "kitchen",
        "photos": list(files),
    }
    return phone.post(f"/m/d/{world.dwelling.pk}/claim/", data, headers=headers or {})


def test_damage_report_with_a_gps_photo_stores_it_without_metadata(phone, world):
    original = jpeg_with_gps((800, 600))
    response = report(phone, world, upload(original))
    assert response.status_code == 303
    photo = ClaimPhoto.objects.get()
    stored = photo.image.read()
    assert no_metadata(stored)
    assert b"Jan" not in stored and b"SN-123456" not in stored
    # The camera held it sideways (EXIF orientation 6): stored upright.
    assert Image.open(io.BytesIO(stored)).size == (600, 800) == (photo.width, photo.height)
    thumb = Image.open(photo.thumbnail.open("rb"))
    assert max(thumb.size) == THUMB_EDGE and no_metadata(photo.thumbnail.open("rb").read())
    assert photo.uploaded_by == world.supervisor
    assert TimelineEvent.objects.filter(kind="photo_added", claim=photo.claim).count() == 1
    # The uploaded name is never used.
    assert (
        photo.image.name.startswith(f"claims/{photo.claim_id}/")
        and "photo.jpg" not in photo.image.name
    )


def test_large_photo_is_scaled_to_1600_px(phone, world):
    big = io.BytesIO()
    Image.new("RGB", (4000, 3000), (10, 120, 30)).save(big, "JPEG")
    report(phone, world, upload(big.getvalue()))
    assert (ClaimPhoto.objects.get().width, ClaimPhoto.objects.get().height) == (1600, 1200)


@pytest.mark.parametrize(
    ("taken", "decoded"), [((4032, 3024), (2016, 1512)), ((3024, 4032), (1512, 2016))]
)
def test_a_camera_photo_is_decoded_at_half_scale_not_whole(monkeypatch, taken, decoded):
    """A 1600 px square ruled out every reduced scale for a 4:3 photo (its short side
    halved is under 1600): 12 MP were decoded whole, four times the work (bench/phones)."""
    from PIL import JpegImagePlugin

    from cases.photos import clean_photo

    sizes = []
    real_draft = JpegImagePlugin.JpegImageFile.draft

    def draft(image, mode, size):
        answer = real_draft(image, mode, size)
        sizes.append(image.size)
        return answer

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", draft)
    photo = io.BytesIO()
    Image.new("RGB", taken, (10, 120, 30)).save(photo, "JPEG")
    cleaned = clean_photo(upload(photo.getvalue()))
    assert sizes == [decoded]
    assert max(cleaned.width, cleaned.height) == 1600


def test_transparent_png_is_accepted_as_jpeg(phone, world):
    assert report(phone, world, upload(png(), "a.png", "image/png")).status_code == 303
    assert Image.open(ClaimPhoto.objects.get().image.open("rb")).format == "JPEG"


HOSTILE = [
    ("html posing as a jpeg", b"<html><script>alert(1)</script></html>", "geen foto"),
    ("pdf posing as a jpeg", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "geen foto"),
    (
        "svg posing as a jpeg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
        "geen foto",
    ),
    ("truncated jpeg", jpeg_with_gps()[:400], "geen foto"),
    ("gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "geen foto"),
    ("empty", b"", ""),
    ("pixel flood", png_claiming_size(30_000, 30_000), "megapixel"),
    ("png over its pixel limit", png_claiming_size(5_000, 5_000), "20 megapixel"),
    ("jpeg just over the pixel limit", jpeg_claiming_size(7_000, 6_000), "40 megapixel"),
    ("over 10 MB", b"\xff\xd8\xff\xe0" + b"\x00" * (10 * 1024 * 1024 + 1), "10 MB"),
]


@pytest.mark.parametrize(("what", "data", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_file_that_is_not_an_acceptable_photo_is_refused(phone, world, what, data, message):
    for headers in ({}, {"X-Outbox": "1"}):
        started = time.monotonic()
        response = report(phone, world, upload(data, "IMG_0001.jpg"), headers=headers)
        assert time.monotonic() - started < 2
        assert response.status_code == 422, what
        assert 'id="err_photos"' in response.text
        assert message in response.text
    # Nothing half-done: no claim without its photo.
    assert not DamageClaim.objects.exists() and not ClaimPhoto.objects.exists()


def test_polyglot_is_stored_as_a_clean_jpeg(phone, world):
    polyglot = png() + b"<html><script>alert(document.cookie)</script></html>"
    assert report(phone, world, upload(polyglot, "x.png", "image/png")).status_code == 303
    stored = ClaimPhoto.objects.get().image.read()
    assert b"<script>" not in stored and no_metadata(stored)


def test_too_many_photos_at_once(phone, world):
    files = [upload(png(), f"{i}.png", "image/png") for i in range(11)]
    response = report(phone, world, *files)
    assert response.status_code == 422
    assert "10" in response.text


def test_too_large_request_is_a_413(phone, world, monkeypatch):
    monkeypatch.setattr("mobile.views.record.MAX_REQUEST_BYTES", 1000)
    response = report(phone, world, upload(jpeg_with_gps()))
    assert response.status_code == 413
    assert not DamageClaim.objects.exists()


def test_replayed_report_stores_each_photo_once_and_repairs_a_half_done_one(phone, world):
    sid = uuid.uuid4()
    photos = [jpeg_with_gps(), png()]
    for _ in range(3):
        response = report(
            phone, world, *[upload(p) for p in photos], sid=sid, headers={"X-Outbox": "1"}
        )
        assert response.status_code in (200, 201)
    assert DamageClaim.objects.count() == 1 and ClaimPhoto.objects.count() == 2
    # A claim whose photos never arrived (the server stopped half-way): the replay adds them.
    sid2 = uuid.uuid4()
    claim_report(dwelling=world.dwelling, by=world.supervisor, submission_id=sid2)
    response = report(
        phone, world, *[upload(p) for p in photos], sid=sid2, headers={"X-Outbox": "1"}
    )
    assert response.status_code == 200 and response.json()["created"] is False
    assert DamageClaim.objects.count() == 2
    assert ClaimPhoto.objects.filter(claim__submission_id=sid2).count() == 2


def test_photos_added_later_to_an_existing_claim(phone, world):
    claim = claim_report(dwelling=world.dwelling, by=world.manager)
    sid = str(uuid.uuid4())
    url = f"/m/claims/{claim.pk}/photos/"
    for _ in range(2):
        response = phone.post(url, {"submission_id": sid, "photos": [upload(jpeg_with_gps())]})
        assert response.status_code == 303
    assert claim.photos.count() == 1
    page = phone.get(f"/m/claims/{claim.pk}/").text
    photo = claim.photos.get()
    assert f'src="/m/photos/{photo.pk}/thumb/"' in page
    bad = phone.post(url, {"submission_id": str(uuid.uuid4()), "photos": [upload(b"nope")]})
    assert bad.status_code == 422 and "geen foto" in bad.text
    empty = phone.post(url, {"submission_id": str(uuid.uuid4())})
    assert empty.status_code == 422 and "Dit veld is verplicht." in empty.text


def test_photos_are_served_privately_to_the_team(phone, world):
    report(phone, world, upload(jpeg_with_gps()))
    photo = ClaimPhoto.objects.get()
    for url in (f"/m/photos/{photo.pk}/", f"/m/photos/{photo.pk}/thumb/"):
        response = phone.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("inline;")
        assert not response.has_header("Content-Encoding")
        assert no_metadata(b"".join(response.streaming_content))
    # There is no public URL for uploads.
    assert phone.get(f"/media-not-served/{photo.image.name}").status_code == 404
