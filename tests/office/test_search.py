"""Queue search: any part of a name, street or description, accents ignored, on an index."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection

from office import search
from projects.models import Dwelling
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
