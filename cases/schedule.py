"""Whose move it is in each state, and when the chase next looks at a case.

Every open state names the party the chase follows (the handler, the promise's owner,
the resident, the expert) or says the step ends by itself at its deadline (the
objection period of a rejected claim, the escalation period of an answered complaint).
From that, the stored deadline (`step_due_at`) and the reminder bookkeeping, this module
computes `next_chase_at`; the transitions and the sweep both use it, so they can never
disagree about when a case is due.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .models import ChasePolicy, Complaint, DamageClaim, Promise
from .models.base import Case
from .workdays import add_working_days, local, next_office_moment, start_of_day

C = DamageClaim.Status
K = Complaint.Status


class Party(StrEnum):
    HANDLER = "handler"
    OWNER = "owner"
    RESIDENT = "resident"
    EXPERT = "expert"
    NOBODY = "nobody"


@dataclass(frozen=True)
class StepPlan:
    awaited: Party
    # The step ends by itself when `step_due_at` passes (no reminders): the case closes.
    closes: bool = False


CLAIM_PLAN: dict[str, StepPlan] = {
    C.REPORTED: StepPlan(Party.HANDLER),
    C.ASSESSING: StepPlan(Party.HANDLER),
    C.WAITING_RESIDENT: StepPlan(Party.RESIDENT),
    C.WAITING_EXPERT: StepPlan(Party.EXPERT),
    C.ACCEPTED: StepPlan(Party.HANDLER),
    C.PARTLY_ACCEPTED: StepPlan(Party.HANDLER),
    C.REJECTED: StepPlan(Party.NOBODY, closes=True),
    C.REPAIR_PLANNED: StepPlan(Party.HANDLER),
    C.COMPENSATION_OFFERED: StepPlan(Party.HANDLER),
    C.REPAIRED: StepPlan(Party.HANDLER),
    C.PAID: StepPlan(Party.HANDLER),
}
COMPLAINT_PLAN: dict[str, StepPlan] = {
    K.RECEIVED: StepPlan(Party.HANDLER),
    K.ACKNOWLEDGED: StepPlan(Party.HANDLER),
    K.ANSWERED: StepPlan(Party.NOBODY, closes=True),
}
PROMISE_PLAN: dict[str, StepPlan] = {Promise.Status.OPEN: StepPlan(Party.OWNER)}

_PLANS: dict[type[Case], dict[str, StepPlan]] = {
    DamageClaim: CLAIM_PLAN,
    Complaint: COMPLAINT_PLAN,
    Promise: PROMISE_PLAN,
}


def step_plan(case: Case) -> StepPlan | None:
    """The plan of the case's current state; None when the case is no longer open."""
    if not case.is_open:
        return None
    if isinstance(case, DamageClaim) and case.awaits_resident_answer:
        # An offered amount or repair date waits for the resident's yes or no.
        return StepPlan(Party.RESIDENT)
    return _PLANS[type(case)].get(case.status)


@dataclass(frozen=True)
class Ladder:
    """Reminder cadence and after how many missed reminders each rung is reached."""

    cadence_days: int
    level1_after: int
    level2_after: int

    def level_at(self, round_: int) -> int:
        """The ladder level reached at reminder round `round_` (1 = the first reminder)."""
        missed = round_ - 1
        if missed >= self.level2_after:
            return 2
        if missed >= self.level1_after:
            return 1
        return 0


def ladder(case: Case, policy: ChasePolicy) -> Ladder:
    if isinstance(case, Promise):
        # Promises: reminder on the due date, escalation one cadence (2 days) later.
        return Ladder(
            policy.promise_escalate_days,
            1,
            max(2, policy.escalate_to_corporation_after),
        )
    return Ladder(
        policy.reminder_every_days,
        policy.escalate_to_manager_after,
        policy.escalate_to_corporation_after,
    )


def office(policy: ChasePolicy) -> dict[str, int]:
    return {"opens": policy.office_opens_hour, "closes": policy.office_closes_hour}


def in_working_days(moment: datetime.datetime, days: int, policy: ChasePolicy) -> datetime.datetime:
    return add_working_days(moment, days, **office(policy))


def reminder_due_at(case: Case, policy: ChasePolicy) -> datetime.datetime | None:
    """When the next reminder to the awaited party is due (an office moment)."""
    plan = step_plan(case)
    if plan is None or plan.closes:
        return None
    if case.reminders_sent == 0 or case.last_reminder_at is None:
        # A step without a deadline (imported or hand-made data) is due since it began.
        due = case.step_due_at or case.status_changed_at
        if isinstance(case, Promise) and case.step_due_at is not None:
            # Due at the end of the day, reminded at its start: still time to keep it.
            due = start_of_day(local(case.step_due_at).date(), hour=policy.office_opens_hour)
        return next_office_moment(due, **office(policy))
    return in_working_days(case.last_reminder_at, ladder(case, policy).cadence_days, policy)


def gets_resident_updates(case: Case) -> bool:
    plan = step_plan(case)
    return (
        plan is not None
        and not plan.closes
        and not isinstance(case, Promise)
        and case.resident_id is not None
        and case.resident.non_essential_messages
    )


def update_due_at(case: Case, policy: ChasePolicy) -> datetime.datetime | None:
    """When the resident is owed an update because nothing reached them for a while."""
    if not gets_resident_updates(case):
        return None
    anchor = case.resident_news_at or case.created_at
    return in_working_days(anchor, policy.resident_update_days, policy)


def close_due_at(case: Case, policy: ChasePolicy) -> datetime.datetime | None:
    """When a step that ends by itself ends (the case then closes)."""
    plan = step_plan(case)
    if plan is None or not plan.closes:
        return None
    if isinstance(case, DamageClaim) and case.objection_deadline is not None:
        return case.objection_deadline
    if case.step_due_at is not None:
        return case.step_due_at
    days = (
        policy.objection_days
        if isinstance(case, DamageClaim)
        else policy.complaint_close_after_days
    )
    return in_working_days(case.status_changed_at, days, policy)


def next_chase_at(case: Case, policy: ChasePolicy) -> datetime.datetime | None:
    """The earliest moment anything can be due on this case; None once it is not open."""
    moments = [
        m
        for m in (
            reminder_due_at(case, policy),
            update_due_at(case, policy),
            close_due_at(case, policy),
        )
        if m is not None
    ]
    return min(moments) if moments else None


def policies_for(project_ids: Iterable[int]) -> dict[int, ChasePolicy]:
    """Each project's policy (the defaults where a project has none), in one query."""
    ids = set(project_ids)
    found = {p.project_id: p for p in ChasePolicy.objects.filter(project_id__in=ids)}
    return {pid: found.get(pid) or ChasePolicy(project_id=pid) for pid in ids}
