"""Back-office writes that cases.services does not have, and the map from an action
name on the case page to the service function that takes it.

Every state change goes through cases.services; nothing here writes a status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from cases import services as cs
from cases.models import TimelineEvent
from cases.models.base import Case
from cases.outbox import case_link
from cases.services import TransitionRefused

from .access import get_case

# action -> the service function, per kind; each is called with the case under the
# keyword the service expects (`claim=`, `complaint=`, `promise=`).
SERVICES: dict[str, dict[str, Callable[..., Any]]] = {
    "claim": {
        "start_assessment": cs.claim_start_assessment,
        "ask_resident": cs.claim_ask_resident,
        "resident_answered": cs.claim_resident_answered,
        "request_expert": cs.claim_request_expert,
        "expert_reported": cs.claim_expert_reported,
        "accept": cs.claim_accept,
        "partly_accept": cs.claim_partly_accept,
        "reject": cs.claim_reject,
        "object": cs.claim_object,
        "plan_repair": cs.claim_plan_repair,
        "offer_compensation": cs.claim_offer_compensation,
        "accept_offer": partial(cs.claim_resident_answer, accepted=True),
        "decline_offer": partial(cs.claim_resident_answer, accepted=False),
        "accept_repair_date": partial(cs.claim_resident_answer, accepted=True),
        "decline_repair_date": partial(cs.claim_resident_answer, accepted=False),
        "mark_repaired": cs.claim_mark_repaired,
        "mark_paid": cs.claim_mark_paid,
        "settle": cs.claim_settle,
        "withdraw": cs.claim_withdraw,
    },
    "complaint": {
        "acknowledge": cs.complaint_acknowledge,
        "extend": cs.complaint_extend,
        "answer": cs.complaint_answer,
        "escalate": cs.complaint_escalate,
        "close": cs.complaint_close,
        "withdraw": cs.complaint_withdraw,
    },
    "promise": {"done": cs.promise_done, "cancel": cs.promise_cancel},
}
TABLES = {
    "claim": cs.CLAIM_TRANSITIONS,
    "complaint": cs.COMPLAINT_TRANSITIONS,
    "promise": cs.PROMISE_TRANSITIONS,
}


def case_take_action(
    *, kind: str, case: Case, by: User, action: str, values: dict[str, Any]
) -> Case:
    """Take transition `action` through its service function; raises TransitionRefused."""
    service = SERVICES[kind][action]
    return service(**{kind: case}, by=by, **values)


def case_note_add(*, case: Case, by: User, text: str) -> TimelineEvent:
    """A note on the case's timeline (append-only; no change of state)."""
    text = (text or "").strip()
    if not text:
        raise cs.InvalidInput(_("Write the note."), field="text")
    return TimelineEvent.objects.create(
        dwelling_id=case.dwelling_id,
        kind=TimelineEvent.Kind.NOTE,
        actor=by,
        text=text[:2000],
        **case_link(case),
    )


@dataclass
class BulkResult:
    assigned: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def cases_assign(*, by: User, handler: User, cases: list[tuple[str, int]]) -> BulkResult:
    """Give each case to `handler` through `case_assign`; each case on its own, so one
    refusal (a closed case, a handler not on that project) does not stop the others."""
    result = BulkResult()
    for kind, pk in cases:
        try:
            case = get_case(by, kind, pk)
        except Http404:
            result.refused.append((f"{kind}:{pk}", _("You have no access to this case.")))
            continue
        try:
            with transaction.atomic():
                cs.case_assign(case=case, by=by, handler=handler)
        except TransitionRefused as refusal:
            result.refused.append((case.number, refusal.message))
        else:
            result.assigned.append(case.number)
    return result
