"""Every write to a case: one keyword-only function per transition.

Each checks that the step is allowed from the case's state and for the person's role,
records who, when and why on the timeline, writes the messages it causes to the
outbox and sets the next chase moment — in one transaction — or raises a
`TransitionRefused` and changes nothing.
"""

from __future__ import annotations

from .assign import case_assign
from .base import Transition, Who, allowed_actions
from .claim_answers import AlreadyAnswered, claim_resident_answer
from .claim_decisions import (
    claim_accept,
    claim_mark_paid,
    claim_mark_repaired,
    claim_object,
    claim_offer_compensation,
    claim_partly_accept,
    claim_plan_repair,
    claim_reject,
    claim_settle,
)
from .claims import (
    CLAIM_TRANSITIONS,
    claim_ask_resident,
    claim_expert_reported,
    claim_report,
    claim_request_expert,
    claim_resident_answered,
    claim_start_assessment,
    claim_withdraw,
)
from .complaints import (
    COMPLAINT_TRANSITIONS,
    complaint_acknowledge,
    complaint_answer,
    complaint_close,
    complaint_escalate,
    complaint_extend,
    complaint_record,
    complaint_withdraw,
)
from .contact import call_task_done, letters_posted
from .errors import IllegalTransition, InvalidInput, NotAllowed, TransitionRefused
from .promises import (
    PROMISE_TRANSITIONS,
    promise_cancel,
    promise_done,
    promise_move,
    promise_record,
)

__all__ = [
    "AlreadyAnswered",
    "CLAIM_TRANSITIONS",
    "COMPLAINT_TRANSITIONS",
    "PROMISE_TRANSITIONS",
    "IllegalTransition",
    "InvalidInput",
    "NotAllowed",
    "Transition",
    "TransitionRefused",
    "Who",
    "allowed_actions",
    "call_task_done",
    "case_assign",
    "claim_accept",
    "claim_ask_resident",
    "claim_expert_reported",
    "claim_mark_paid",
    "claim_mark_repaired",
    "claim_object",
    "claim_offer_compensation",
    "claim_partly_accept",
    "claim_plan_repair",
    "claim_reject",
    "claim_report",
    "claim_request_expert",
    "claim_resident_answer",
    "claim_resident_answered",
    "claim_settle",
    "claim_start_assessment",
    "claim_withdraw",
    "complaint_acknowledge",
    "complaint_answer",
    "complaint_close",
    "complaint_escalate",
    "complaint_extend",
    "complaint_record",
    "complaint_withdraw",
    "letters_posted",
    "promise_cancel",
    "promise_done",
    "promise_move",
    "promise_record",
]
