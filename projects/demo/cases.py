"""What the three kinds of case share: columns, ages, the chase state, the history.

The chase bookkeeping follows cases/schedule.py and cases/chase.py, so that the first
real sweep over demo data carries on where the (imagined) earlier sweeps left off:
no burst of reminders that were "already sent", and some cases due right away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from random import Random

from statuslink.tokens import assign

from .clock import Clock, working_days_between
from .context import TIMELINE_COLUMNS, Run, Site, Subject, event
from .store import Row

# The chase policy's defaults (cases.models.ChasePolicy), which every demo project uses.
REMINDER_EVERY = 2
RESIDENT_UPDATE_DAYS = 10

CASE_COLUMNS: Sequence[str] = (
    "id",
    "project_id",
    "dwelling_id",
    "resident_id",
    "handler_id",
    "created_by_id",
    "created_at",
    "status_changed_at",
    "step_due_at",
    "next_chase_at",
    "reminders_sent",
    "escalation_level",
    "last_reminder_at",
    "resident_news_at",
    "step_seq",
    "status",
)

CHUNK = 5000  # cases generated and written at a time
MAX_AGE_DAYS = 365


class _Link:
    """Holds what `statuslink.tokens.assign` sets on a case."""

    status_link_secret = ""
    status_token: str | None = None
    status_link_issued_at: dt.datetime | None = None
    status_link_revoked_at: dt.datetime | None = None


def seed_cases(
    run: Run,
    site: Site,
    n: int,
    model: type,
    columns: Sequence[str],
    make_row: Callable[[Run, Site, int, list[Row]], Row],
) -> None:
    """Write `n` cases of `model` and their timeline events, CHUNK at a time.

    `make_row` builds one case row and appends that case's events to the list it gets.
    """
    from cases.models import TimelineEvent

    for start in range(0, n, CHUNK):
        ids = run.store.ids(model, min(CHUNK, n - start))
        events: list[Row] = []
        rows = [make_row(run, site, pk, events) for pk in ids]
        run.store.write(model, columns, rows)
        run.store.write(TimelineEvent, TIMELINE_COLUMNS, events)


def status_link(issued_at: dt.datetime) -> tuple[str | None, str, dt.datetime | None]:
    """(status_token, status_link_secret, status_link_issued_at) of a working status link.

    Issued the way the application issues them, so the resident pages and messages of
    demo cases work; the token itself is not stored.
    """
    link = _Link()
    assign(link, issued_at)
    return link.status_token, link.status_link_secret, link.status_link_issued_at


def age(rng: Random, mean_days: float | None, cap: int) -> float:
    """How many days ago a case was recorded.

    Open cases are mostly young (`mean_days`, exponential); closed ones (`None`) are
    spread evenly over the past year. Never before the project started.
    """
    limit = min(cap, MAX_AGE_DAYS)
    if mean_days is None:
        return rng.uniform(min(3, limit), limit)
    return min(limit, rng.expovariate(1 / mean_days))


@dataclass(frozen=True)
class Ladder:
    """After how many missed reminders the chase escalates (schedule.Ladder's numbers)."""

    level1_after: int
    level2_after: int

    def level_at(self, round_: int) -> int:
        missed = round_ - 1
        if missed >= self.level2_after:
            return 2
        return 1 if missed >= self.level1_after else 0


CASE_LADDER = Ladder(level1_after=2, level2_after=4)
PROMISE_LADDER = Ladder(level1_after=1, level2_after=4)


@dataclass
class Chase:
    """The chase columns of one case; a closed case keeps the defaults."""

    step_due: dt.datetime | None = None
    next_chase: dt.datetime | None = None
    reminders: int = 0
    level: int = 0
    last_reminder: dt.datetime | None = None
    resident_news: dt.datetime | None = None

    @property
    def columns(self) -> tuple:
        """Ordered like CASE_COLUMNS from step_due_at to resident_news_at."""
        return (
            self.step_due,
            self.next_chase,
            self.reminders,
            self.level,
            self.last_reminder,
            self.resident_news,
        )


def chase(
    run: Run,
    step_due: dt.datetime,
    changed_at: dt.datetime,
    *,
    ladder: Ladder = CASE_LADDER,
    updates: bool = False,
    closes: bool = False,
) -> Chase:
    """The chase state of an open case whose current step is due at `step_due`.

    A step that is not yet due is chased when it is. An overdue one was reminded a few
    times already (each reminder on time, every REMINDER_EVERY working days), so its
    next reminder may be due now or later. `updates`: the resident wants news, which
    the chase sent every RESIDENT_UPDATE_DAYS since the step began, the last one
    possibly still owed. `closes`: the step ends by itself at `step_due`.
    """
    clock, rng = run.clock, run.rng
    state = Chase(step_due=step_due, resident_news=changed_at if updates else None)
    if closes:
        state.next_chase = step_due
        return state
    reminder_due = step_due
    if step_due <= clock.now:
        missed = 1 + working_days_between(step_due.date(), clock.today) // REMINDER_EVERY
        state.reminders = int(rng.random() * (min(missed, 6) + 1))
        if state.reminders:
            last = clock.due(step_due, (state.reminders - 1) * REMINDER_EVERY)
            state.last_reminder = min(last, clock.now)
            reminder_due = clock.due(state.last_reminder, REMINDER_EVERY)
            state.level = ladder.level_at(state.reminders)
    state.next_chase = reminder_due
    if updates:
        sent = working_days_between(changed_at.date(), clock.today) // RESIDENT_UPDATE_DAYS
        if sent and rng.random() < 0.3:
            sent -= 1  # the last update is still owed
        news = clock.due(changed_at, sent * RESIDENT_UPDATE_DAYS)
        state.resident_news = news
        state.next_chase = min(reminder_due, clock.due(news, RESIDENT_UPDATE_DAYS))
    return state


def chase_events(
    clock: Clock, dwelling: int, subject: Subject, state: Chase, ladder: Ladder = CASE_LADDER
) -> list[Row]:
    """The reminders (and escalations) the chase already sent for an overdue step."""
    events = []
    for round_ in range(1, state.reminders + 1):
        at = min(clock.now, clock.due(state.step_due, (round_ - 1) * REMINDER_EVERY))
        text = f"Herinnering {round_}"
        events.append(event(dwelling, subject, "reminder_sent", at, None, "", "", text))
        level = ladder.level_at(round_)
        if level > ladder.level_at(round_ - 1):
            to = "projectleider" if level == 1 else "corporatie"
            events.append(event(dwelling, subject, "escalated", at, None, "", "", f"Naar {to}"))
    return events


def history(
    dwelling: int,
    subject: Subject,
    path: Sequence[str],
    moments: Sequence[dt.datetime],
    creator: int | None,
    actor: int | None,
    texts: dict[int, str] | None = None,
    *,
    closed: bool = False,
) -> list[Row]:
    """'created', then a 'status_changed' per step of `path` (texts by step index).

    A closed case keeps only its last step. Closed cases are most of a big run and their
    intermediate steps would be over half of all rows (a settled claim has six); open
    cases, where people look and the chase acts, keep every step.
    """
    texts = texts or {}
    events = [
        event(dwelling, subject, "created", moments[0], creator, "", path[0], texts.get(0, ""))
    ]
    first = len(path) - 1 if closed else 1
    for i in range(max(1, first), len(path)):
        events.append(
            event(
                dwelling,
                subject,
                "status_changed",
                moments[i],
                actor,
                path[i - 1],
                path[i],
                texts.get(i, ""),
            )
        )
    return events
