"""The resident's data export: everything about her, nothing about her neighbour,
only for a privacy officer of an organisation of her project (or platform staff)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from pypdf import PdfReader

from cases.models import (
    CallTask,
    ClaimPhoto,
    Complaint,
    DamageClaim,
    Letter,
    Notification,
    Promise,
    TimelineEvent,
)
from mobile.models import CareNeedAccess
from privacy.models import PrivacyRequest
from residents.models import CareNeed, Resident, Visit
from statuslink.models import SatisfactionAnswer

pytestmark = pytest.mark.django_db

FORM = {"export-requested_by": "resident"}

# Every table that references a resident, and the export section that must list its rows.
SECTION_OF = {
    (CareNeed, "resident"): "care_needs",
    (DamageClaim, "resident"): "claims",
    (Complaint, "resident"): "complaints",
    (Promise, "resident"): "promises",
    (Notification, "recipient_resident"): "messages",
    (CallTask, "resident"): "calls",
    (Letter, "resident"): "letters",
    (CareNeedAccess, "resident"): "care_need_access",
    (PrivacyRequest, "resident"): "privacy_requests",
}


def url(resident: Resident, what: str = "export/") -> str:
    return f"/office/privacy/residents/{resident.pk}/{what}"


def export(client, resident: Resident) -> zipfile.ZipFile:
    response = client.post(url(resident), FORM)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    assert f"resident-{resident.pk}.zip" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def texts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Every member of the ZIP as text: the PDF by its extracted text, photos as bytes."""
    out = {}
    for name in archive.namelist():
        data = archive.read(name)
        if name.endswith(".pdf"):
            out[name] = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        else:
            out[name] = data.decode("latin-1") if name.endswith(".jpg") else data.decode()
    return out


def test_export_holds_every_row_about_her(client, world, officer, home):
    client.force_login(officer)
    archive = export(client, home.truus)
    data = json.loads(archive.read("data.json"))
    ids = {key: {item["id"] for item in data[key]} for key in data if isinstance(data[key], list)}

    # A new table pointing at residents must be added to the export (and to SECTION_OF).
    for rel in Resident._meta.related_objects:
        key = (rel.related_model, rel.field.name)
        assert key in SECTION_OF, f"{key} references residents but is not in the export"
        rows = rel.related_model.objects.filter(**{rel.field.name: home.truus})
        assert set(rows.values_list("pk", flat=True)) <= ids[SECTION_OF[key]], key
    assert ids["resident"] == {home.truus.pk}
    assert ids["care_needs"] and ids["claims"] and ids["messages"] and ids["care_need_access"]
    # The export itself was recorded before it was built: it is listed in it, and so is
    # the officer's look at her care needs.
    assert len(ids["privacy_requests"]) == 1
    assert "data export" in {item["purpose"] for item in data["care_need_access"]}

    events = (
        TimelineEvent.objects.filter(claim__resident=home.truus)
        | TimelineEvent.objects.filter(complaint__resident=home.truus)
        | TimelineEvent.objects.filter(promise__resident=home.truus)
    )
    assert set(events.values_list("pk", flat=True)) == ids["timeline"]
    assert (
        set(ClaimPhoto.objects.filter(claim=home.claim).values_list("pk", flat=True))
        == ids["photos"]
    )
    assert (
        set(SatisfactionAnswer.objects.filter(claim=home.claim).values_list("pk", flat=True))
        == ids["status_link_answers"]
    )
    assert (
        set(Visit.objects.filter(dwelling=world.dwelling).values_list("pk", flat=True))
        == ids["visits"]
    )

    # Her photo, byte for byte.
    photo = ClaimPhoto.objects.get(claim=home.claim)
    with photo.image.open("rb") as f:
        assert archive.read(f"photos/{home.claim.number}-1.jpg") == f.read()

    # The PDF is readable and spells her name as typed (an embedded Unicode font).
    pdf = texts(archive)["data.pdf"]
    assert "Ağaoğlu" in pdf
    assert "Rolstoel" in pdf and home.claim.number in pdf and "Truus is tevreden" in pdf
    assert data["resident"][0]["phone"] == "06 12345678"
    assert "status_token" not in data["claims"][0] and "status_link_secret" not in data["claims"][0]


def test_export_holds_nothing_of_her_neighbour(client, officer, home):
    client.force_login(officer)
    archive = export(client, home.truus)
    neighbour_photos = set()
    for photo in ClaimPhoto.objects.filter(claim=home.neighbour_claim):
        with photo.image.open("rb") as f:
            neighbour_photos.add(f.read())
    for name, text in texts(archive).items():
        for secret in home.neighbour_secrets:
            assert secret not in text, f"{secret} in {name}"
            assert secret not in name
        assert archive.read(name) not in neighbour_photos
    # Visit notes at a shared address may be about the neighbour: left out.
    assert "alles goed" not in texts(archive)["data.json"]


def test_each_export_is_recorded_without_personal_data(client, officer, home):
    client.force_login(officer)
    export(client, home.truus)
    export(client, home.truus)
    records = PrivacyRequest.objects.filter(resident_number=home.truus.pk)
    assert [r.kind for r in records] == ["export", "export"]
    assert {r.done_by for r in records} == {officer}
    for record in records.values():
        for value in record.values():
            for secret in home.secrets:
                assert secret not in str(value)


def test_export_in_english_on_request(client, officer, home):
    home.truus.language = "en"
    home.truus.save()
    client.force_login(officer)
    pdf = texts(export(client, home.truus))["data.pdf"]
    assert "Your data at Woonrust" in pdf


def test_platform_staff_may_export(client, world, home):
    client.force_login(world.staff)
    export(client, home.truus)


@pytest.mark.parametrize("who", ["handler", "supervisor", "manager", "corporation_admin"])
def test_other_roles_are_refused(client, world, home, who):
    client.force_login(getattr(world, who))
    assert client.post(url(home.truus), FORM).status_code == 403
    assert client.get(url(home.truus, "")).status_code == 403
    assert client.get("/office/privacy/", {"q": "Truus"}).status_code == 403
    assert not PrivacyRequest.objects.exists()


def test_another_organisation_gets_404_and_nothing(client, other_officer, home):
    client.force_login(other_officer)
    for response in (
        client.post(url(home.truus), FORM),
        client.get(url(home.truus, "")),
    ):
        assert response.status_code == 404
        for secret in home.secrets:
            assert secret.encode() not in response.content
    found = client.get("/office/privacy/", {"q": "Truus"})
    assert found.status_code == 200 and "Ağaoğlu" not in found.content.decode()
    assert not PrivacyRequest.objects.exists()


def test_sign_in_required(client, home):
    response = client.post(url(home.truus), FORM)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_bad_form_says_so_and_exports_nothing(client, officer, home):
    client.force_login(officer)
    response = client.post(url(home.truus), {"export-requested_by": "neighbour"})
    assert response.status_code == 400
    assert b"field-error" in response.content
    assert not PrivacyRequest.objects.exists()


def test_resident_page_and_search(client, officer, home, django_assert_num_queries):
    client.force_login(officer)
    client.get("/office/privacy/")  # the first request notes the second factor in the session
    # session, user, resident with dwelling and project, her requests
    with django_assert_num_queries(4):
        page = client.get(url(home.truus, ""))
    assert page.status_code == 200
    assert "Ağaoğlu" in page.content.decode()
    assert "Mehmet" not in page.content.decode()
    # session, user, residents found
    with django_assert_num_queries(3):
        found = client.get("/office/privacy/", {"q": "rijnstraat"})
    assert "Ağaoğlu" in found.content.decode() and "Yilmaz" in found.content.decode()
