"""The damage-claim lifecycle.

    reported → assessing → (waiting_resident | waiting_expert ↔ assessing)
             → accepted | partly_accepted | rejected
             → repair_planned | compensation_offered → repaired | paid → settled
    withdrawn from any open state; a rejection may be objected to once (→ assessing)
    within the objection period, after which the chase closes the claim.

Deadlines count in working days from the start of each step (policy of the project):
contact within `claim_contact_days`, decision within `claim_decision_days` of the
start of the assessment, settled within `claim_settle_days` of the decision. While the
claim waits for the resident or the expert, the handler's decision clock pauses.
The steps after the assessment (decision, objection, settlement) are in
claim_decisions.py; the whole transition table is `CLAIM_TRANSITIONS` below.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from projects.models import Dwelling
from residents.models import Resident
from statuslink import tokens as status_links

from ..models import DamageClaim
from ..recipients import Teams, handlers, of_expert
from ..workdays import working_days_between
from .base import (
    Step,
    Transition,
    Who,
    change_state,
    create_case,
    require,
    transitions,
)

S = DamageClaim.Status
OPEN = frozenset(DamageClaim.OPEN_STATUSES)
DECIDED = frozenset({S.ACCEPTED, S.PARTLY_ACCEPTED})


def _t(
    action: str,
    label: str,
    sources: Iterable[str],
    target: str,
    who: Who,
    by_resident: bool = False,
    when: Callable[[DamageClaim], bool] | None = None,
) -> Transition:
    return Transition(
        action, label, frozenset(sources), target, who, when=when, by_resident=by_resident
    )


def _awaits_answer(claim: DamageClaim) -> bool:
    return claim.resident_answer == DamageClaim.Answer.AWAITED


def _not_declined(claim: DamageClaim) -> bool:
    return claim.resident_answer != DamageClaim.Answer.DECLINED


def _may_propose(claim: DamageClaim) -> bool:
    """A new offer or repair date: after the decision, or after the resident said no."""
    return claim.status in DECIDED or claim.resident_answer == DamageClaim.Answer.DECLINED


D, R = Who.DECIDER, Who.RECORDER

CLAIM_TRANSITIONS = transitions(
    _t("start_assessment", _("Start the assessment"), {S.REPORTED}, S.ASSESSING, D),
    _t("ask_resident", _("Ask the resident"), {S.ASSESSING}, S.WAITING_RESIDENT, D),
    _t(
        "resident_answered",
        _("Resident has answered"),
        {S.WAITING_RESIDENT},
        S.ASSESSING,
        D,
        by_resident=True,
    ),
    _t("request_expert", _("Send to the expert"), {S.ASSESSING}, S.WAITING_EXPERT, D),
    _t("expert_reported", _("Expert has reported"), {S.WAITING_EXPERT}, S.ASSESSING, D),
    _t("accept", _("Accept"), {S.ASSESSING}, S.ACCEPTED, D),
    _t("partly_accept", _("Partly accept"), {S.ASSESSING}, S.PARTLY_ACCEPTED, D),
    _t("reject", _("Reject"), {S.ASSESSING}, S.REJECTED, D),
    _t("object", _("Objection by the resident"), {S.REJECTED}, S.ASSESSING, R),
    _t(
        "plan_repair",
        _("Plan the repair"),
        {*DECIDED, S.REPAIR_PLANNED, S.COMPENSATION_OFFERED},
        S.REPAIR_PLANNED,
        D,
        # Moving a planned date is always possible; from an offer only once it was declined.
        when=lambda c: c.status == S.REPAIR_PLANNED or _may_propose(c),
    ),
    _t(
        "offer_compensation",
        _("Offer compensation"),
        {*DECIDED, S.COMPENSATION_OFFERED, S.REPAIR_PLANNED},
        S.COMPENSATION_OFFERED,
        D,
        when=_may_propose,
    ),
    # The resident's yes or no to the proposal: on their status link (`by=None`), or
    # recorded by anyone on the project who heard it on the phone or at the door.
    _t(
        "accept_offer",
        _("Resident accepts the offer"),
        {S.COMPENSATION_OFFERED},
        S.COMPENSATION_OFFERED,
        R,
        by_resident=True,
        when=_awaits_answer,
    ),
    _t(
        "decline_offer",
        _("Resident declines the offer"),
        {S.COMPENSATION_OFFERED},
        S.COMPENSATION_OFFERED,
        R,
        by_resident=True,
        when=_awaits_answer,
    ),
    _t(
        "accept_repair_date",
        _("Resident agrees to the repair date"),
        {S.REPAIR_PLANNED},
        S.REPAIR_PLANNED,
        R,
        by_resident=True,
        when=_awaits_answer,
    ),
    _t(
        "decline_repair_date",
        _("Resident cannot on the repair date"),
        {S.REPAIR_PLANNED},
        S.REPAIR_PLANNED,
        R,
        by_resident=True,
        when=_awaits_answer,
    ),
    _t("mark_repaired", _("Repaired"), {S.REPAIR_PLANNED}, S.REPAIRED, R, when=_not_declined),
    _t("mark_paid", _("Paid"), {S.COMPENSATION_OFFERED}, S.PAID, D, when=_not_declined),
    _t("settle", _("Settle"), {S.REPAIRED, S.PAID}, S.SETTLED, D),
    _t("withdraw", _("Withdraw"), OPEN, S.WITHDRAWN, R),
)


def change(
    claim: DamageClaim,
    by: User | None,
    action: str,
    apply: Callable[[Step], None],
    reason: str = "",
) -> DamageClaim:
    """Take claim step `action` (see base.change_state for the contract)."""
    return change_state(
        case=claim, by=by, table=CLAIM_TRANSITIONS, action=action, apply=apply, reason=reason
    )


def claim_report(
    *,
    dwelling: Dwelling,
    by: User,
    resident: Resident | None = None,
    damage_kind: str = DamageClaim.DamageKind.OTHER,
    room: str = DamageClaim.Room.OTHER,
    description: str = "",
    occurred_on: datetime.date | None = None,
    amount_claimed: Decimal | None = None,
    handler: User | None = None,
    submission_id: uuid.UUID | None = None,
) -> DamageClaim:
    """Record a damage claim; the resident is told at once (within office hours) that a
    person will contact them within the policy's contact days."""
    values = {
        "damage_kind": damage_kind,
        "room": room,
        "description": description,
        "amount_claimed": amount_claimed,
        "status": S.REPORTED,
    }
    if occurred_on is not None:
        values["occurred_on"] = occurred_on

    def apply(step: Step) -> None:
        days = step.policy.claim_contact_days
        step.case.step_due_at = step.due_in(days)
        # The status link goes out with the first message (statuslink/tokens.py).
        status_links.assign(step.case, step.now)
        step.tell_resident("claim_received", days=days, date=step.case.step_due_at)

    return create_case(
        model=DamageClaim,
        by=by,
        dwelling=dwelling,
        resident=resident,
        handler=handler,
        submission_id=submission_id,
        values=values,
        apply=apply,
    )


def claim_start_assessment(*, claim: DamageClaim, by: User, note: str = "") -> DamageClaim:
    """A person has contacted the resident; the decision clock starts."""

    def apply(step: Step) -> None:
        if step.case.handler_id is None:
            step.case.handler = step.by
        step.case.step_due_at = step.due_in(step.policy.claim_decision_days)

    return change(claim, by, "start_assessment", apply, note)


def _pause(step: Step) -> None:
    step.case.paused_due_at = step.case.step_due_at


def _resume(step: Step) -> None:
    """Back to assessing: the decision deadline moves by the working days spent waiting."""
    claim = step.case
    paused_due = claim.paused_due_at or step.now
    waited = working_days_between(step.entered_previous_at or step.now, step.now)
    claim.step_due_at = step.due_in(waited, start=paused_due) if waited else paused_due
    claim.paused_due_at = None
    step.data["waited_working_days"] = waited


def claim_ask_resident(*, claim: DamageClaim, by: User, question: str) -> DamageClaim:
    """Ask the resident for information; the chase now follows the resident."""
    question = require(question, field="question", message=_("Write down what you ask."))

    def apply(step: Step) -> None:
        _pause(step)
        step.case.step_due_at = step.due_in(step.policy.reminder_every_days)
        step.tell_resident("claim_question", question=question, date=step.case.step_due_at)

    return change(claim, by, "ask_resident", apply, question)


def claim_resident_answered(
    *, claim: DamageClaim, by: User | None, note: str = "", photos: int = 0
) -> DamageClaim:
    """The resident gave the information asked for; the claim is assessed again.

    `by=None`: the resident added it themselves through their status link (`note` is
    their text); the handler (or the project's handlers) is then told by e-mail."""

    def apply(step: Step) -> None:
        _resume(step)
        if by is None:
            step.data["via"] = "status_link"
            step.data["photos"] = photos
            teams = Teams([step.case.project_id])
            step.tell(
                "resident_replied",
                handlers(step.case, teams),
                text=note,
                photos=photos,
                date=step.case.step_due_at,
            )

    return change(claim, by, "resident_answered", apply, note)


def claim_request_expert(
    *, claim: DamageClaim, by: User, expert_name: str, expert_email: str, note: str = ""
) -> DamageClaim:
    """Hand the claim to the insurer's expert; the chase follows the expert."""
    expert_name = require(expert_name, field="expert_name", message=_("Name the expert."))
    expert_email = require(
        expert_email, field="expert_email", message=_("Give the expert's e-mail address.")
    )

    def apply(step: Step) -> None:
        claim = step.case
        _pause(step)
        claim.expert_name, claim.expert_email = expert_name, expert_email
        claim.expert_requested_at, claim.expert_reported_at = step.now, None
        claim.step_due_at = step.due_in(step.policy.expert_report_days)
        amount = claim.amount_claimed if claim.amount_claimed is not None else "?"
        step.tell("expert_request", [of_expert(claim)], date=claim.step_due_at, amount=amount)
        step.tell_resident("claim_expert", date=claim.step_due_at)

    return change(claim, by, "request_expert", apply, note)


def claim_expert_reported(*, claim: DamageClaim, by: User, note: str = "") -> DamageClaim:
    """The expert's report is in: the assessment goes on, and a decision may now be taken."""

    def apply(step: Step) -> None:
        step.case.expert_reported_at = step.now
        _resume(step)

    return change(claim, by, "expert_reported", apply, note)


def claim_withdraw(*, claim: DamageClaim, by: User, reason: str) -> DamageClaim:
    """Withdraw the claim (e.g. the resident no longer wants it), with the reason; the
    resident is told."""
    reason = require(reason, field="reason", message=_("Write down why the claim is withdrawn."))
    return change(claim, by, "withdraw", lambda s: s.tell_resident("case_withdrawn"), reason)
