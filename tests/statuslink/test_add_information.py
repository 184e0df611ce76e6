"""While the claim waits for the resident, they can answer through the link: text and
photos, with the supervisor app's upload checks; the claim returns to assessing and
the handler is told."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cases.models import ClaimPhoto, DamageClaim, Notification
from cases.services import claim_ask_resident, claim_start_assessment

from .conftest import report_claim, token_sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(world, clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    claim = report_claim(world)
    claim_start_assessment(claim=claim, by=world.handler)
    claim_ask_resident(claim=claim, by=world.handler, question="Wanneer gebeurde het?")
    return claim, token_sent(claim)


def jpeg(name: str = "vloer.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def post(client, token, **data):
    return client.post(reverse("status_information", args=[token]), data)


def test_text_and_a_photo_move_the_claim_back_and_tell_the_handler(client, world, waiting):
    claim, token = waiting
    response = post(client, token, text="Op maandag 8 juni, bij het boren.", photos=[jpeg()])
    assert response.status_code == 303
    assert (
        "Dank u wel. We hebben uw informatie ontvangen."
        in client.get(response["Location"]).content.decode()
    )
    claim.refresh_from_db()
    assert claim.status == DamageClaim.Status.ASSESSING
    photo = ClaimPhoto.objects.get(claim=claim)
    assert photo.uploaded_by is None and photo.image.name.endswith(".jpg")
    assert "vloer" not in photo.image.name
    told = Notification.objects.get(claim=claim, purpose="resident_replied")
    assert told.recipient_user == world.handler
    assert "Op maandag 8 juni" in told.body and token not in told.body
    event = claim.timeline.filter(kind="status_changed", to_status="assessing").latest("id")
    assert event.actor is None and event.data["via"] == "status_link"


def test_a_non_image_is_refused_with_a_clear_message(client, waiting):
    claim, token = waiting
    fake = SimpleUploadedFile("brief.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    response = post(client, token, text="Zie de foto", photos=[fake])
    assert response.status_code == 400
    page = response.content.decode()
    assert "“brief.jpg”:" in page
    assert "Dit bestand is geen foto" in page or "not a photo" in page
    assert "Zie de foto</textarea>" in page  # what was typed is kept
    claim.refresh_from_db()
    assert claim.status == DamageClaim.Status.WAITING_RESIDENT
    assert not ClaimPhoto.objects.filter(claim=claim).exists()


def test_empty_answer_is_refused(client, waiting):
    _claim, token = waiting
    response = post(client, token, text="   ")
    assert response.status_code == 400
    assert "Schrijf uw antwoord of voeg een foto toe." in response.content.decode()


def test_a_second_submission_changes_nothing(client, waiting):
    claim, token = waiting
    assert post(client, token, text="Maandag").status_code == 303
    response = post(client, token, text="Nog iets", photos=[jpeg()])
    assert response.status_code == 409
    assert "We wachten niet meer op informatie." in response.content.decode()
    assert Notification.objects.filter(claim=claim, purpose="resident_replied").count() == 1
    assert not ClaimPhoto.objects.filter(claim=claim).exists()


def test_not_possible_for_complaints_or_other_states(client, world, clock):
    claim = report_claim(world)
    token = token_sent(claim)
    assert 'name="photos"' not in client.get(reverse("status", args=[token])).content.decode()
    assert post(client, token, text="Hallo").status_code == 409


def test_without_a_user_only_the_residents_own_step_is_possible(world, waiting):
    from cases.services import claim_accept, claim_withdraw
    from cases.services.errors import NotAllowed

    claim, _token = waiting
    with pytest.raises(NotAllowed):
        claim_withdraw(claim=claim, by=None, reason="Nep")
    claim.refresh_from_db()
    assert claim.status == DamageClaim.Status.WAITING_RESIDENT
    with pytest.raises(NotAllowed):
        claim_accept(claim=claim, by=None)
