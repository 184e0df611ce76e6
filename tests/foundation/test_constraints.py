"""Integrity lives in the database: these inserts bypass forms and must still be refused."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from cases.models import Complaint, DamageClaim, Promise, TimelineEvent
from projects.models import Dwelling, Project, WorkWindow
from residents.models import Visit


def claim(world, **fields) -> DamageClaim:
    return DamageClaim.objects.create(
        project=world.project, dwelling=world.dwelling, created_by=world.supervisor, **fields
    )


def test_address_is_unique_within_a_project(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Dwelling.objects.create(
            project=world.project,
            street="Rijnstraat",
            number=12,
            addition="A",
            postcode="3522 AB",
            city="Utrecht",
        )


def test_same_address_is_allowed_in_another_project_and_with_another_addition(world):
    Dwelling.objects.create(
        project=world.other_project,
        street="Rijnstraat",
        number=12,
        addition="A",
        postcode="3522 AB",
        city="Utrecht",
    )
    Dwelling.objects.create(
        project=world.project,
        street="Rijnstraat",
        number=12,
        addition="B",
        postcode="3522 AB",
        city="Utrecht",
    )
    assert Dwelling.objects.filter(postcode="3522 AB", number=12).count() == 3


@pytest.mark.parametrize("field", ["amount_claimed", "amount_offered", "amount_paid"])
def test_claim_amounts_cannot_be_negative(world, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        claim(world, **{field: Decimal("-0.01")})
    assert claim(world, **{field: Decimal("0.00")}).pk


def test_replayed_claim_submission_creates_nothing(world):
    submission = uuid.uuid4()
    claim(world, submission_id=submission)
    with pytest.raises(IntegrityError), transaction.atomic():
        claim(world, submission_id=submission)
    assert DamageClaim.objects.filter(submission_id=submission).count() == 1


def test_replayed_visit_submission_creates_nothing(world):
    submission = uuid.uuid4()
    Visit.objects.create(
        dwelling=world.dwelling, visited_by=world.supervisor, submission_id=submission
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(
            dwelling=world.dwelling, visited_by=world.supervisor, submission_id=submission
        )
    assert Visit.objects.count() == 1


def test_the_same_submission_id_is_refused_across_case_kinds_of_one_kind_only(world):
    # Uniqueness is per table: a promise may not reuse a promise's id.
    submission = uuid.uuid4()
    Promise.objects.create(
        project=world.project,
        dwelling=world.dwelling,
        description="Deurstopper",
        submission_id=submission,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Promise.objects.create(
            project=world.project,
            dwelling=world.dwelling,
            description="x",
            submission_id=submission,
        )


def test_project_must_end_after_it_starts(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(
            name="Omgekeerd",
            code="omgekeerd",
            corporation=world.corporation,
            contractor=world.contractor,
            city="Utrecht",
            starts_on=datetime.date(2026, 5, 1),
            ends_on=datetime.date(2026, 4, 30),
        )


def test_work_window_must_end_after_it_starts(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkWindow.objects.create(
            dwelling=world.dwelling,
            description="Keuken",
            starts_on=datetime.date(2026, 3, 14),
            ends_on=datetime.date(2026, 3, 12),
        )


def test_cancelled_promise_needs_a_reason(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Promise.objects.create(
            project=world.project,
            dwelling=world.dwelling,
            description="Deurbel",
            status="cancelled",
        )


def test_stage_two_complaint_needs_another_handler(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.create(
            project=world.project,
            dwelling=world.dwelling,
            description="Stof",
            stage=2,
            handler=world.handler,
            stage_one_handler=world.handler,
        )
    Complaint.objects.create(
        project=world.project,
        dwelling=world.dwelling,
        description="Stof",
        stage=2,
        handler=world.manager,
        stage_one_handler=world.handler,
    )


def test_extension_needs_a_reason(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.create(
            project=world.project, dwelling=world.dwelling, description="Lawaai", extended=True
        )


def test_timeline_event_belongs_to_at_most_one_case(world):
    c = claim(world)
    p = Promise.objects.create(project=world.project, dwelling=world.dwelling, description="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        TimelineEvent.objects.create(dwelling=world.dwelling, claim=c, promise=p, kind="note")
    TimelineEvent.objects.create(dwelling=world.dwelling, claim=c, kind="note")
