"""Exports match the filtered queue; dashboards count right in a fixed number of queries."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from openpyxl import load_workbook

from cases.models import DamageClaim
from office import dashboard
from projects.models import Project
from residents.models import Visit

from .conftest import at, claim, complaint, promise


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_csv_export_matches_the_filtered_queue(client, world, second_home):
    a = claim(world, due=-2)
    b = claim(world, due=3, dwelling=second_home)
    complaint(world, due=1)
    claim(world, due=1, status=DamageClaim.Status.SETTLED)
    claim(world, dwelling=world.other_dwelling)
    client.force_login(world.handler)
    r = client.get("/office/export.csv", {"kind": "claim"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body(r).decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == [a.number, b.number]
    assert rows[1][9] == "ja"
    overdue = client.get("/office/export.csv", {"overdue": "on"})
    rows = list(csv.reader(io.StringIO(body(overdue).decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == [a.number]


def test_xlsx_export(client, world):
    made = [claim(world, due=d) for d in range(3)]
    client.force_login(world.handler)
    r = client.get("/office/export.xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(body(r))).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == [c.number for c in made]


def test_export_walks_every_page(client, world, monkeypatch):
    monkeypatch.setattr("office.queue.PAGE_SIZE", 2)
    for d in range(7):
        promise(world, due=d)
    client.force_login(world.handler)
    from office import queue

    real = queue.iterate
    monkeypatch.setattr("office.views.exports.iterate", lambda u, f, n: real(u, f, n, batch=3))
    sheet = load_workbook(io.BytesIO(body(client.get("/office/export.xlsx")))).active
    assert sheet.max_row == 8
    rows = body(client.get("/office/export.csv")).decode("utf-8-sig").strip().splitlines()
    assert len(rows) == 8


TRICKY = [
    '=HYPERLINK("http://evil.example")',
    "+31 6 1234",
    "-5 graden",
    "@SUM(A1)",
    'Scheur in \u202egpj.exe\u202c de muur; "kozijn" los\x07',
    "Lekkage   bij\n\nde  badkamer " + "heel erg lang " * 12,
    "Eén" + "x" * 120,
    "  begint met spaties\tof een tab en eindigt met een spatie ",
    "woord " * 15 + "en nog een woord dat over de grens van negentig tekens gaat",
    "",
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("sort", ["due", "new", "old"])
def test_the_csv_postgresql_writes_is_the_csv_python_writes(
    client, world, second_home, language, sort
):
    """queue_csv.py formats and guards every cell in SQL: the same cells, the same order,
    as exports.csv_response makes from the queue's rows in Python."""
    from django.utils import timezone, translation

    from office.exports import csv_response
    from office.queue import Filters
    from office.views.exports import queue_rows

    second_home.addition = "bis"
    second_home.save()
    amounts = [None, Decimal("1250.5"), Decimal("3.25"), Decimal("1234567.89"), Decimal("0")]
    for i, text in enumerate(TRICKY):
        claim(
            world,
            due=None if i == 3 else i - 2,
            dwelling=second_home if i % 2 else None,
            description=text,
            amount_claimed=amounts[i % 5],
            amount_offered=amounts[(i + 2) % 5],
            resident=None if i == 5 else second_home.residents.first(),
        )
        complaint(world, due=i - 4, description=text)
        promise(world, due=None if i % 3 else i, description=text)
    client.force_login(world.handler)
    r = client.get("/office/export.csv", {"sort": sort}, headers={"accept-language": language})
    assert r.status_code == 200
    ours = list(csv.reader(io.StringIO(body(r).decode("utf-8-sig")), delimiter=";"))
    with translation.override(language):
        python = csv_response(
            "x", ours[0], queue_rows(world.handler, Filters(sort=sort), timezone.now())
        )
        theirs = list(csv.reader(io.StringIO(body(python).decode("utf-8-sig")), delimiter=";"))
    assert len(ours) == len(theirs) == 1 + 3 * len(TRICKY)
    assert ours == theirs


def test_dashboard_counts(client, world):
    claim(world, due=-1, status=DamageClaim.Status.ASSESSING)
    claim(world, due=2, created_at=at(-40))
    complaint(world, due=1)
    claim(
        world,
        status=DamageClaim.Status.SETTLED,
        created_at=at(-14),
        settled_at=at(0),
        settle_due_at=at(1),
    )
    Visit.objects.create(dwelling=world.dwelling, visited_by=world.supervisor)
    Visit.objects.create(dwelling=world.dwelling, visited_by=world.supervisor)
    client.force_login(world.manager)
    r = client.get("/office/dashboard/")
    assert r.status_code == 200
    board = r.context["board"]
    assert board.total.visits == 2
    assert board.total.dwellings == world.project.dwellings.count()
    assert board.total.open == 3
    assert board.total.overdue == 1
    assert board.total.by_kind["claim"] == 2
    assert board.total.ages[3] == 1  # recorded 40 days ago: over 20 working days
    assert board.total.settled == 1 and board.total.settled_on_time == 1
    assert 9 <= board.total.average_settle_days <= 10
    assert "<svg" in r.text
    project = client.get(f"/office/projects/{world.project.pk}/dashboard/")
    assert project.context["board"].total.open == 3


def test_dashboard_export(client, world):
    claim(world, status=DamageClaim.Status.ASSESSING)
    client.force_login(world.handler)
    rows = body(client.get("/office/dashboard/export.csv")).decode("utf-8-sig").splitlines()
    assert any("In beoordeling" in r for r in rows[1:])
    projects = body(client.get("/office/dashboard/export.csv", {"table": "projects"})).decode(
        "utf-8-sig"
    )
    assert "Rivierenbuurt" in projects
    r = client.get(f"/office/projects/{world.project.pk}/dashboard/export.xlsx")
    assert r.status_code == 200


@pytest.mark.parametrize("rows", [1, 25, 100])
def test_dashboard_query_count_does_not_grow(client, world, django_assert_num_queries, rows):
    client.force_login(world.manager)
    # The first page stamps the session (idle clock) and notes the second factor.
    client.get("/office/dashboard/")
    for d in range(rows):
        claim(world, due=d)
        complaint(world, due=d)
        promise(world, due=d)
        Visit.objects.create(dwelling=world.dwelling, visited_by=world.supervisor)
    # 1 session, 2 user, 3 projects, 4-6 open cases per project and status (claims,
    # complaints, promises), 7 settled claims, 8 dwellings and their visits, 9 satisfaction
    with django_assert_num_queries(9):
        response = client.get("/office/dashboard/")
    assert response.context["board"].total.open == 3 * rows
    assert response.context["board"].total.visits == rows


def test_visits_are_counted_on_the_visits_index_not_by_reading_every_visit(world):
    # Visits of other projects' homes, as at a million claims.
    other = Project.objects.create(
        name="Elders",
        code="elders",
        corporation=world.corporation,
        contractor=world.contractor,
        city="Ede",
        starts_on=world.project.starts_on,
        ends_on=world.project.ends_on,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO projects_dwelling (project_id, street, number, addition, postcode,"
            " city, block, external_ref) SELECT %s, 'Elders', n, '', '1234 AB', 'Ede', '', ''"
            " FROM generate_series(1, 50000) n",
            [other.pk],
        )
        cursor.execute(
            "INSERT INTO residents_visit (dwelling_id, visited_by_id, visited_at, kind, outcome,"
            " mood, note, created_at) SELECT d.id, %s, now(), 'round', 'spoken', '', '', now()"
            " FROM projects_dwelling d, generate_series(1, 4) WHERE d.street = 'Elders'",
            [world.supervisor.pk],
        )
        cursor.execute("ANALYZE projects_dwelling, residents_visit")
    plan = dashboard.dwellings_and_visits([world.project.pk]).explain()
    assert "Seq Scan on residents_visit" not in plan, plan
    assert "on residents_visit" in plan, plan


@pytest.mark.parametrize("query", [{"q": "Nergensstraat"}, {"q": "Nergensstraat", "kind": "claim"}])
def test_a_csv_export_of_a_search_that_finds_nothing_is_its_header(client, world, query):
    claim(world, due=1)
    client.force_login(world.handler)
    r = client.get("/office/export.csv", query)
    assert r.status_code == 200
    rows = body(r).decode("utf-8-sig").strip().splitlines()
    assert len(rows) == 1 and rows[0].startswith("Zaak;")
