"""Anonymising takes a fixed number of queries per batch, however many addresses or
residents are in it: the retention job does set-based updates, not a save per row."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import ClaimPhoto
from cases.services import claim_report, complaint_record
from privacy.erase import ERASED, anonymise_residents
from privacy.models import AnonymisedDwelling
from privacy.retention import dwellings_anonymise
from projects.models import Dwelling
from residents.models import CareNeed, Resident, Visit
from residents.services import visit_log

pytestmark = pytest.mark.django_db

# What one batch may take at most, for 5 addresses as for 50.
MAX_QUERIES = 45


def addresses(world, django_capture_on_commit_callbacks, n: int, first: int) -> list[Dwelling]:
    """`n` addresses, each with a resident who has a care need, a claim with a photo,
    a complaint, a visit note that names her, her messages and timeline."""
    made = []
    with django_capture_on_commit_callbacks(execute=False):
        for i in range(first, first + n):
            dwelling = Dwelling.objects.create(
                project=world.project,
                street="Batchstraat",
                number=i,
                postcode="3500 AA",
                city="Utrecht",
            )
            resident = Resident.objects.create(
                dwelling=dwelling,
                first_name="Anna",
                last_name=f"Bakker{i}",
                phone=f"06 {10000000 + i}",
                email=f"anna{i}@example.nl",
            )
            CareNeed.objects.create(resident=resident, kind="mobility", note="Rollator")
            claim = claim_report(
                dwelling=dwelling,
                by=world.supervisor,
                resident=resident,
                description=f"Kras bij Anna Bakker{i}",
            )
            complaint_record(
                dwelling=dwelling, by=world.supervisor, resident=resident, description="Stof"
            )
            visit_log(by=world.supervisor, dwelling=dwelling, note=f"Anna Bakker{i} thuis")
            ClaimPhoto.objects.create(
                claim=claim, image=f"claims/p{i}.jpg", thumbnail=f"claims/t{i}.jpg"
            )
            made.append(dwelling)
    return made


def queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def test_a_batch_of_addresses_takes_as_many_queries_for_50_as_for_5(
    world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    few = addresses(world, django_capture_on_commit_callbacks, 5, first=1)
    many = addresses(world, django_capture_on_commit_callbacks, 50, first=100)
    now = timezone.now()
    counts: Counter = Counter()

    with django_assert_max_num_queries(MAX_QUERIES):
        for_few = queries(lambda: dwellings_anonymise(few, now=now, counts=counts))
    with django_assert_max_num_queries(MAX_QUERIES):
        for_many = queries(lambda: dwellings_anonymise(many, now=now, counts=counts))

    assert for_few == for_many, (for_few, for_many)
    assert counts["dwellings"] == 55 and counts["residents"] == 55
    assert counts["photos"] == 55 and counts["files"] == 110
    assert AnonymisedDwelling.objects.count() == 55
    assert not Resident.objects.exclude(last_name=ERASED).filter(dwelling__in=few + many)
    assert not CareNeed.objects.exists()


def test_erasure_of_many_residents_at_once_takes_as_many_queries_as_of_a_few(
    world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    few = addresses(world, django_capture_on_commit_callbacks, 5, first=1)
    many = addresses(world, django_capture_on_commit_callbacks, 50, first=100)
    now = timezone.now()

    def erase(dwellings):
        ids = list(Resident.objects.filter(dwelling__in=dwellings).values_list("pk", flat=True))
        return lambda: anonymise_residents(ids, now=now)

    with django_assert_max_num_queries(MAX_QUERIES):
        for_few = queries(erase(few))
    with django_assert_max_num_queries(MAX_QUERIES):
        for_many = queries(erase(many))

    assert for_few == for_many, (for_few, for_many)
    # Her name is out of the visit note at her address, the rest of the note kept.
    assert not Resident.objects.filter(last_name__startswith="Bakker").exists()
    notes = set(Visit.objects.filter(dwelling__in=few + many).values_list("note", flat=True))
    assert notes == {f"{ERASED} thuis"}
