"""The sweep writes in bulk: its queries do not grow with the cases in a batch, and a
sweep with nothing due is one query answered by the partial indexes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from cases.models import Complaint, DamageClaim, Notification, Promise, TimelineEvent
from cases.sweep import sweep, waiting_query

from .conftest import TUESDAY, make_claim, make_complaint, make_promise
from .test_sweep_concurrency import seed_due_claims

# The EXISTS probes; then the batch: savepoint, lock the due ids, load them, policies,
# absences, team, savepoint for the writes, the cases' UPDATE, the timeline INSERT, the
# outbox INSERT, the due messages' ids, two releases; then the empty batch that ends the
# loop (savepoint, lock: nothing, release). Savepoints count: the test runs in a
# transaction.
SWEEP_QUERIES = 17


@pytest.mark.parametrize("due", [1, 25, 100])
@pytest.mark.django_db
def test_the_sweep_takes_as_many_queries_for_1_25_or_100_due_cases(
    world, due, django_assert_num_queries
):
    seed_due_claims(world, due)
    with django_assert_num_queries(SWEEP_QUERIES):
        report = sweep(now=TUESDAY, batch_size=500, dispatch=False)
    assert report.tally.cases == due
    assert report.batches == 1
    assert Notification.objects.count() == due
    assert TimelineEvent.objects.filter(kind=TimelineEvent.Kind.REMINDER_SENT).count() == due
    assert set(DamageClaim.objects.values_list("reminders_sent", flat=True)) == {1}
    assert not DamageClaim.objects.due(TUESDAY).exists()


@pytest.mark.django_db
def test_a_sweep_with_nothing_due_is_one_query(world, django_assert_num_queries):
    seed_due_claims(world, 3)
    sweep(now=TUESDAY, dispatch=False)
    with django_assert_num_queries(1):
        report = sweep(now=TUESDAY, dispatch=False)
    assert report.tally.cases == 0


@pytest.mark.django_db
def test_an_open_case_without_a_chase_moment_is_scheduled(world):
    claim = make_claim(world, next_chase_at=None)
    report = sweep(now=TUESDAY, dispatch=False)
    assert report.adopted == 1
    claim.refresh_from_db()
    assert claim.next_chase_at == TUESDAY


def _fill(model, template, rows: int) -> None:
    """Copy `template` `rows` times in one INSERT … SELECT generate_series: one in 50
    open, the rest closed without a chase moment, as a live table is."""
    table = model._meta.db_table
    quote = connection.ops.quote_name
    closed = {DamageClaim: "settled", Complaint: "closed", Promise: "done"}[model]
    is_open = "g %% 50 = 0"
    overrides = {
        "status": f"CASE WHEN {is_open} THEN status ELSE '{closed}' END",
        "next_chase_at": f"CASE WHEN {is_open} THEN %s - g * interval '1 second' END",
        "submission_id": "NULL",
        "status_token": "NULL",
    }
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    select = [overrides.get(c, quote(c)) for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
            f"SELECT {', '.join(select)} FROM {quote(table)}, generate_series(1, %s) AS g "
            f"WHERE {quote(table)}.id = %s",
            [TUESDAY, rows, template.pk],
        )
        # Statistics taken while those cases were due, then a sweep chased them all:
        # the planner still thinks many are due, as right after a big sweep.
        cursor.execute(f"ANALYZE {quote(table)}")
        cursor.execute(
            f"UPDATE {quote(table)} SET next_chase_at = %s WHERE next_chase_at <= %s",
            [TUESDAY + datetime.timedelta(days=1), TUESDAY],
        )


@pytest.mark.django_db
def test_the_nothing_due_sweep_uses_the_partial_indexes(world):
    later = TUESDAY + datetime.timedelta(days=1)
    _fill(DamageClaim, make_claim(world, next_chase_at=later), 60_000)
    _fill(Complaint, make_complaint(world, next_chase_at=later), 30_000)
    _fill(Promise, make_promise(world, next_chase_at=later), 30_000)
    sql, params = waiting_query(TUESDAY)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for prefix in ("claim", "complaint", "promise"):
        assert f"{prefix}_open_chase_idx" in plan, plan
        assert f"{prefix}_open_unscheduled_idx" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert sweep(now=TUESDAY, dispatch=False).tally.cases == 0
