"""Erasure of a resident on request: at once, even after her care needs were viewed,
and afterwards nothing anywhere names her; the statistics keep their numbers."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection, models

from cases.models import ClaimPhoto, DamageClaim, Notification
from mobile.models import CareNeedAccess
from privacy.models import PrivacyRequest
from residents.models import CareNeed, Resident
from statuslink.models import SatisfactionAnswer

pytestmark = pytest.mark.django_db

FORM = {"erase-requested_by": "resident", "erase-reason": "request", "erase-confirm": "on"}


def url(resident: Resident) -> str:
    return f"/office/privacy/residents/{resident.pk}/erase/"


def rows_holding(secret: str) -> list[str]:
    """Every text, char and JSON column of every model, searched for `secret`."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            for f in model._meta.concrete_fields:
                if not isinstance(f, (models.CharField, models.TextField, models.JSONField)):
                    continue
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{f.column}"::text ILIKE %s',
                    [f"%{secret}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{f.column}")
    return found


def erase(client, resident, django_capture_on_commit_callbacks, caplog):
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(resident), FORM)
    assert response.status_code == 302, response.content[:500]
    return response


def test_erasure_after_her_care_needs_were_viewed_leaves_nothing_of_her(
    client, world, officer, home, settings, django_capture_on_commit_callbacks, caplog
):
    assert CareNeedAccess.objects.filter(resident=home.truus).exists()
    for secret in home.secrets[:-1]:  # the link itself is stored only as a hash
        assert rows_holding(secret), f"the world should hold {secret} before"
    assert client.get(f"/s/{home.link}/").status_code == 200
    photos = list(ClaimPhoto.objects.filter(claim=home.claim))
    files = [Path(settings.MEDIA_ROOT) / f.name for p in photos for f in (p.image, p.thumbnail)]
    assert files and all(f.exists() for f in files)
    amount, status = home.claim.amount_claimed, home.claim.status
    assert DamageClaim.objects.filter(dwelling=home.claim.dwelling).count() == 2
    seen = CareNeedAccess.objects.filter(resident=home.truus).count()

    client.force_login(officer)
    erase(client, home.truus, django_capture_on_commit_callbacks, caplog)

    for secret in home.secrets:
        assert rows_holding(secret) == [], secret
    # Photo files and thumbnails are gone from storage; nothing left in MEDIA_ROOT names her.
    assert not any(f.exists() for f in files)
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            content = path.read_bytes().decode("latin-1")
            assert not any(s in content or s in path.name for s in home.secrets), path
    for record in caplog.records:
        line = record.getMessage()
        assert not any(s in line for s in home.secrets), line
    # Her messages: no recipient, no body; none left to send.
    for note in Notification.objects.filter(claim=home.claim):
        assert note.body == "" and note.status != Notification.Status.PENDING
    assert not Notification.objects.filter(recipient_resident=home.truus).exists()
    # Her status link no longer opens.
    assert client.get(f"/s/{home.link}/").status_code == 404

    # The statistics and the access log keep their numbers.
    home.claim.refresh_from_db()
    assert (home.claim.amount_claimed, home.claim.status) == (amount, status)
    assert DamageClaim.objects.filter(dwelling=home.claim.dwelling).count() == 2
    assert home.claim.resident_id is None  # the chase no longer writes to her
    assert SatisfactionAnswer.objects.get(claim=home.claim).score == 8
    assert CareNeedAccess.objects.filter(resident=home.truus).count() == seen
    assert not CareNeed.objects.filter(resident=home.truus).exists()

    # Her neighbour keeps everything.
    home.neighbour.refresh_from_db()
    assert home.neighbour.full_name == "Mehmet Yilmaz" and home.neighbour.phone == "06 98765432"
    assert CareNeed.objects.filter(resident=home.neighbour).exists()
    for photo in ClaimPhoto.objects.filter(claim=home.neighbour_claim):
        assert (Path(settings.MEDIA_ROOT) / photo.image.name).exists()
    assert rows_holding("Scheur in de muur")

    record = PrivacyRequest.objects.get(kind="erasure")
    assert (record.resident_number, record.done_by, record.reason) == (
        home.truus.pk,
        officer,
        "request",
    )
    page = client.get(f"/office/privacy/residents/{home.truus.pk}/").content.decode()
    assert "(verwijderd)" in page


def test_confirmation_and_reason_are_required(client, officer, home):
    client.force_login(officer)
    response = client.post(url(home.truus), {"erase-requested_by": "resident"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Vink het vakje aan" in body and "Kies de reden" in body
    home.truus.refresh_from_db()
    assert home.truus.last_name == "Ağaoğlu"
    assert not PrivacyRequest.objects.exists()


@pytest.mark.parametrize("who", ["handler", "supervisor", "corporation_admin"])
def test_other_roles_are_refused(client, world, home, who):
    client.force_login(getattr(world, who))
    assert client.post(url(home.truus), FORM).status_code == 403
    home.truus.refresh_from_db()
    assert home.truus.last_name == "Ağaoğlu"


def test_another_organisation_gets_404(client, other_officer, home):
    client.force_login(other_officer)
    response = client.post(url(home.truus), FORM)
    assert response.status_code == 404
    assert "Ağaoğlu" not in response.content.decode()
    home.truus.refresh_from_db()
    assert home.truus.last_name == "Ağaoğlu"
    assert not PrivacyRequest.objects.exists()


def test_erasure_ends_her_calls_and_letters(
    client, world, officer, django_capture_on_commit_callbacks, caplog
):
    from cases.models import CallTask, Letter
    from cases.services import call_task_done, claim_report

    truus = world.resident
    truus.contact_channel = "phone"
    truus.save()
    made = claim_report(dwelling=world.dwelling, by=world.supervisor, resident=truus)
    call_task_done(task=CallTask.objects.get(claim=made), by=world.handler, outcome="reached")
    claim_report(dwelling=world.dwelling, by=world.supervisor, resident=truus)  # a call to make
    truus.contact_channel = "letter"
    truus.save()
    claim_report(dwelling=world.dwelling, by=world.supervisor, resident=truus)  # a letter
    client.force_login(officer)
    erase(client, truus, django_capture_on_commit_callbacks, caplog)
    # Nobody is asked to call or write to her any more; the call made stays, without text.
    assert list(CallTask.objects.values_list("resident", "outcome", "body")) == [
        (None, "reached", "")
    ]
    assert not Letter.objects.exists()
