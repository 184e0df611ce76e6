"""Promises (toezeggingen): small jobs a supervisor promised, open, done or cancelled."""

from __future__ import annotations

import datetime as dt

from cases.models import Promise
from cases.models.promises import PromiseStatus as S

from . import data
from .cases import (
    CASE_COLUMNS,
    PROMISE_LADDER,
    Chase,
    age,
    chase,
    chase_events,
    history,
    seed_cases,
)
from .clock import add_working_days
from .context import Run, Site, between, pick, promise_subject
from .store import Row

PROMISE_COLUMNS = (*CASE_COLUMNS, "description", "due_on", "done_at", "cancel_reason")

STATUS_WEIGHTS: dict[str, float] = {S.OPEN: 25, S.DONE: 65, S.CANCELLED: 10}
AGE_MEAN: dict[str, float | None] = {S.OPEN: 8, S.DONE: None, S.CANCELLED: None}


def seed_promises(run: Run, site: Site, n: int) -> None:
    seed_cases(run, site, n, Promise, PROMISE_COLUMNS, _promise)


def _promise(run: Run, site: Site, pk: int, events: list[Row]) -> Row:
    rng, clock = run.rng, run.clock
    status = run.promise_statuses.next(rng)
    days = age(rng, AGE_MEAN[status], site.age_days(clock.today))
    created_at = clock.days_ago(days)
    due_on = add_working_days(created_at.date(), between(rng, 1, 10))
    dwelling, resident, _updates = pick(rng, site.homes)
    # The supervisor who made the promise is the one who keeps it.
    supervisor = pick(rng, site.team.supervisors)

    changed_at = created_at
    done_at = None
    state = Chase()
    cancel_reason = ""
    if status == S.OPEN:
        # Due when the office opens on the due date; promises get no resident updates.
        step_due = clock.at(due_on, 8)
        state = chase(run, step_due, changed_at, ladder=PROMISE_LADDER)
    else:
        # Most promises are kept around the due date, a few late; none in the future.
        when = due_on + dt.timedelta(days=between(rng, -3, 4))
        changed_at = max(created_at, clock.office_time(min(when, clock.today)))
        if status == S.DONE:
            done_at = changed_at
        else:
            cancel_reason = pick(rng, data.CANCEL_REASONS)

    path = [S.OPEN] if status == S.OPEN else [S.OPEN, status]
    subject = promise_subject(pk)
    texts = {1: cancel_reason} if cancel_reason else None
    moments = [created_at, changed_at]
    events.extend(history(dwelling, subject, path, moments, supervisor, supervisor, texts))
    if state.reminders:
        events.extend(chase_events(clock, dwelling, subject, state, PROMISE_LADDER))

    return (
        pk,
        site.project_id,
        dwelling,
        resident,
        supervisor,
        supervisor,
        created_at,
        changed_at,
        *state.columns,
        len(path),
        status,
        pick(rng, data.PROMISES),
        due_on,
        done_at,
        cancel_reason,
    )
