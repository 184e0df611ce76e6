"""Damage claims after the assessment: the decision, an objection, and settlement.

    assessing → accepted | partly_accepted | rejected
    rejected → assessing (one objection, within the objection period; the chase closes
               the claim when the period passes; a second rejection is final at once)
    accepted | partly_accepted → repair_planned → repaired → settled
    accepted | partly_accepted → compensation_offered → paid → settled

Settled within `claim_settle_days` working days of the decision. The transition table
is `CLAIM_TRANSITIONS` in claims.py.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from ops.formatting import money

from ..models import DamageClaim
from ..workdays import next_working_day, start_of_day
from .base import Step, require
from .claims import S, change
from .errors import InvalidInput


def _decide(step: Step, *, reason: str, amount_offered: Decimal | None) -> None:
    claim, policy = step.case, step.policy
    over = claim.amount_claimed is not None and claim.amount_claimed > policy.expert_threshold
    if over and claim.expert_reported_at is None:
        raise InvalidInput(
            _("Claims above %(threshold)s need the expert's report before a decision.")
            % {"threshold": money(policy.expert_threshold)}
        )
    if amount_offered is not None and amount_offered < 0:
        raise InvalidInput(_("An amount cannot be negative."), field="amount_offered")
    claim.decided_at = step.now
    claim.decision_reason = reason
    if amount_offered is not None:
        claim.amount_offered = amount_offered
    if claim.status == S.REJECTED:
        if claim.objection_used:
            # The decision after an objection is final: the claim closes now.
            claim.closed_at, claim.objection_deadline = step.now, step.now
            claim.step_due_at = None
        else:
            claim.objection_deadline = step.due_in(policy.objection_days)
            claim.step_due_at = claim.objection_deadline
        date = claim.objection_deadline
    else:
        claim.settle_due_at = step.due_in(policy.claim_settle_days)
        claim.step_due_at = claim.settle_due_at
        date = claim.settle_due_at
    step.tell_resident(
        "claim_decision",
        decision=claim.status,
        reason=reason,
        date=date,
        can_object=claim.closed_at is None,
    )


def claim_accept(
    *, claim: DamageClaim, by: User, reason: str = "", amount_offered: Decimal | None = None
) -> DamageClaim:
    """Accept the claim in full (after the expert's report above the threshold); the resident
    is told, with the date by which it is settled."""
    return change(
        claim, by, "accept", lambda s: _decide(s, reason=reason, amount_offered=amount_offered)
    )


def claim_partly_accept(
    *, claim: DamageClaim, by: User, reason: str, amount_offered: Decimal | None = None
) -> DamageClaim:
    """Accept part of the claim, with the reason; the resident is told, with the date by
    which it is settled."""
    reason = require(reason, field="reason", message=_("Say why only part is accepted."))
    return change(
        claim,
        by,
        "partly_accept",
        lambda s: _decide(s, reason=reason, amount_offered=amount_offered),
        reason,
    )


def claim_reject(*, claim: DamageClaim, by: User, reason: str) -> DamageClaim:
    """Reject the claim, with the reason. The resident may object once, within the objection
    period; a rejection after an objection is final and closes the claim."""
    reason = require(reason, field="reason", message=_("Say why the claim is rejected."))
    return change(
        claim, by, "reject", lambda s: _decide(s, reason=reason, amount_offered=None), reason
    )


def claim_object(*, claim: DamageClaim, by: User, reason: str) -> DamageClaim:
    """The resident objects to the rejection: once, within the objection period."""
    reason = require(reason, field="reason", message=_("Write down the resident's objection."))

    def apply(step: Step) -> None:
        claim = step.case
        if claim.objection_used:
            raise InvalidInput(_("The resident has already objected once."))
        if claim.objection_deadline is not None and step.now > claim.objection_deadline:
            raise InvalidInput(_("The objection period has ended."))
        claim.objection_used = True
        claim.step_due_at = step.due_in(step.policy.claim_decision_days)
        step.tell_resident("claim_objection", date=claim.step_due_at)

    return change(claim, by, "object", apply, reason)


def repair_confirm_due(step: Step) -> datetime.datetime:
    """When the handler is chased to confirm the repair: the working morning after it."""
    day = step.case.repair_date or timezone.localdate(step.now)
    return start_of_day(next_working_day(day), hour=step.policy.office_opens_hour)


def await_answer(step: Step, handler_due: datetime.datetime) -> datetime.datetime | None:
    """The proposal now waits for the resident's yes or no (claim_answers.py): the chase
    reminds the resident when no answer came within `resident_answer_days`, and never
    later than the handler's own deadline. A claim without a resident has nobody to
    wait for: the handler's deadline runs on. Returns the answer deadline (or None)."""
    claim = step.case
    claim.resident_answer_at, claim.resident_answer_reason = None, ""
    if claim.resident_id is None:
        claim.resident_answer = ""
        claim.step_due_at = handler_due
        return None
    claim.resident_answer = DamageClaim.Answer.AWAITED
    claim.step_due_at = min(step.due_in(step.policy.resident_answer_days), handler_due)
    return claim.step_due_at


def claim_plan_repair(
    *, claim: DamageClaim, by: User, repair_date: datetime.date, note: str = ""
) -> DamageClaim:
    """Plan (or move) the repair. The resident is asked to agree to the date; once they
    have, the handler is chased to confirm the repair the working morning after it."""

    def apply(step: Step) -> None:
        # "Today" is the Amsterdam date, not the UTC one: they differ just after midnight.
        if repair_date < timezone.localdate(step.now):
            raise InvalidInput(_("The repair date is in the past."), field="repair_date")
        step.case.repair_date = repair_date
        answer_by = await_answer(step, repair_confirm_due(step))
        step.tell_resident("claim_repair_planned", repair_date=repair_date, answer_by=answer_by)

    return change(claim, by, "plan_repair", apply, note)


def settle_deadline(step: Step) -> datetime.datetime:
    """The settle deadline; once it has passed, a short new one so the chase still nags."""
    due = step.case.settle_due_at
    if due is None or due <= step.now:
        return step.due_in(step.policy.claim_contact_days)
    return due


def claim_offer_compensation(*, claim: DamageClaim, by: User, amount: Decimal) -> DamageClaim:
    """Offer the resident `amount` instead of a repair; asks for their yes or no and sets
    the date by which it is paid."""
    if amount is None or amount <= 0:
        raise InvalidInput(_("Enter an amount above zero."), field="amount")

    def apply(step: Step) -> None:
        step.case.amount_offered = amount
        pay_by = settle_deadline(step)
        answer_by = await_answer(step, pay_by)
        step.tell_resident(
            "claim_compensation_offered", amount=amount, date=pay_by, answer_by=answer_by
        )

    return change(claim, by, "offer_compensation", apply)


def claim_mark_repaired(*, claim: DamageClaim, by: User, note: str = "") -> DamageClaim:
    """The repair is done: the claim waits to be settled."""

    def apply(step: Step) -> None:
        step.case.step_due_at = settle_deadline(step)

    return change(claim, by, "mark_repaired", apply, note)


def claim_mark_paid(
    *, claim: DamageClaim, by: User, amount_paid: Decimal | None = None
) -> DamageClaim:
    """The compensation is paid (default: the amount offered); the resident is told."""

    def apply(step: Step) -> None:
        paid = amount_paid if amount_paid is not None else step.case.amount_offered
        if paid is None or paid <= 0:
            raise InvalidInput(_("Enter the amount that was paid."), field="amount_paid")
        step.case.amount_paid = paid
        step.case.step_due_at = settle_deadline(step)
        step.tell_resident("claim_paid", amount=paid)

    return change(claim, by, "mark_paid", apply)


def claim_settle(
    *, claim: DamageClaim, by: User, resident_accepted: bool | None = True, note: str = ""
) -> DamageClaim:
    """Close the claim for good; the chase stops."""

    def apply(step: Step) -> None:
        step.case.settled_at = step.now
        step.case.resident_accepted = resident_accepted
        step.tell_resident("claim_settled")

    return change(claim, by, "settle", apply, note)
