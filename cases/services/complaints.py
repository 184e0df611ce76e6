"""The two-stage complaint lifecycle.

    stage 1: received → acknowledged (→ one extension) → answered
    stage 2 (the resident is not satisfied; a different handler):
             answered → received → acknowledged → answered
    answered → closed (by a handler, or by the chase when the escalation period passes)
    withdrawn from any open state

Stage 1 is acknowledged within `complaint_acknowledge_days` and answered within
`complaint_answer_days` of the acknowledgement (one extension of at most
`complaint_extension_days`, with a reason told to the resident); stage 2 is
acknowledged within the same days and answered within `complaint_stage2_answer_days`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from projects.models import Dwelling
from residents.models import Resident
from statuslink import tokens as status_links

from ..models import Complaint
from .base import (
    Step,
    Transition,
    Who,
    change_state,
    create_case,
    is_decider,
    require,
    transitions,
)
from .errors import InvalidInput

S = Complaint.Status
OPEN = frozenset(Complaint.OPEN_STATUSES)


def _t(
    action: str,
    label: str,
    sources: Iterable[str],
    target: str,
    who: Who,
    when: Callable[[Complaint], bool] | None = None,
) -> Transition:
    return Transition(action, label, frozenset(sources), target, who, when)


def _in_stage_one(complaint: Complaint) -> bool:
    return complaint.stage == 1


def _may_extend(complaint: Complaint) -> bool:
    return complaint.stage == 1 and not complaint.extended


D, R = Who.DECIDER, Who.RECORDER

COMPLAINT_TRANSITIONS = transitions(
    _t("acknowledge", _("Acknowledge"), {S.RECEIVED}, S.ACKNOWLEDGED, D),
    _t("extend", _("Extend the answer deadline"), {S.ACKNOWLEDGED}, S.ACKNOWLEDGED, D, _may_extend),
    _t("answer", _("Answer"), {S.ACKNOWLEDGED}, S.ANSWERED, D),
    _t("escalate", _("Take to stage 2"), {S.ANSWERED}, S.RECEIVED, R, _in_stage_one),
    _t("close", _("Close"), {S.ANSWERED}, S.CLOSED, D),
    _t("withdraw", _("Withdraw"), OPEN, S.WITHDRAWN, R),
)


def _change(
    complaint: Complaint,
    by: User,
    action: str,
    apply: Callable[[Step], None],
    reason: str = "",
) -> Complaint:
    return change_state(
        case=complaint,
        by=by,
        table=COMPLAINT_TRANSITIONS,
        action=action,
        apply=apply,
        reason=reason,
    )


def complaint_record(
    *,
    dwelling: Dwelling,
    by: User,
    description: str,
    category: str = Complaint.Category.OTHER,
    resident: Resident | None = None,
    handler: User | None = None,
    submission_id: uuid.UUID | None = None,
) -> Complaint:
    """Record a complaint about the dwelling (once per `submission_id`, for a phone that
    sends twice). It must be acknowledged within the policy's days; the resident is told,
    with their status link."""
    description = require(
        description, field="description", message=_("Describe what the complaint is about.")
    )

    def apply(step: Step) -> None:
        step.case.step_due_at = step.due_in(step.policy.complaint_acknowledge_days)
        # The status link goes out with the first message (statuslink/tokens.py).
        status_links.assign(step.case, step.now)
        step.tell_resident("complaint_received", date=step.case.step_due_at)

    return create_case(
        model=Complaint,
        by=by,
        dwelling=dwelling,
        resident=resident,
        handler=handler,
        submission_id=submission_id,
        values={"description": description, "category": category, "status": S.RECEIVED},
        apply=apply,
    )


def complaint_acknowledge(
    *, complaint: Complaint, by: User, handler: User | None = None
) -> Complaint:
    """Confirm the complaint to the resident and name who handles it (default: `by`)."""

    def apply(step: Step) -> None:
        complaint, policy = step.case, step.policy
        chosen = handler or complaint.handler or step.by
        if not is_decider(chosen, complaint.project):
            raise InvalidInput(_("The handler must be a handler on this project."), field="handler")
        if complaint.stage == 2 and chosen.pk == complaint.stage_one_handler_id:
            raise InvalidInput(
                _("In stage 2 someone other than the stage 1 handler handles the complaint."),
                field="handler",
            )
        complaint.handler = chosen
        complaint.acknowledged_at = step.now
        days = (
            policy.complaint_answer_days
            if complaint.stage == 1
            else policy.complaint_stage2_answer_days
        )
        complaint.step_due_at = step.due_in(days)
        step.tell_resident(
            "complaint_acknowledged", handler=chosen.first_name, date=complaint.step_due_at
        )

    return _change(complaint, by, "acknowledge", apply)


def complaint_extend(*, complaint: Complaint, by: User, days: int, reason: str) -> Complaint:
    """Once, in stage 1: more time to answer, with the reason told to the resident."""
    reason = require(reason, field="reason", message=_("Say why more time is needed."))

    def apply(step: Step) -> None:
        complaint, policy = step.case, step.policy
        if not 1 <= days <= policy.complaint_extension_days:
            raise InvalidInput(
                _("Extend by 1 to %(max)s working days.")
                % {"max": policy.complaint_extension_days},
                field="days",
            )
        complaint.extended, complaint.extension_reason = True, reason
        complaint.step_due_at = step.due_in(days, start=complaint.step_due_at)
        step.data["days"] = days
        step.tell_resident("complaint_extended", reason=reason, date=complaint.step_due_at)

    return _change(complaint, by, "extend", apply, reason)


def complaint_answer(*, complaint: Complaint, by: User, resolution: str) -> Complaint:
    """Answer the complaint; the resident is told. After a stage 1 answer they may ask for
    stage 2 until the policy's closing period ends."""
    resolution = require(resolution, field="resolution", message=_("Write the answer."))

    def apply(step: Step) -> None:
        complaint = step.case
        complaint.resolution = resolution
        complaint.answered_at = step.now
        # Until this moment the resident may take a stage 1 answer to stage 2.
        complaint.step_due_at = step.due_in(step.policy.complaint_close_after_days)
        step.tell_resident(
            "complaint_answered",
            stage=complaint.stage,
            resolution=resolution,
            date=complaint.step_due_at,
        )

    return _change(complaint, by, "answer", apply)


def complaint_escalate(
    *, complaint: Complaint, by: User, reason: str, handler: User | None = None
) -> Complaint:
    """The resident is not satisfied with the stage 1 answer: stage 2, another handler."""
    reason = require(reason, field="reason", message=_("Write down why the resident escalates."))

    def apply(step: Step) -> None:
        complaint = step.case
        if complaint.step_due_at is not None and step.now > complaint.step_due_at:
            raise InvalidInput(_("The period to ask for stage 2 has ended."))
        first = complaint.handler
        if handler is not None:
            if first is not None and handler.pk == first.pk:
                raise InvalidInput(
                    _("In stage 2 someone other than the stage 1 handler handles the complaint."),
                    field="handler",
                )
            if not is_decider(handler, complaint.project):
                raise InvalidInput(
                    _("The handler must be a handler on this project."), field="handler"
                )
        complaint.stage = 2
        complaint.stage_one_handler = first
        complaint.handler = handler
        complaint.acknowledged_at = complaint.answered_at = None
        complaint.step_due_at = step.due_in(step.policy.complaint_acknowledge_days)
        step.tell_resident("complaint_escalated", date=complaint.step_due_at)

    return _change(complaint, by, "escalate", apply, reason)


def complaint_close(*, complaint: Complaint, by: User, note: str = "") -> Complaint:
    """Close an answered complaint."""

    def apply(step: Step) -> None:
        step.case.closed_at = step.now

    return _change(complaint, by, "close", apply, note)


def complaint_withdraw(*, complaint: Complaint, by: User, reason: str) -> Complaint:
    """Withdraw the complaint, with the reason; the resident is told."""
    reason = require(
        reason, field="reason", message=_("Write down why the complaint is withdrawn.")
    )

    def apply(step: Step) -> None:
        step.case.closed_at = step.now
        step.tell_resident("case_withdrawn")

    return _change(complaint, by, "withdraw", apply, reason)
