"""Promises (toezeggingen): open → done, or cancelled with a reason.

The chase reminds whoever made the promise on the due date (at opening time) and
escalates to the project manager `promise_escalate_days` working days later.
"""

from __future__ import annotations

import datetime
import uuid

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from projects.models import Dwelling
from residents.models import Resident

from ..models import Promise
from ..schedule import office
from ..workdays import next_office_moment, start_of_day
from .base import Step, Transition, Who, change_state, create_case, require, transitions

S = Promise.Status

PROMISE_TRANSITIONS = transitions(
    Transition("done", _("Done"), frozenset({S.OPEN}), S.DONE, Who.RECORDER),
    Transition("cancel", _("Cancel"), frozenset({S.OPEN}), S.CANCELLED, Who.RECORDER),
)


def _due_moment(step: Step, due_on: datetime.date) -> datetime.datetime:
    opening = start_of_day(due_on, hour=step.policy.office_opens_hour)
    return next_office_moment(opening, **office(step.policy))


def promise_record(
    *,
    dwelling: Dwelling,
    by: User,
    description: str,
    due_on: datetime.date,
    resident: Resident | None = None,
    handler: User | None = None,
    submission_id: uuid.UUID | None = None,
) -> Promise:
    """Note a promise made to a resident; it is chased until done or cancelled."""
    description = require(
        description, field="description", message=_("Write down what was promised.")
    )

    def apply(step: Step) -> None:
        step.case.step_due_at = _due_moment(step, due_on)

    return create_case(
        model=Promise,
        by=by,
        dwelling=dwelling,
        resident=resident,
        handler=handler,
        submission_id=submission_id,
        values={"description": description, "due_on": due_on, "status": S.OPEN},
        apply=apply,
    )


def promise_done(*, promise: Promise, by: User, note: str = "") -> Promise:
    def apply(step: Step) -> None:
        step.case.done_at = step.now

    return change_state(
        case=promise, by=by, table=PROMISE_TRANSITIONS, action="done", apply=apply, reason=note
    )


def promise_cancel(*, promise: Promise, by: User, reason: str) -> Promise:
    reason = require(reason, field="reason", message=_("Say why the promise is cancelled."))

    def apply(step: Step) -> None:
        step.case.cancel_reason = reason

    return change_state(
        case=promise, by=by, table=PROMISE_TRANSITIONS, action="cancel", apply=apply, reason=reason
    )
