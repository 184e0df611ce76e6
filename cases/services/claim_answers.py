"""The resident's yes or no to what the handler proposed: an amount or a repair date.

    compensation_offered (awaiting) → compensation_offered (accepted) → paid → settled
    compensation_offered (awaiting) → compensation_offered (declined) → a new offer or
                                      a repair plan by the handler
    repair_planned (awaiting) → repair_planned (agreed) → repaired → settled
    repair_planned (awaiting) → repair_planned (declined) → a new date by the handler

While the proposal waits, the chase follows the resident (`schedule.step_plan`). The
answer is a step of its own (a new `step_seq`), so reminders written for the waiting
step are not sent any more once it has come. The resident answers on their status link
(`by=None`, credited to them on the timeline); anyone on the project may record an
answer given on the phone or at the door.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import User

from ..models import DamageClaim
from ..recipients import Teams, handlers
from .base import Step
from .claim_decisions import repair_confirm_due, settle_deadline
from .claims import S, change
from .errors import IllegalTransition

A = DamageClaim.Answer
ACTIONS = {
    (S.COMPENSATION_OFFERED, True): "accept_offer",
    (S.COMPENSATION_OFFERED, False): "decline_offer",
    (S.REPAIR_PLANNED, True): "accept_repair_date",
    (S.REPAIR_PLANNED, False): "decline_repair_date",
}
MAX_REASON = 1000


class AlreadyAnswered(IllegalTransition):
    """The proposal was answered already (a second tap, a page left open): nothing changed."""


def claim_resident_answer(
    *,
    claim: DamageClaim,
    by: User | None,
    accepted: bool,
    reason: str = "",
    step_seq: int | None = None,
) -> DamageClaim:
    """Record the resident's answer to the proposal the claim waits on.

    `by=None`: the resident on their status link. `step_seq` is the step the resident
    saw on their page: when the claim has moved on since (they answered already, or
    the handler made a new proposal), AlreadyAnswered is raised and nothing changes, so
    a resident never accepts an offer they have not seen, and answers exactly once.
    """
    reason = (reason or "").strip()[:MAX_REASON]
    action = ACTIONS.get((claim.status, accepted))
    if by is None and (action is None or step_seq != claim.step_seq):
        raise AlreadyAnswered(_("We have already received your answer."))
    # Staff get the lifecycle's own refusal ("… is not possible now").
    action = action or ("accept_offer" if accepted else "decline_offer")

    def apply(step: Step) -> None:
        case = step.case
        # Under the row lock: the step the resident saw is still the one waiting.
        if step_seq is not None and step.case.step_seq - 1 != step_seq:
            raise AlreadyAnswered(_("We have already received your answer."))
        case.resident_answer = A.ACCEPTED if accepted else A.DECLINED
        case.resident_answer_at = step.now
        case.resident_answer_reason = reason
        is_offer = case.status == S.COMPENSATION_OFFERED
        if accepted:
            case.step_due_at = settle_deadline(step) if is_offer else repair_confirm_due(step)
        else:
            # Back to the handler: a new proposal within the contact days.
            case.step_due_at = step.due_in(step.policy.claim_contact_days)
        step.data["answer"] = case.resident_answer
        if by is None:
            # The resident's own answer: credited to them, not to the chase or staff.
            step.data.update({"by": "resident", "via": "status_link"})
        if by is None or by.pk != case.handler_id:
            step.tell(
                "resident_answer",
                handlers(case, Teams([case.project_id])),
                accepted=accepted,
                offer=is_offer,
                reason=reason,
                date=case.step_due_at,
            )

    return change(claim, by, action, apply, reason)
