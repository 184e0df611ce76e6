"""The dwelling page: residents to call, care needs for the team only (and logged),
what is planned, one timeline newest first, a fixed number of queries."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cases.models import TimelineEvent
from cases.services import claim_report, complaint_record, promise_record
from mobile.models import CareNeedAccess
from projects.models import WorkWindow
from residents.models import CareNeed, Resident
from residents.services import visit_log

from .conftest import add_dwellings


def test_dwelling_page_shows_residents_plans_and_one_timeline(client, world):
    today = timezone.localdate()
    WorkWindow.objects.create(
        dwelling=world.dwelling, description="Keuken vervangen", starts_on=today, ends_on=today
    )
    by = world.supervisor
    claim = claim_report(dwelling=world.dwelling, by=by, damage_kind="floor", room="kitchen")
    complaint_record(dwelling=world.dwelling, by=by, description="Stof op de trap")
    promise_record(dwelling=world.dwelling, by=by, description="Deurstopper", due_on=today)
    visit_log(by=by, dwelling=world.dwelling, note="Alles goed")
    client.force_login(world.supervisor)
    response = client.get(f"/m/d/{world.dwelling.pk}/")
    html = response.text
    assert response.status_code == 200
    assert 'href="tel:0612345678"' in html
    assert "Keuken vervangen" in html
    assert f'href="/m/claims/{claim.pk}/"' in html
    # Newest first: the visit was logged last.
    timeline = html.split('id="h-timeline"')[1]
    assert timeline.index("Alles goed") < timeline.index("Deurstopper") < timeline.index("Stof")
    assert 'hx-history="false"' in html
    assert "no-store" in response["Cache-Control"]
    for label in ("Bezoek vastleggen", "Toezegging noteren", "Klacht vastleggen", "Schade melden"):
        assert label in html


def test_care_needs_shown_on_request_to_the_team_and_logged(client, world):
    CareNeed.objects.create(resident=world.resident, kind="mobility", note="CANARY-ROLSTOEL")
    client.force_login(world.supervisor)
    page = client.get(f"/m/d/{world.dwelling.pk}/").text
    assert "CANARY" not in page  # not on the page itself: one tap, and logged
    assert "Zorgbehoefte tonen" in page
    response = client.post(f"/m/d/{world.dwelling.pk}/care/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "CANARY-ROLSTOEL" in response.text
    assert "<html" not in response.text
    access = CareNeedAccess.objects.get()
    assert (access.user, access.resident) == (world.supervisor, world.resident)
    # A GET never shows (or logs) them.
    assert client.get(f"/m/d/{world.dwelling.pk}/care/").status_code == 405


def test_platform_staff_off_the_team_do_not_see_care_needs(client, world):
    CareNeed.objects.create(resident=world.resident, kind="mobility", note="CANARY-ROLSTOEL")
    client.force_login(world.staff)
    assert "Zorgbehoefte tonen" not in client.get(f"/m/d/{world.dwelling.pk}/").text
    assert client.post(f"/m/d/{world.dwelling.pk}/care/").status_code == 404
    assert not CareNeedAccess.objects.exists()


def test_timeline_pages_with_older_link(client, world):
    now = timezone.now()
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            dwelling=world.dwelling,
            kind="note",
            text=f"Notitie-{i:03d}",
            at=now - datetime.timedelta(minutes=i),
        )
        for i in range(75)
    )
    client.force_login(world.supervisor)
    html = client.get(f"/m/d/{world.dwelling.pk}/").text
    assert "Notitie-000" in html and "Notitie-049" in html and "Notitie-050" not in html
    older = html.split('hx-get="?before=')[1].split('"')[0]
    fragment = client.get(
        f"/m/d/{world.dwelling.pk}/?before={older}", headers={"HX-Request": "true"}
    ).text
    assert "Notitie-050" in fragment and "Notitie-074" in fragment and "Notitie-049" not in fragment
    assert "<html" not in fragment
    # Without JavaScript, the same link is a page.
    assert "Notitie-060" in client.get(f"/m/d/{world.dwelling.pk}/?before={older}").text


def test_dwelling_query_count_does_not_grow_with_events(client, world, django_assert_num_queries):
    few = add_dwellings(world.project, 1, start=500)[0]
    many = add_dwellings(world.project, 1, start=600)[0]
    Resident.objects.bulk_create(
        Resident(dwelling=many, first_name=f"Extra{i}", last_name="X") for i in range(5)
    )
    TimelineEvent.objects.bulk_create(
        TimelineEvent(dwelling=many, kind="note", text="meer") for _ in range(200)
    )
    client.force_login(world.supervisor)
    client.get("/m/")  # the first page of the day renews the session
    for dwelling in (few, many):
        # 1 session, 2 user, 3 dwelling with project (access, may see care needs),
        # 4 residents (with "has care needs"), 5 open claims, 6 open complaints,
        # 7 open promises, 8 planned works, 9 timeline page (events with cases, visits, people)
        with django_assert_num_queries(9):
            response = client.get(f"/m/d/{dwelling.pk}/")
        assert response.status_code == 200


def test_dwelling_page_says_whether_the_resident_confirmed_an_appointment(client, world):
    today = timezone.localdate()
    for description, answer in [("Keuken", ""), ("Dak", "confirmed"), ("Badkamer", "move_asked")]:
        WorkWindow.objects.create(
            dwelling=world.dwelling,
            description=description,
            starts_on=today,
            ends_on=today,
            needs_access=True,
            resident_answer=answer,
        )
    client.force_login(world.supervisor)
    html = client.get(f"/m/d/{world.dwelling.pk}/").text
    assert "afspraak nog niet bevestigd" in html
    assert "Door de bewoner bevestigd" in html and "De bewoner vraagt om te verzetten" in html
