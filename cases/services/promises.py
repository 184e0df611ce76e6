"""Promises (toezeggingen): open → done, or cancelled with a reason.

A promise is due at the end of its due date's working day (`step_due_at` is closing
time), so one due today is not late the moment it is noted. The chase reminds whoever
made the promise on the due date (at opening time) and escalates to the project
manager `promise_escalate_days` working days later.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from projects.models import Dwelling
from residents.models import Resident

from ..models import Promise, TimelineEvent
from ..schedule import office
from ..workdays import local, next_office_moment, start_of_day
from .base import Step, Transition, Who, change_state, create_case, require, transitions
from .errors import InvalidInput

S = Promise.Status

PROMISE_TRANSITIONS = transitions(
    Transition("done", _("Done"), frozenset({S.OPEN}), S.DONE, Who.RECORDER),
    Transition("cancel", _("Cancel"), frozenset({S.OPEN}), S.CANCELLED, Who.RECORDER),
)


# Moving the date keeps the promise open; a table of its own, so the office's list of
# steps (done, cancel) stays as it is.
MOVE_TRANSITIONS = transitions(
    Transition("move", _("Move the date"), frozenset({S.OPEN}), S.OPEN, Who.RECORDER),
)
MAX_MOVE_AHEAD = datetime.timedelta(days=366)


def _due_moment(step: Step, due_on: datetime.date) -> datetime.datetime:
    """The end of the due date's working day (closing time; a weekend or holiday date
    counts as the next working day). A promise due today is not late before then; the
    chase still reminds at that day's opening (`schedule.reminder_due_at`)."""
    opening = next_office_moment(
        start_of_day(due_on, hour=step.policy.office_opens_hour), **office(step.policy)
    )
    return start_of_day(local(opening).date(), hour=step.policy.office_closes_hour)


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


def _step_once(
    *,
    promise: Promise,
    by: User,
    submission_id: uuid.UUID | None,
    table: dict[str, Transition],
    action: str,
    apply: Callable[[Step], None],
    reason: str,
) -> Promise:
    """Take one step of the promise, once per phone submission: the step's timeline event
    keeps the submission id, and a replay or double tap finds it (under the row lock, so
    two at the same time cannot both pass) and changes nothing."""

    def apply_and_remember(step: Step) -> None:
        apply(step)
        if submission_id is not None:
            step.data["submission_id"] = str(submission_id)

    def step() -> Promise:
        return change_state(
            case=promise,
            by=by,
            table=table,
            action=action,
            apply=apply_and_remember,
            reason=reason,
        )

    if submission_id is None:
        return step()
    with transaction.atomic():
        Promise.objects.select_for_update().filter(pk=promise.pk).first()
        earlier = (
            TimelineEvent.objects.filter(
                promise_id=promise.pk, data__submission_id=str(submission_id)
            )
            .values_list("actor_id", flat=True)
            .first()
        )
        if earlier is not None:
            if earlier != by.pk:
                raise InvalidInput(
                    _("This form was already sent for something else. Check it and send again.")
                )
            promise.refresh_from_db()
            return promise
        return step()


def promise_done(
    *, promise: Promise, by: User, note: str = "", submission_id: uuid.UUID | None = None
) -> Promise:
    """The promise is kept (once per `submission_id`, for a phone that sends twice)."""

    def apply(step: Step) -> None:
        step.case.done_at = step.now

    return _step_once(
        promise=promise,
        by=by,
        submission_id=submission_id,
        table=PROMISE_TRANSITIONS,
        action="done",
        apply=apply,
        reason=(note or "").strip(),
    )


def promise_cancel(
    *, promise: Promise, by: User, reason: str, submission_id: uuid.UUID | None = None
) -> Promise:
    """The promise will not be kept, with the reason (once per `submission_id`)."""
    reason = require(reason, field="reason", message=_("Say why the promise is cancelled."))

    def apply(step: Step) -> None:
        step.case.cancel_reason = reason

    return _step_once(
        promise=promise,
        by=by,
        submission_id=submission_id,
        table=PROMISE_TRANSITIONS,
        action="cancel",
        apply=apply,
        reason=reason,
    )


def promise_move(
    *,
    promise: Promise,
    by: User,
    due_on: datetime.date | None,
    reason: str,
    submission_id: uuid.UUID | None = None,
) -> Promise:
    """Give an open promise a new date (and say why); the chase starts over from it."""
    reason = require(reason, field="reason", message=_("Say why the date moves."))
    today = timezone.localdate()
    if due_on is None:
        raise InvalidInput(_("Choose the new date."), field="due_on")
    if due_on < today:
        raise InvalidInput(_("The date has passed; choose today or later."), field="due_on")
    if due_on > today + MAX_MOVE_AHEAD:
        raise InvalidInput(_("Choose a date within a year."), field="due_on")

    def apply(step: Step) -> None:
        step.data["from"] = step.case.due_on.isoformat()
        step.data["to"] = due_on.isoformat()
        step.case.due_on = due_on
        step.case.step_due_at = _due_moment(step, due_on)

    return _step_once(
        promise=promise,
        by=by,
        submission_id=submission_id,
        table=MOVE_TRANSITIONS,
        action="move",
        apply=apply,
        reason=reason,
    )
