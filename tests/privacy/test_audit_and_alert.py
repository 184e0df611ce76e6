"""The audit trail of edits to personal data (who changed what, when; the privacy
officer's page, scoped to their organisation; scrubbed on erasure), and the alert when
one user looks at the care needs of unusually many residents in a day."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.utils import timezone

from cases.models import Notification
from mobile.models import care_needs_seen
from residents.models import CareNeed, Resident

from .test_erase import FORM, rows_holding

pytestmark = pytest.mark.django_db


def test_an_edit_of_a_resident_is_recorded_with_who_and_what(client, world, officer, settings):
    assert "auditlog.middleware.AuditlogMiddleware" in settings.MIDDLEWARE
    resident = world.resident
    with set_actor(world.handler):
        resident.phone = "06 55554444"
        resident.save()
    entry = LogEntry.objects.get(object_pk=str(resident.pk), action=LogEntry.Action.UPDATE)
    assert entry.changes["phone"] == ["06 12345678", "06 55554444"]
    assert entry.additional_data == {"project": world.project.pk}
    assert entry.actor == world.handler and entry.remote_addr is None

    client.force_login(officer)
    page = client.get("/office/privacy/audit/", {"kind": "resident", "number": resident.pk})
    body = page.content.decode()
    assert page.status_code == 200
    assert "06 55554444" in body and "06 12345678" in body and "Anna Bakker" in body


def test_a_users_password_is_not_recorded(world):
    world.handler.set_password("Nieuw-geheim-2026!")
    world.handler.save()
    entry = LogEntry.objects.filter(object_pk=str(world.handler.pk)).first()
    assert entry is None or "password" not in (entry.changes or {})


def test_the_audit_page_shows_nothing_of_another_organisation(
    client, world, other_officer, django_assert_max_num_queries
):
    world.resident.phone = "06 99990000"
    world.resident.save()
    CareNeed.objects.create(resident=world.resident, kind="pets", note="Kat Minoes")
    world.other_resident.email = "henk.visser@example.nl"
    world.other_resident.save()
    client.force_login(other_officer)
    # Session, user, content types, projects of the organisation, the entries.
    with django_assert_max_num_queries(12):
        body = client.get("/office/privacy/audit/").content.decode()
    assert "henk.visser@example.nl" in body
    assert "06 99990000" not in body and "Minoes" not in body
    assert "Minoes" not in client.get("/office/privacy/audit/", {"number": 1}).content.decode()


@pytest.mark.parametrize("who", ["handler", "supervisor", "manager", "corporation_admin"])
def test_other_roles_get_403_on_the_audit_page(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get("/office/privacy/audit/").status_code == 403


def test_a_bad_filter_is_told_beside_the_field(client, officer):
    client.force_login(officer)
    response = client.get("/office/privacy/audit/", {"number": "abc", "since": "gisteren"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "field-error" in body and 'value="gisteren"' in body


def test_erasure_scrubs_her_audit_entries(
    client, world, officer, home, django_capture_on_commit_callbacks
):
    truus = home.truus
    truus.phone = "06 24681357"
    truus.save()
    need = CareNeed.objects.get(resident=truus, kind="mobility")
    need.note = "Rollator, traplift nodig"
    need.save()
    assert rows_holding("24681357") and rows_holding("traplift")
    neighbour = Resident.objects.get(pk=home.neighbour.pk)
    neighbour.phone = "06 11112222"
    neighbour.save()

    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/office/privacy/residents/{truus.pk}/erase/", FORM)
    assert response.status_code == 302
    for secret in ["24681357", "traplift", "Rolstoel", "Ağaoğlu", "truus.agaoglu"]:
        assert rows_holding(secret) == [], secret
    # Her entries stay (when, by whom, which fields), without values.
    hers = LogEntry.objects.filter(
        content_type__model="resident", object_pk=str(truus.pk), changes__has_key="phone"
    )
    assert hers.count() == 2  # created, and the phone changed
    for entry in hers:
        assert entry.changes["phone"] == ["[verwijderd]", "[verwijderd]"]
        assert entry.object_repr == "[verwijderd]"
    # The neighbour's entries keep their values.
    assert LogEntry.objects.filter(object_pk=str(neighbour.pk), changes__phone__1="06 11112222")


def many_residents(world, n: int) -> list[Resident]:
    return [
        Resident.objects.create(dwelling=world.dwelling, first_name=f"R{i}", last_name="Buur")
        for i in range(n)
    ]


def test_the_privacy_officer_is_told_once_a_day_of_unusually_many_care_need_reads(
    world, officer, other_officer, settings, django_capture_on_commit_callbacks
):
    settings.CARE_READ_ALERT_LIMIT = 5
    residents = many_residents(world, 8)
    by = world.supervisor
    with django_capture_on_commit_callbacks(execute=False):
        care_needs_seen(by=by, residents=residents[:5], purpose="site visit")
        assert not Notification.objects.filter(purpose="privacy_care_reads").exists()
        care_needs_seen(by=by, residents=residents[5:6], purpose="site visit")
        care_needs_seen(by=by, residents=residents[6:], purpose="site visit")
    alerts = Notification.objects.filter(purpose="privacy_care_reads")
    assert [a.recipient_user for a in alerts] == [officer]  # not organisation B's
    alert = alerts.get()
    assert "Piet de Vries" in alert.body and "6" in alert.body
    assert "Buur" not in alert.body and "R1" not in alert.body
    assert alert.to == officer.email
    # The next day: told again when it happens again.
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=1)),
        django_capture_on_commit_callbacks(execute=False),
    ):
        care_needs_seen(by=by, residents=residents, purpose="site visit")
    assert Notification.objects.filter(purpose="privacy_care_reads").count() == 2


def test_reading_within_the_limit_tells_nobody(world, officer, settings):
    settings.CARE_READ_ALERT_LIMIT = 20
    care_needs_seen(by=world.supervisor, residents=many_residents(world, 20), purpose="x")
    assert not Notification.objects.filter(purpose="privacy_care_reads").exists()
