"""Several sweeps at once on PostgreSQL: every due case is chased exactly once."""

from __future__ import annotations

import datetime
import threading
from collections import Counter

import pytest
import time_machine
from django.db import connection
from django.db.models import Count

from cases.models import DamageClaim, Notification, TimelineEvent
from cases.sweep import SweepReport, sweep

from .conftest import TUESDAY

DUE = 10_000
SWEEPS = 4


def seed_due_claims(world, count: int) -> None:
    due = TUESDAY - datetime.timedelta(minutes=5)
    DamageClaim.objects.bulk_create(
        [
            DamageClaim(
                project=world.project,
                dwelling=world.dwelling,
                created_by=world.supervisor,
                created_at=due - datetime.timedelta(days=3),
                status_changed_at=due - datetime.timedelta(days=3),
                status=DamageClaim.Status.REPORTED,
                step_seq=1,
                step_due_at=due,
                next_chase_at=due,
                resident_news_at=due,
            )
            for _ in range(count)
        ],
        batch_size=2000,
    )


def run_at_once(n: int) -> list[SweepReport]:
    reports: list[SweepReport] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(n)

    def one() -> None:
        try:
            barrier.wait()
            reports.append(sweep(now=TUESDAY, batch_size=200, dispatch=False))
        except BaseException as exc:  # surfaced below: a thread must not fail silently
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    return reports


@pytest.mark.django_db(transaction=True)
def test_four_sweeps_over_ten_thousand_due_claims_write_each_message_once(world):
    assert connection.features.has_select_for_update_skip_locked
    seed_due_claims(world, DUE)
    with time_machine.travel(TUESDAY, tick=False):
        reports = run_at_once(SWEEPS)

    assert sum(r.tally.cases for r in reports) == DUE  # every case taken by one sweep
    assert sum(r.errors for r in reports) == 0
    assert sum(1 for r in reports if r.tally.cases) >= 2, "the sweeps did not overlap"

    assert Notification.objects.count() == DUE
    per_claim = Counter(Notification.objects.values_list("claim_id", flat=True))
    assert set(per_claim.values()) == {1}
    assert Notification.objects.values("key").distinct().count() == DUE
    reminders = TimelineEvent.objects.filter(kind=TimelineEvent.Kind.REMINDER_SENT)
    assert reminders.count() == DUE
    assert not reminders.values("claim").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert set(DamageClaim.objects.values_list("reminders_sent", flat=True)) == {1}
    assert not DamageClaim.objects.due(TUESDAY).exists()

    # Sweeping again at the same moment finds nothing and writes nothing.
    with time_machine.travel(TUESDAY, tick=False):
        again = run_at_once(SWEEPS)
    assert sum(r.tally.cases for r in again) == 0
    assert Notification.objects.count() == DUE


@pytest.mark.django_db(transaction=True)
def test_the_sweep_query_uses_the_partial_index(world):
    seed_due_claims(world, 50)
    query = DamageClaim.objects.due(TUESDAY).order_by("next_chase_at")[:500]
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = query.explain()
        cursor.execute("RESET enable_seqscan")
    assert "claim_open_chase_idx" in plan
