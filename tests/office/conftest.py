"""Cases for the back-office tests, on top of the named world."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from cases.models import Complaint, DamageClaim, Promise
from projects.models import Dwelling
from residents.models import CareNeed, Resident

NOW = datetime.datetime.now(tz=datetime.UTC)


def at(days: float) -> datetime.datetime:
    return NOW + datetime.timedelta(days=days)


def claim(
    world, *, project=None, dwelling=None, due: float | None = 2, **fields: Any
) -> DamageClaim:
    dwelling = dwelling or world.dwelling
    values: dict[str, Any] = {
        "project": project or dwelling.project,
        "dwelling": dwelling,
        "resident": dwelling.residents.first(),
        "created_by": world.supervisor,
        "status": DamageClaim.Status.REPORTED,
        "step_seq": 1,
        "step_due_at": None if due is None else at(due),
        "next_chase_at": at(30),
        "resident_news_at": NOW,
    }
    values.update(fields)
    return DamageClaim.objects.create(**values)


def complaint(world, *, dwelling=None, due: float | None = 2, **fields: Any) -> Complaint:
    dwelling = dwelling or world.dwelling
    values: dict[str, Any] = {
        "project": dwelling.project,
        "dwelling": dwelling,
        "resident": dwelling.residents.first(),
        "created_by": world.supervisor,
        "description": "Stof in de woonkamer",
        "status": Complaint.Status.RECEIVED,
        "step_seq": 1,
        "step_due_at": None if due is None else at(due),
        "next_chase_at": at(30),
    }
    values.update(fields)
    return Complaint.objects.create(**values)


def promise(world, *, dwelling=None, due: float | None = 2, **fields: Any) -> Promise:
    dwelling = dwelling or world.dwelling
    values: dict[str, Any] = {
        "project": dwelling.project,
        "dwelling": dwelling,
        "resident": dwelling.residents.first(),
        "created_by": world.supervisor,
        "description": "Deurstopper vastzetten",
        "status": Promise.Status.OPEN,
        "step_seq": 1,
        "step_due_at": None if due is None else at(due),
        "next_chase_at": at(30),
    }
    values.update(fields)
    return Promise.objects.create(**values)


@pytest.fixture(autouse=True)
def _imports_in_tmp(monkeypatch, tmp_path) -> None:
    """Uploaded address files wait for confirmation in a temporary folder, not var/."""
    monkeypatch.setattr("office.views.projects.IMPORT_DIR", tmp_path / "imports")


@pytest.fixture
def second_home(world) -> Dwelling:
    """Another address in project A, whose resident has care needs."""
    home = Dwelling.objects.create(
        project=world.project,
        street="Maasstraat",
        number=7,
        postcode="3522 CD",
        city="Utrecht",
    )
    resident = Resident.objects.create(dwelling=home, first_name="Bep", last_name="de Boer")
    CareNeed.objects.create(resident=resident, kind=CareNeed.Kind.ELDERLY)
    return home
