"""The sweep: every open case whose next chase moment has passed, in locked batches.

The beat job (`cases.tasks.sweep`, every minute) and `python manage.py chase` both call
`sweep()`. It takes due cases oldest first, `batch_size` at a time, with
`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, so several sweeps can run at once and
never take the same case; SQLite (the embedded default) has no row locks and
serialises writers instead. For each batch, in one transaction: decide per case, then
write the cases' new chase state, their timeline events and their outbox rows. Delivery
tasks are published after the commit. The query is served by the partial index on
`next_chase_at` of open cases, so its cost grows with the cases due, not with all cases.

A case whose processing raises is pushed an hour ahead and logged, so it cannot wedge
the queue; a batch whose writes fail falls back to writing one case at a time. A sweep
stops taking new batches after `budget` seconds (well within the task's soft time
limit); what is left is due again at the next sweep.
"""

from __future__ import annotations

import datetime
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .chase import Tally, carry_out, decide
from .models import CallTask, Complaint, DamageClaim, Letter, Notification, Promise, TimelineEvent
from .models.base import Case
from .outbox import Changes, dispatch_on_commit, redispatch_stale
from .recipients import Teams
from .schedule import policies_for

logger = logging.getLogger(__name__)

RETRY_AFTER = datetime.timedelta(hours=1)
CASE_MODELS: tuple[type[Case], ...] = (DamageClaim, Complaint, Promise)

_CHASE_FIELDS = list(Case.CHASE_FIELDS)
FIELDS: dict[type[Case], list[str]] = {
    DamageClaim: [*_CHASE_FIELDS, "closed_at"],
    Complaint: [*_CHASE_FIELDS, "closed_at"],
    Promise: _CHASE_FIELDS,
}
_RELATED = [
    "project__corporation",
    "project__contractor",
    "project__corporation_contact",
    "dwelling",
    "resident",
    "handler",
]
RELATED: dict[type[Case], list[str]] = {
    DamageClaim: _RELATED,
    Complaint: _RELATED,
    Promise: [*_RELATED, "created_by"],
}


@dataclass
class SweepReport:
    tally: Tally = field(default_factory=Tally)
    batches: int = 0
    errors: int = 0
    notifications: int = 0
    redispatched: int = 0
    seconds: float = 0.0
    out_of_time: bool = False
    adopted: int = 0

    def __str__(self) -> str:
        t = self.tally
        return (
            f"{t.cases} cases due: {t.reminders} reminders, {t.escalations} escalations, "
            f"{t.updates} resident updates, {t.closed} closed, {t.rescheduled} moved to "
            f"office hours, {self.errors} errors; {self.notifications} messages written, "
            f"{self.redispatched} re-dispatched, {self.adopted} unscheduled cases "
            f"scheduled; {self.batches} batches in "
            f"{self.seconds:.2f}s" + (" (time budget used up)" if self.out_of_time else "")
        )


def sweep(
    *,
    now: datetime.datetime | None = None,
    batch_size: int | None = None,
    budget: float | None = None,
    dispatch: bool = True,
) -> SweepReport:
    """Chase every case due at `now` (default: the current time)."""
    now = now or timezone.now()
    batch_size = batch_size or settings.CHASE_BATCH_SIZE
    budget = budget if budget is not None else settings.CHASE_SWEEP_BUDGET_SECONDS
    started = time.monotonic()
    report = SweepReport()
    due, unscheduled = _waiting(now)
    active = [model for model in CASE_MODELS if model in due]
    # Round-robin over the case types so a backlog of claims cannot starve promises.
    while active:
        for model in list(active):
            if time.monotonic() - started > budget:
                report.out_of_time = True
                active = []
                break
            if not _batch(model, now=now, size=batch_size, dispatch=dispatch, report=report):
                active.remove(model)
    for model in unscheduled:
        report.adopted += _adopt_unscheduled(model, now)
    if dispatch:
        report.redispatched = redispatch_stale(now)
    report.seconds = time.monotonic() - started
    return report


def _unscheduled(model: type[Case]) -> QuerySet[Case]:
    # Ordered by id, the index's own order: the model's ordering (newest first) would
    # make the planner walk all open cases by date, expecting many to lack a moment.
    return model.objects.open().filter(next_chase_at__isnull=True).order_by("pk")


def waiting_query(now: datetime.datetime) -> tuple[str, list[Any]]:
    """The SQL of `_waiting`: does each case type have due cases, then unscheduled ones."""
    # Each probe in its partial index's order: without it (or with a model's own
    # ordering) the planner, trusting statistics taken while many cases were due,
    # may look for the first match in a scan of the whole table.
    probes = [model.objects.due(now).order_by("next_chase_at") for model in CASE_MODELS]
    probes += [_unscheduled(model) for model in CASE_MODELS]
    parts, params = [], []
    for query in probes:
        sql, query_params = query.values("pk")[:1].query.sql_with_params()
        parts.append(f"EXISTS ({sql})")
        params += query_params
    return f"SELECT {', '.join(parts)}", params


def _waiting(now: datetime.datetime) -> tuple[set[type[Case]], set[type[Case]]]:
    """Which case types have cases due, and which have open cases without a chase
    moment: one query of EXISTS probes on the partial indexes, so a sweep with nothing
    to do costs a single round trip."""
    with connection.cursor() as cursor:
        cursor.execute(*waiting_query(now))
        found = cursor.fetchone()
    n = len(CASE_MODELS)
    due = {model for model, yes in zip(CASE_MODELS, found[:n], strict=True) if yes}
    unscheduled = {model for model, yes in zip(CASE_MODELS, found[n:], strict=True) if yes}
    return due, unscheduled


def _adopt_unscheduled(model: type[Case], now: datetime.datetime, limit: int = 1000) -> int:
    """An open case without a next chase moment would be forgotten: schedule it now.

    Only cases written outside the services (imports, hand edits) can be in this state;
    a partial index holds exactly those rows (normally none), so this costs next to
    nothing.
    """
    ids = list(_unscheduled(model).values_list("pk", flat=True)[:limit])
    if ids:
        logger.warning("%d open %s rows had no chase moment.", len(ids), model.__name__)
        model.objects.filter(pk__in=ids, next_chase_at__isnull=True).update(next_chase_at=now)
    return len(ids)


def _due(model: type[Case], now: datetime.datetime, size: int) -> list[Case]:
    """Lock up to `size` due cases, oldest first, and load what deciding about them needs.

    The lock is taken on ids alone (a small query on the partial index), so a sweep with
    nothing due costs a few milliseconds; the join is only planned when there is work.
    """
    query = model.objects.due(now).order_by("next_chase_at")
    if connection.features.has_select_for_update_skip_locked:
        # Another sweep holds those rows: skip them rather than wait or take them twice.
        query = query.select_for_update(skip_locked=True)
    ids = list(query.values_list("pk", flat=True)[:size])
    if not ids:
        return []
    related = model.objects.filter(pk__in=ids).select_related(*RELATED[model])
    return list(related.order_by("next_chase_at"))


def _batch(
    model: type[Case], *, now: datetime.datetime, size: int, dispatch: bool, report: SweepReport
) -> int:
    """Chase one batch; returns how many cases it took (0: none left for this sweep)."""
    delay = settings.CHASE_TEST_DELAY_MS / 1000
    with transaction.atomic():
        cases = _due(model, now, size)
        if not cases:
            return 0
        policies = policies_for(c.project_id for c in cases)
        teams = Teams((c.project_id for c in cases), day=timezone.localdate(now))
        done: list[tuple[Case, Changes]] = []
        failed: list[int] = []
        for case in cases:
            if delay:
                time.sleep(delay)  # test hook: widen the window for a crash mid-sweep
            changes = Changes(now)
            try:
                decision = decide(case, policies[case.project_id], now)
                carry_out(
                    case,
                    decision,
                    policy=policies[case.project_id],
                    teams=teams,
                    now=now,
                    changes=changes,
                    tally=report.tally,
                )
            except Exception:
                logger.exception("Chasing %s failed.", case)
                failed.append(case.pk)
                continue
            done.append((case, changes))
        ids = _write(model, done, failed, now)
        if failed:
            # Said only once it is true: in a database outage this raises, the batch
            # rolls back, nothing was pushed, and the cases stay due for the next sweep.
            pushed = model.objects.filter(pk__in=failed).update(next_chase_at=now + RETRY_AFTER)
            logger.warning("%d %s cases pushed an hour ahead after errors.", pushed, model.__name__)
        report.errors += len(failed)
        report.batches += 1
        report.notifications += sum(len(c.rows) for _, c in done)
        if dispatch:
            dispatch_on_commit(ids, now)
    return len(cases)


# Values psycopg takes as they are; anything else (JSON, decimals, enum members, naive
# moments) goes through its field's own preparation, as the ORM would.
_PLAIN = (str, int, bool, type(None))


def _db_value(field: models.Field, value: Any) -> Any:
    if type(value) in _PLAIN or (type(value) is datetime.datetime and value.tzinfo):
        return value
    return field.get_db_prep_save(value, connection)


def _column(column: models.Field, objs: list[Any]) -> tuple[list[Any], str]:
    """One column of a batch as an array parameter: its values and the array's type
    (JSON travels as text and is cast back in the statement)."""
    if isinstance(column, models.JSONField):
        return [json.dumps(getattr(obj, column.attname), cls=column.encoder) for obj in objs], (
            "text[]"
        )
    values = [_db_value(column, getattr(obj, column.attname)) for obj in objs]
    return values, f"{column.cast_db_type(connection)}[]"


def _unnest(fields: list[models.Field], objs: list[Any]) -> tuple[str, list[Any]]:
    """`unnest(%s::type[], …) AS v(col, …)` over `objs` and the column arrays: one
    parameter per column however many rows, so the statement's text (which psycopg
    parses and PostgreSQL plans) is the same for every batch."""
    quote = connection.ops.quote_name
    arrays, params = [], []
    for column in fields:
        values, array_type = _column(column, objs)
        arrays.append(f"%s::{array_type}")
        params.append(values)
    names = ", ".join(quote(f.column) for f in fields)
    return f"unnest({', '.join(arrays)}) AS v({names})", params


def _update_many(model: type[Case], cases: list[Case]) -> None:
    """Write the chase's columns of a whole batch in one `UPDATE … FROM unnest(…)`.

    Much cheaper than `bulk_update` (a CASE … WHEN per field and row) and than one
    UPDATE per case: one statement, one plan, one round trip.
    """
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in FIELDS[model]]
    pk = model._meta.pk
    rows, params = _unnest([pk, *fields], cases)
    table = quote(model._meta.db_table)
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields)
    sql = (
        f"UPDATE {table} SET {assignments} FROM {rows} "
        f"WHERE {table}.{quote(pk.column)} = v.{quote(pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _insert_many(model: type[models.Model], objs: list[Any], *, ignore_conflicts: bool) -> None:
    """Insert `objs` in one `INSERT … SELECT … FROM unnest(…)`, skipping the per-object
    work of `bulk_create`; `ignore_conflicts` adds ON CONFLICT DO NOTHING."""
    if not objs:
        return
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    rows, params = _unnest(fields, objs)
    reads = ", ".join(
        f"v.{quote(f.column)}{'::jsonb' if isinstance(f, models.JSONField) else ''}" for f in fields
    )
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) SELECT {reads} FROM {rows}"
        + (" ON CONFLICT DO NOTHING" if ignore_conflicts else "")
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _save(changes: Changes) -> list[int]:
    """`Changes.save` for a whole batch: each kind of row in one statement (messages,
    calls and letters ON CONFLICT DO NOTHING, so a key is written once); returns the ids
    of the messages that may go out right away."""
    if connection.vendor != "postgresql":
        return changes.save()
    _insert_many(TimelineEvent, changes.events, ignore_conflicts=False)
    _insert_many(CallTask, changes.calls, ignore_conflicts=True)
    _insert_many(Letter, changes.letters, ignore_conflicts=True)
    _insert_many(Notification, changes.rows, ignore_conflicts=True)
    due = [row.key for row in changes.rows if row.send_after <= changes.now]
    if not due:
        return []
    return list(
        Notification.objects.filter(key__in=due, status=Notification.Status.PENDING).values_list(
            "id", flat=True
        )
    )


def _write(
    model: type[Case], done: list[tuple[Case, Changes]], failed: list[int], now: datetime.datetime
) -> list[int]:
    """Write a batch in bulk; if that fails, case by case, so one bad row stays alone."""
    if not done:
        return []
    merged = Changes(now)
    for _, changes in done:
        merged.events += changes.events
        merged.rows += changes.rows
        merged.calls += changes.calls
        merged.letters += changes.letters
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                _update_many(model, [c for c, _ in done])
            else:
                for case, _ in done:
                    case.save(update_fields=FIELDS[model])
            return _save(merged)
    except DatabaseError:
        logger.exception("Writing a chase batch failed; writing its cases one by one.")
    ids: list[int] = []
    for case, changes in done:
        try:
            with transaction.atomic():
                case.save(update_fields=FIELDS[model])
                ids += changes.save()
        except DatabaseError:
            logger.exception("Writing the chase of %s failed.", case)
            failed.append(case.pk)
    return ids
