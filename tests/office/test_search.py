"""Queue search: any part of a name, street or description, accents ignored, on an index."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection

from cases.models import DamageClaim
from office import search
from projects.models import Dwelling, Project
from residents.models import Resident
from tests.foundation.helpers import ROOT

from .conftest import claim, complaint
from .test_queue import key, numbers


@pytest.fixture
def named(world):
    """Residents whose names a plain `icontains` would miss."""
    wittkade = Dwelling.objects.create(
        project=world.project, street="Wittkade", number=3, postcode="3522 EF", city="Utrecht"
    )
    Resident.objects.create(dwelling=wittkade, first_name="Şükrü", last_name="Öztürk")
    veen = Dwelling.objects.create(
        project=world.project, street="Łąkowa", number=1, postcode="3522 GH", city="Utrecht"
    )
    Resident.objects.create(dwelling=veen, first_name="Daan", last_name="van der Veen")
    return {
        "leak": claim(world, dwelling=wittkade, description="Lekkage in de badkamer"),
        "floor": complaint(world, dwelling=veen, description="Vloer 100% kapot_gemaakt"),
        "truus": claim(world, description="Kras op de deur"),
    }


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Ozturk", ["leak"]),
        ("sukru öztürk", ["leak"]),
        ("TTKAD", ["leak"]),
        ("Veen", ["floor"]),
        ("Daan van der Veen", ["floor"]),
        ("lakowa", ["floor"]),
        # Words may come from different fields of one case.
        ("ozturk lekkage", ["leak"]),
        ("Truus kras", ["truus"]),
        ("ozturk kras", []),
        # LIKE's wildcards are letters here, not patterns.
        ("100%", ["floor"]),
        ("t_g", ["floor"]),
        ("%", ["floor"]),
        ("_", ["floor"]),
    ],
)
def test_search_finds_any_part_accents_ignored(client, world, named, q, expected):
    client.force_login(world.handler)
    response = client.get("/office/", {"q": q})
    assert sorted(numbers(response)) == sorted(key(named[name]) for name in expected)


def test_fold_matches_postgresql_unaccent(db):
    words = ["Şükrü Yılmaz", "Łukasz", "Øster", "Straße", "Ærø", "Cœur", "Đorđe", "Ĳsselmeer"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(["woonrust_fold(%s)"] * len(words)), words)
        folded = list(cursor.fetchone())
    assert folded == [search.fold(w) for w in words]


def test_a_name_search_reads_the_trigram_index_on_a_large_table(db, world):
    Resident.objects.bulk_create(
        Resident(dwelling=world.dwelling, first_name=f"Voornaam{n}", last_name=f"Achternaam{n}")
        for n in range(30000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE residents_resident")
    residents = Resident.objects.filter(search._contains(search.FullName(), "Öztürk"))
    plan = residents.explain()
    assert "residents_resident_name_trgm" in plan, plan


def test_the_search_tables_hold_on_the_embedded_sqlite(tmp_path):
    # `make run` searches SQLite, where `woonrust_fold` is Python and nothing is indexed:
    # the same tables of queries, in a run of their own on an SQLite database.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/office/test_search.py::test_search_finds_any_part_accents_ignored",
            "tests/office/test_queue.py::test_search",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": "",
            "WOONRUST_TEST_SQLITE": "1",
            "WOONRUST_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout[-500:]


@pytest.mark.parametrize("rows", [1, 25, 100])
def test_a_name_search_takes_the_same_queries_for_any_number_of_matches(
    client, world, django_assert_num_queries, rows
):
    for n in range(rows):
        home = Dwelling.objects.create(
            project=world.project, street="Kade", number=n + 1, postcode="3522 EF", city="Utrecht"
        )
        resident = Resident.objects.create(dwelling=home, first_name="Anna", last_name="Vermeulen")
        claim(world, dwelling=home, resident=resident)
    client.force_login(world.handler)
    client.get("/office/")  # the first page stamps the session
    # 1 session, 2 user, 3 projects for the filter, 4 handlers, 5 matching residents and
    # 6 streets (once for all kinds), 7-9 the matching ids per kind, 10 the page's keys,
    # 11 what they show, 12 care needs
    with django_assert_num_queries(12):
        response = client.get("/office/", {"q": "vermeulen"})
    assert len(numbers(response)) == min(rows, 50)


def test_a_common_name_is_looked_up_in_my_projects_not_in_every_project(db, world):
    # The same surname thousands of times in another project, as at a million claims.
    other = Project.objects.create(
        name="Elders",
        code="elders",
        corporation=world.corporation,
        contractor=world.contractor,
        city="Ede",
        starts_on=world.project.starts_on,
        ends_on=world.project.ends_on,
    )
    mine = Resident.objects.create(dwelling=world.dwelling, first_name="Jan", last_name="Smit")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO projects_dwelling (project_id, street, number, addition, postcode,"
            " city, block, external_ref) SELECT %s, 'Elders', n, '', '1234 AB', 'Ede', '', ''"
            " FROM generate_series(1, 20000) n",
            [other.pk],
        )
        cursor.execute(
            "INSERT INTO residents_resident (dwelling_id, first_name, last_name, phone, email,"
            " language, contact_channel, is_main_contact, non_essential_messages, created_at)"
            " SELECT d.id, 'Piet', 'Smit', '', '', 'nl', 'sms', true, true, now()"
            " FROM projects_dwelling d, generate_series(1, 2) WHERE d.street = 'Elders'"
        )
        cursor.execute("ANALYZE projects_dwelling, residents_resident")
    mine_only = Project.objects.filter(pk=world.project.pk)
    residents = Resident.objects.filter(
        search._contains(search.FullName(), "smit"), dwelling__project__in=mine_only
    )
    plan = residents.explain()
    # Through my project's dwellings, not every Smit in the database by the name index.
    assert "residents_resident_dwelling_id" in plan, plan
    assert "residents_resident_name_trgm" not in plan, plan
    found = claim(world, resident=mine)
    cond = search.words_matching("smit", mine_only)
    assert list(DamageClaim.objects.filter(cond)) == [found]
