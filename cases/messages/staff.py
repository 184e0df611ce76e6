"""What staff and the insurer's expert are told by the chase."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Complaint, DamageClaim, Promise
from ..models.base import Case

C = DamageClaim.Status
K = Complaint.Status


# The move that is awaited, as staff say it.
_STEP = {
    (DamageClaim, C.REPORTED): gettext_lazy("contact the resident"),
    (DamageClaim, C.ASSESSING): gettext_lazy("decide about the claim"),
    (DamageClaim, C.WAITING_RESIDENT): gettext_lazy("information from the resident"),
    (DamageClaim, C.WAITING_EXPERT): gettext_lazy("the expert's report"),
    (DamageClaim, C.ACCEPTED): gettext_lazy("plan the repair or offer compensation"),
    (DamageClaim, C.PARTLY_ACCEPTED): gettext_lazy("plan the repair or offer compensation"),
    (DamageClaim, C.REPAIR_PLANNED): gettext_lazy("confirm that the repair is done"),
    (DamageClaim, C.COMPENSATION_OFFERED): gettext_lazy("pay the compensation"),
    (DamageClaim, C.REPAIRED): gettext_lazy("settle the claim with the resident"),
    (DamageClaim, C.PAID): gettext_lazy("settle the claim with the resident"),
    (Complaint, K.RECEIVED): gettext_lazy("acknowledge the complaint"),
    (Complaint, K.ACKNOWLEDGED): gettext_lazy("answer the complaint"),
}


def step_label(case: Case) -> str:
    if isinstance(case, Promise):
        return _("keep the promise: %(promise)s") % {"promise": case.description}
    if isinstance(case, DamageClaim) and case.awaits_resident_answer:
        return _("the resident's answer to the proposal")
    if isinstance(case, DamageClaim) and case.resident_answer == DamageClaim.Answer.DECLINED:
        return _("make a new proposal: the resident declined")
    return str(_STEP.get((type(case), case.status), ""))


_KINDS = {DamageClaim: "claim", Complaint: "complaint", Promise: "promise"}


def case_url(case: Case) -> str:
    """Where a reminder or escalation takes its reader: a supervisor's promise opens on
    the phone (they keep it on site), a claim or complaint on its office page, and so
    does a promise nobody on site made — the resident's request, the chase's question
    about an appointment — since the office handles those."""
    if isinstance(case, Promise) and case.created_by_id is not None:
        before, after = _path("mobile:promise", "", get_script_prefix())
    else:
        before, after = _path("office:case", _KINDS[type(case)], get_script_prefix())
    return f"{settings.SITE_URL}{before}{case.pk}{after}"


_PK = 918273645


@functools.cache
def _path(name: str, kind: str, prefix: str) -> tuple[str, str]:
    """A case page's path around its id, reversed once: the chase writes a link per
    message, and `reverse` costs more than the rest of the text."""
    kwargs = {"kind": kind, "pk": _PK} if kind else {"pk": _PK}
    before, after = reverse(name, kwargs=kwargs).split(str(_PK))
    return before, after


def _body(*lines: str) -> str:
    return "\n\n".join(line for line in lines if line)


def _cover(c: dict[str, Any]) -> str:
    """Why a deputy gets a message meant for someone else."""
    if not c.get("away"):
        return ""
    return _("You get this because %(away)s is away until %(away_until)s and you cover.") % c


def reminder(c: dict[str, Any]) -> tuple[str, str]:
    return _("Reminder: %(number)s – %(step)s") % c, _body(
        _("%(number)s (%(address)s) is waiting for you: %(step)s.") % c,
        _("This was due on %(due)s. This is reminder %(round)s.") % c,
        _("Open it: %(case_url)s") % c,
        _cover(c),
    )


def escalation(c: dict[str, Any]) -> tuple[str, str]:
    return _("Escalation: %(number)s is stuck") % c, _body(
        _("%(number)s (%(address)s) is stuck at: %(step)s.") % c,
        _("This was due on %(due)s and %(missed)s reminders have had no effect.") % c,
        _("Please make sure it moves on.") % c,
        _("Open it: %(case_url)s") % c,
        _cover(c),
    )


def expert_request(c: dict[str, Any]) -> tuple[str, str]:
    return _("Request for an expert report: damage claim %(number)s") % c, _body(
        _("Please assess damage claim %(number)s at %(address)s.") % c,
        _("Amount claimed: %(amount)s.") % c,
        _("We would like your report by %(date)s. Please reply to this e-mail.") % c,
    )


def expert_reminder(c: dict[str, Any]) -> tuple[str, str]:
    return _("Reminder: expert report for damage claim %(number)s") % c, _body(
        _("We are still waiting for your report on damage claim %(number)s (%(address)s).") % c,
        _("It was due on %(due)s. This is reminder %(round)s.") % c,
    )


def resident_replied(c: dict[str, Any]) -> tuple[str, str]:
    return _("%(number)s: the resident added information") % c, _body(
        _("The resident added information to %(number)s (%(address)s) through their status link.")
        % c,
        c["text"],
        _("Photos added: %(photos)s.") % c if c.get("photos") else "",
        _("The claim is being assessed again. Decide by %(date)s.") % c,
        _cover(c),
    )


def resident_answer(c: dict[str, Any]) -> tuple[str, str]:
    if c["offer"]:
        said = (
            _("The resident accepts the offer for %(number)s (%(address)s).")
            if c["accepted"]
            else _("The resident declines the offer for %(number)s (%(address)s).")
        )
    else:
        said = (
            _("The resident agrees to the repair date of %(number)s (%(address)s).")
            if c["accepted"]
            else _("The resident cannot on the repair date of %(number)s (%(address)s).")
        )
    if c["accepted"]:
        subject = _("%(number)s: the resident agrees") % c
        after = _("Next step: %(step)s, by %(date)s.") % c
    else:
        subject = _("%(number)s: the resident does not agree") % c
        after = _("Make a new proposal by %(date)s.") % c
    reason = _("The resident says: %(reason)s") % c if c.get("reason") else ""
    return subject, _body(said % c, reason, after, _("Open it: %(case_url)s") % c)


def appointment_move_asked(c: dict[str, Any]) -> tuple[str, str]:
    return _("%(address)s: the resident asks to move an appointment") % c, _body(
        _("The resident of %(address)s asks for another date for: %(work)s (%(when)s).") % c,
        _("The resident says: %(wish)s") % c if c.get("wish") else "",
        _("Please contact the resident by %(due)s and agree on a new date.") % c,
        _("Open it: %(case_url)s") % c,
    )


RENDERERS = {
    "appointment_move_asked": appointment_move_asked,
    "resident_answer": resident_answer,
    "resident_replied": resident_replied,
    "reminder": reminder,
    "escalation": escalation,
    "expert_request": expert_request,
    "expert_reminder": expert_reminder,
}
