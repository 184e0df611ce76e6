"""Today's round: the homes that need the supervisor, most urgent first; address search;
a fixed number of queries whatever the number of projects, dwellings or cases."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from cases.models import DamageClaim, Promise
from mobile.round import Today, with_facts
from projects.models import Dwelling, Project, ProjectMember, WorkWindow
from residents.models import CareNeed, Resident, Visit

from .conftest import add_dwellings


def _home(world, number: int, **extra) -> Dwelling:
    return Dwelling.objects.create(
        project=world.project,
        street=extra.pop("street", "Waalstraat"),
        number=number,
        postcode=extra.pop("postcode", "3522 EF"),
        city="Utrecht",
        **extra,
    )


def _visited(world, dwelling: Dwelling, days_ago: int = 1) -> None:
    Visit.objects.create(
        dwelling=dwelling,
        visited_by=world.supervisor,
        visited_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_round_orders_homes_by_urgency_and_marks_care_discreetly(client, world):
    now, today = timezone.now(), timezone.localdate()
    late = _home(world, 1)
    DamageClaim.objects.create(
        project=world.project, dwelling=late, step_due_at=now - datetime.timedelta(days=1)
    )
    promise = _home(world, 2)
    Promise.objects.create(project=world.project, dwelling=promise, description="x", due_on=today)
    works = _home(world, 3)
    WorkWindow.objects.create(
        dwelling=works, description="Badkamer", starts_on=today, ends_on=today
    )
    quiet = _home(world, 4)
    long_ago = _home(world, 5)
    care_only = _home(world, 6)
    resident = Resident.objects.create(dwelling=care_only, first_name="Els", last_name="Zorg")
    CareNeed.objects.create(resident=resident, kind="medical_equipment", note="CANARY-ZUURSTOF")
    for d in (late, promise, works, quiet, care_only):
        _visited(world, d)
    _visited(world, long_ago, days_ago=30)
    _visited(world, world.dwelling)
    resident_with_works = Resident.objects.create(dwelling=works, first_name="A", last_name="B")
    CareNeed.objects.create(resident=resident_with_works, kind="hearing", note="CANARY-OOR")

    client.force_login(world.supervisor)
    html = client.get("/m/").text
    order = [f"Waalstraat {n}<" for n in (1, 2, 3, 5)]
    positions = [html.index(a) for a in order]
    assert positions == sorted(positions)
    assert "Waalstraat 4<" not in html  # visited yesterday, nothing due
    assert "Waalstraat 6<" not in html  # care needs alone do not put a home on the round
    assert "Badkamer" in html
    # A marker, never the details.
    assert "✚" in html
    assert "CANARY" not in html
    assert "Ronde van vandaag" in html


def test_search_by_number_street_and_postcode(client, world):
    _home(world, 7, street="Lekstraat", postcode="3523 AA")
    _home(world, 71, street="Lekstraat", postcode="3523 AA")
    _home(world, 9, street="IJsselstraat", postcode="3524 BB", addition="B")
    client.force_login(world.supervisor)
    url = f"/m/p/{world.project.pk}/"

    def found(q: str) -> str:
        response = client.get(url, {"q": q}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert "<html" not in response.text  # a fragment for htmx
        return response.text

    assert "Lekstraat 7<" in found("7") and "Lekstraat 71" not in found("7")
    assert "Lekstraat 71" in found("lekstr 71")
    assert "IJsselstraat 9-B" in found("3524bb")
    assert "IJsselstraat 9-B" in found("9b")
    assert "Rijnstraat 12-A" in found("3522 AB 12")
    assert "Lekstraat" not in found("ijssel")
    assert "Geen adres gevonden" in found("Nergensstraat")
    assert found("a") == '<li class="sub">Typ een huisnummer, een straat of een postcode.</li>'
    assert client.get(url, {"q": " "}, headers={"HX-Request": "true"}).content == b""
    # Without JavaScript the same URL is a whole page.
    page = client.get(url, {"q": "lek"})
    assert "<html" in page.text and "Lekstraat 71" in page.text


def test_search_never_finds_another_projects_addresses(client, world):
    client.force_login(world.supervisor)
    response = client.get(f"/m/p/{world.project.pk}/", {"q": "Merelstraat"})
    assert response.status_code == 200
    assert "Merelstraat 3</span>" not in response.text
    assert "Geen adres gevonden" in response.text


def test_project_round_pages_with_more_link(client, world):
    add_dwellings(world.project, 60, busy=False)  # never visited: all on the round
    client.force_login(world.supervisor)
    first = client.get(f"/m/p/{world.project.pk}/")
    assert first.text.count('class="row"') == 50
    assert "?page=2" in first.text
    more = client.get(f"/m/p/{world.project.pk}/?page=2", headers={"HX-Request": "true"})
    assert more.text.count('class="row"') == 11  # 60 new homes and Rijnstraat 12-A
    assert "?page=3" not in more.text


def _team_project(world, code: str) -> Project:
    project = Project.objects.create(
        name=f"Project {code}",
        code=code,
        corporation=world.corporation,
        contractor=world.contractor,
        city="Utrecht",
        starts_on=world.project.starts_on,
        ends_on=world.project.ends_on,
    )
    ProjectMember.objects.create(project=project, user=world.supervisor, role="supervisor")
    return project


@pytest.mark.parametrize("homes", [1, 25, 100])
def test_round_query_count_does_not_grow(client, world, django_assert_num_queries, homes):
    second = _team_project(world, "tweede")
    add_dwellings(world.project, homes)
    add_dwellings(second, homes)
    client.force_login(world.supervisor)
    client.get("/m/")  # the first page of the day renews the session
    # 1 session, 2 user, 3 the user's projects (with "may work it in the field"),
    # 4 the round of all of them (one windowed query), 5 my open and late promises
    with django_assert_num_queries(5):
        response = client.get("/m/")
    # Thirty homes in all: fifteen of each project.
    assert response.text.count('class="row"') == min(homes + 1, 15) + min(homes, 15)


def test_project_page_query_count(client, world, django_assert_num_queries):
    add_dwellings(world.project, 30)
    client.force_login(world.supervisor)
    client.get("/m/")
    # 1 session, 2 user, 3 project (access), 4 one page of its round
    with django_assert_num_queries(4):
        client.get(f"/m/p/{world.project.pk}/")
    # 1 session, 2 user, 3 project (access), 4 search
    with django_assert_num_queries(4):
        client.get(f"/m/p/{world.project.pk}/", {"q": "Maas 101"}, headers={"HX-Request": "true"})


def test_the_care_mark_probes_indexes_not_every_resident_in_the_database(world):
    # Other projects' residents and care needs, as at a million claims: the round of 200
    # homes must look up each home's residents, not hash every resident there is.
    add_dwellings(world.project, 200)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO projects_dwelling (project_id, street, number, addition, postcode,"
            " city, block, external_ref) SELECT %s, 'Elders', n, '', '1234 AB', 'Ede', '', ''"
            " FROM generate_series(1, 60000) n",
            [_team_project(world, "elders").pk],
        )
        cursor.execute(
            "INSERT INTO residents_resident (dwelling_id, first_name, last_name, phone, email,"
            " language, contact_channel, is_main_contact, non_essential_messages, created_at)"
            " SELECT d.id, 'Ander', 'Mens', '', '', 'nl', 'sms', true, true, now()"
            " FROM projects_dwelling d, generate_series(1, 2) WHERE d.street = 'Elders'"
        )
        cursor.execute(
            "INSERT INTO residents_careneed (resident_id, kind, note) SELECT id, 'elderly', ''"
            " FROM residents_resident WHERE last_name = 'Mens' AND id % 5 = 0"
        )
        cursor.execute("ANALYZE projects_dwelling, residents_resident, residents_careneed")
    dwellings = Dwelling.objects.filter(project=world.project)
    plan = with_facts(dwellings, Today(timezone.now())).values("has_care").explain()
    assert "Seq Scan on residents_resident" not in plan, plan
    assert "Seq Scan on residents_careneed" not in plan, plan
    assert "residents_resident_dwelling_id" in plan, plan
