"""The route a demo claim took through its lifecycle, and the deadlines set along it.

Deadlines follow the claim services (cases/services/claims.py, claim_decisions.py) with
the chase policy's defaults, so demo claims look exactly like claims that went through
the application.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from random import Random

from cases.models.claims import ClaimStatus as S

from .clock import Clock, add_working_days
from .context import between, pick

# Working days per step (ChasePolicy defaults).
CONTACT_DAYS = 2
DECISION_DAYS = 5
SETTLE_DAYS = 20
OBJECTION_DAYS = 30
EXPERT_REPORT_DAYS = 10
RESIDENT_ANSWER_DAYS = 2  # the chase reminds the resident every cadence

DECISIONS = (S.ACCEPTED, S.PARTLY_ACCEPTED, S.REJECTED)
WAITING = (S.WAITING_RESIDENT, S.WAITING_EXPERT)


def claim_path(rng: Random, status: str, large: bool) -> tuple[list[str], bool]:
    """The statuses a claim went through to reach `status`, and whether it was objected to.

    `large`: above the expert threshold, so the insurer's expert assessed it before any
    decision.
    """
    if status == S.REPORTED:
        return [S.REPORTED], False
    if status == S.WITHDRAWN:
        before = [S.REPORTED, S.ASSESSING] if rng.random() < 0.6 else [S.REPORTED]
        return [*before, S.WITHDRAWN], False
    path: list[str] = [S.REPORTED, S.ASSESSING]
    if status in WAITING:
        return [*path, status], False
    if rng.random() < 0.15:
        path += [S.WAITING_RESIDENT, S.ASSESSING]
    if large:
        path += [S.WAITING_EXPERT, S.ASSESSING]
    objection = status in (S.ASSESSING, S.REJECTED) and rng.random() < 0.1
    if objection:
        path += [S.REJECTED, S.ASSESSING]
    if status in (S.ASSESSING, S.REJECTED, S.ACCEPTED, S.PARTLY_ACCEPTED):
        return (path if status == S.ASSESSING else [*path, status]), objection
    repair = status in (S.REPAIR_PLANNED, S.REPAIRED) or (
        status == S.SETTLED and rng.random() < 0.4
    )
    if repair:
        path += [S.ACCEPTED, S.REPAIR_PLANNED]
        done = S.REPAIRED
    else:
        path += [pick(rng, (S.ACCEPTED, S.PARTLY_ACCEPTED)), S.COMPENSATION_OFFERED]
        done = S.PAID
    if status in (done, S.SETTLED):
        path.append(done)
    if status == S.SETTLED:
        path.append(S.SETTLED)
    return path, False


def last_index(path: list[str], status: str) -> int:
    return len(path) - 1 - path[::-1].index(status)


@dataclass
class ClaimDates:
    """The lifecycle moments the claim services record besides the status."""

    objection_deadline: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    settle_due: dt.datetime | None = None
    paused_due: dt.datetime | None = None
    expert_requested: dt.datetime | None = None
    expert_reported: dt.datetime | None = None
    repair_date: dt.date | None = None


def claim_dates(
    rng: Random, clock: Clock, path: list[str], moments: list[dt.datetime], objection: bool
) -> ClaimDates:
    dates = ClaimDates()
    status = path[-1]
    if S.REJECTED in path:
        first_rejection = moments[path.index(S.REJECTED)]
        dates.objection_deadline = clock.due(first_rejection, OBJECTION_DAYS)
        if status == S.REJECTED and objection:
            # A rejection after an objection is final at once.
            dates.objection_deadline = dates.closed_at = moments[-1]
        elif status == S.REJECTED and dates.objection_deadline <= clock.now:
            dates.closed_at = dates.objection_deadline  # the chase closed it
    accepted = [i for i, s in enumerate(path) if s in (S.ACCEPTED, S.PARTLY_ACCEPTED)]
    if accepted:
        dates.settle_due = clock.due(moments[accepted[-1]], SETTLE_DAYS)
    if status in WAITING:
        # The handler's decision deadline, kept while the claim waits.
        dates.paused_due = clock.due(moments[-2], DECISION_DAYS)
    if S.WAITING_EXPERT in path:
        step = last_index(path, S.WAITING_EXPERT)
        dates.expert_requested = moments[step]
        if step + 1 < len(path):
            dates.expert_reported = moments[step + 1]
    if S.REPAIRED in path:
        dates.repair_date = moments[path.index(S.REPAIRED)].date()
    elif S.REPAIR_PLANNED in path:
        # Planned a few days to weeks ahead; some of those dates have passed by now.
        planned_at = moments[path.index(S.REPAIR_PLANNED)]
        dates.repair_date = planned_at.date() + dt.timedelta(days=between(rng, 2, 25))
    return dates


def step_due(clock: Clock, status: str, changed_at: dt.datetime, dates: ClaimDates) -> dt.datetime:
    """The deadline the claim services give the step an open claim is in."""
    if status == S.REPORTED:
        return clock.due(changed_at, CONTACT_DAYS)
    if status == S.ASSESSING:
        return clock.due(changed_at, DECISION_DAYS)
    if status == S.WAITING_RESIDENT:
        return clock.due(changed_at, RESIDENT_ANSWER_DAYS)
    if status == S.WAITING_EXPERT:
        return clock.due(changed_at, EXPERT_REPORT_DAYS)
    if status == S.REJECTED and dates.objection_deadline is not None:
        return dates.objection_deadline
    if status == S.REPAIR_PLANNED and dates.repair_date is not None:
        # The handler confirms the repair the working morning after the date.
        return clock.at(add_working_days(dates.repair_date, 1), 8)
    if dates.settle_due is None:
        raise ValueError(f"A claim in {status} needs a decision first.")
    if status in (S.ACCEPTED, S.PARTLY_ACCEPTED) or dates.settle_due > changed_at:
        return dates.settle_due
    return clock.due(changed_at, CONTACT_DAYS)  # settle deadline passed: a short new one
