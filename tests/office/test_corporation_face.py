"""The corporation's face to residents: its name, logo and the project's phone number on
the status page, in messages and on letters; set in project set-up by the right people."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from cases.messages.link import body_for_sending
from cases.models import Notification
from cases.services import claim_accept, claim_report, claim_start_assessment
from statuslink.tokens import plain_token

pytestmark = pytest.mark.django_db


def png(size=(1200, 300), colour=(200, 30, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def setup_url(world) -> str:
    return f"/office/projects/{world.project.pk}/setup/"


def decided_claim(world):
    claim = claim_report(dwelling=world.dwelling, by=world.supervisor, resident=world.resident)
    claim_start_assessment(claim=claim, by=world.handler)
    claim_accept(claim=claim, by=world.handler, reason="Onze schade")
    return claim


def test_the_corporation_admin_uploads_a_logo_that_residents_see(client, world):
    client.force_login(world.corporation_admin)
    assert "Logo van Woonstede" in client.get(setup_url(world)).content.decode()
    r = client.post(setup_url(world), {"part": "logo", "l-logo": png()})
    assert r.status_code == 302
    world.corporation.refresh_from_db()
    stored = Image.open(io.BytesIO(bytes(world.corporation.logo)))
    assert stored.format == "PNG" and stored.size == (600, 150)  # re-encoded, made small

    claim = decided_claim(world)
    page = client.get(f"/s/{plain_token(claim)}/").content.decode()
    assert '<img src="data:image/png;base64,' in page
    assert '<p class="brand">' in page and "Woonstede</p>" in page
    client.force_login(world.handler)
    letter = client.get(f"/office/claim/{claim.pk}/letter.pdf")
    assert list(PdfReader(io.BytesIO(letter.content)).pages[0].images)

    client.force_login(world.corporation_admin)
    client.post(setup_url(world), {"part": "logo", "l-remove": "on"})
    world.corporation.refresh_from_db()
    assert bytes(world.corporation.logo) == b""


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("logo.png", b"not an image", content_type="image/png"), "Dit bestand"),
        (None, "Kies een logo"),
    ],
)
def test_a_bad_logo_is_refused_beside_the_field(client, world, upload, message):
    client.force_login(world.corporation_admin)
    data = {"part": "logo", **({"l-logo": upload} if upload else {})}
    r = client.post(setup_url(world), data)
    assert r.status_code == 400 and message in r.content.decode()
    world.corporation.refresh_from_db()
    assert bytes(world.corporation.logo) == b""


def test_only_the_corporations_administrators_set_its_logo(client, world):
    for user in (world.manager, world.contractor_admin):
        client.force_login(user)
        assert "Logo van" not in client.get(setup_url(world)).content.decode()
        assert client.post(setup_url(world), {"part": "logo", "l-logo": png()}).status_code == 403
    client.force_login(world.other_admin)
    assert client.post(setup_url(world), {"part": "logo", "l-logo": png()}).status_code == 404
    world.corporation.refresh_from_db()
    assert bytes(world.corporation.logo) == b""


def test_the_projects_phone_number_reaches_page_messages_and_letters(client, world):
    client.force_login(world.manager)
    r = client.post(
        setup_url(world),
        {
            "part": "project",
            "p-name": world.project.name,
            "p-city": world.project.city,
            "p-starts_on": "01-01-2026",
            "p-ends_on": "31-12-2027",
            "p-phase": "execution",
            "p-resident_phone": "020 555 0123",
        },
    )
    assert r.status_code == 302
    world.project.refresh_from_db()
    assert world.project.phone_for_residents() == "020 555 0123"
    claim = decided_claim(world)
    page = client.get(f"/s/{plain_token(claim)}/").content.decode()
    assert 'href="tel:0205550123"' in page and "0800" not in page
    decision = Notification.objects.get(claim=claim, purpose="claim_decision")
    sent = body_for_sending(decision)
    assert "Bel 020 555 0123." in sent and sent.rstrip().endswith("Woonstede")
    client.force_login(world.handler)
    letter = PdfReader(io.BytesIO(client.get(f"/office/claim/{claim.pk}/letter.pdf").content))
    assert "020 555 0123" in letter.pages[0].extract_text()


def test_without_a_project_number_the_corporations_number_is_used(client, world):
    claim = decided_claim(world)
    assert 'href="tel:08001234"' in client.get(f"/s/{plain_token(claim)}/").content.decode()


def test_the_unknown_link_page_gives_the_platforms_number(client, db, settings):
    settings.STATUS_LINK_PHONE = "088 123 4567"
    r = client.get(f"/s/{'x' * 43}/")
    assert r.status_code == 404
    page = r.content.decode()
    assert "Bel 088 123 4567" in page and 'href="tel:0881234567"' in page
    assert "Woonstede" not in page
