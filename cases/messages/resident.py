"""What residents are told. Short sentences, one message per thing that happened."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ..models import Complaint, DamageClaim, Promise
from ..models.base import Case

C = DamageClaim.Status
K = Complaint.Status


_KIND = {
    DamageClaim: pgettext_lazy("case kind for residents", "damage report"),
    Complaint: pgettext_lazy("case kind for residents", "complaint"),
    Promise: pgettext_lazy("case kind for residents", "promise"),
}
# What happens next, as the resident is told in an update.
_NEXT_STEP = {
    (DamageClaim, C.REPORTED): gettext_lazy("a staff member contacts you"),
    (DamageClaim, C.ASSESSING): gettext_lazy("we decide about your report"),
    (DamageClaim, C.WAITING_RESIDENT): gettext_lazy("we wait for the information we asked you for"),
    (DamageClaim, C.WAITING_EXPERT): gettext_lazy("the expert sends us the report"),
    (DamageClaim, C.ACCEPTED): gettext_lazy("we plan the repair or the payment"),
    (DamageClaim, C.PARTLY_ACCEPTED): gettext_lazy("we plan the repair or the payment"),
    (DamageClaim, C.REPAIR_PLANNED): gettext_lazy("the repair is done"),
    (DamageClaim, C.COMPENSATION_OFFERED): gettext_lazy("we pay the money"),
    (DamageClaim, C.REPAIRED): gettext_lazy("we close your report"),
    (DamageClaim, C.PAID): gettext_lazy("we close your report"),
    (Complaint, K.RECEIVED): gettext_lazy("we tell you who handles your complaint"),
    (Complaint, K.ACKNOWLEDGED): gettext_lazy("you get an answer to your complaint"),
}


def _next_step_text(case: Case) -> Any:
    if isinstance(case, DamageClaim):
        if case.awaits_resident_answer:
            return gettext_lazy("you tell us whether you agree")
        if case.resident_answer == DamageClaim.Answer.DECLINED:
            return gettext_lazy("we make you a new proposal")
    return _NEXT_STEP.get((type(case), case.status), "")


def next_step(case: Case) -> str:
    """What happens next, as residents are told (empty when nothing is awaited)."""
    return str(_next_step_text(case))


def base_context(case: Case) -> dict[str, Any]:
    project = case.project
    return {
        "number": case.number,
        "kind": _KIND[type(case)],
        "phone": project.phone_for_residents(),
        "next_step": _next_step_text(case),
        "corporation": project.corporation.name,
        "address": case.dwelling.address,
        "promise": case.description if isinstance(case, Promise) else "",
    }


def _call(c: dict[str, Any], *, link: bool = True) -> str:
    """How to reach us, after the status link (when the resident has one), signed with
    the corporation's name: the message comes from them, not from us."""
    if c["phone"]:
        call = _("Questions? Call %(phone)s.") % c
    else:
        call = _("Questions? Ask the site supervisor.")
    if link and c.get("link"):
        return _body(_("See how it stands: %(link)s") % c, call, c["corporation"])
    return _body(call, c["corporation"])


def _answer_by(c: dict[str, Any]) -> str:
    """The question that goes with a proposal, when the resident's answer is awaited."""
    if not c.get("answer_by"):
        return ""
    if c.get("link"):
        return _("Do you agree? Please tell us by %(answer_by)s. Answer with the link below.") % c
    return _("Do you agree? Please tell us by %(answer_by)s. Call us.") % c


def _body(*lines: str) -> str:
    return "\n\n".join(line for line in lines if line)


def claim_received(c: dict[str, Any]) -> tuple[str, str]:
    return _("We received your damage report %(number)s") % c, _body(
        _("We received your damage report %(number)s. Thank you for telling us.") % c,
        _(
            "A staff member will contact you within %(days)s working days, "
            "by %(date)s at the latest."
        )
        % c,
        _call(c),
    )


def claim_question(c: dict[str, Any]) -> tuple[str, str]:
    return _("We need information about %(number)s") % c, _body(
        _("We need more information about your damage report %(number)s:") % c,
        c["question"],
        _("Please let us know by %(date)s.") % c,
        _call(c),
    )


def claim_expert(c: dict[str, Any]) -> tuple[str, str]:
    return _("An expert looks at %(number)s") % c, _body(
        _("An expert from the insurer will look at your damage report %(number)s.") % c,
        _("The expert will contact you. We expect the expert's report by %(date)s.") % c,
        _call(c),
    )


def claim_decision(c: dict[str, Any]) -> tuple[str, str]:
    outcome = {
        C.ACCEPTED: _("We accept your damage report %(number)s."),
        C.PARTLY_ACCEPTED: _("We accept part of your damage report %(number)s."),
        C.REJECTED: _("We do not accept your damage report %(number)s."),
    }[c["decision"]]
    reason = _("Why: %(reason)s") % c if c.get("reason") else ""
    if c["decision"] == C.REJECTED and c["can_object"]:
        after = _(
            "Do you not agree? You can object once, until %(date)s. Call us or tell the site "
            "supervisor."
        )
    elif c["decision"] == C.REJECTED:
        after = _("This is our final decision.")
    else:
        after = _("We will contact you about the repair or the payment by %(date)s.")
    return _("Decision about %(number)s") % c, _body(outcome % c, reason, after % c, _call(c))


def claim_objection(c: dict[str, Any]) -> tuple[str, str]:
    return _("We received your objection about %(number)s") % c, _body(
        _("We received your objection to our decision about damage report %(number)s.") % c,
        _("We look at your report again and decide by %(date)s.") % c,
        _call(c),
    )


def claim_repair_planned(c: dict[str, Any]) -> tuple[str, str]:
    return _("Repair planned for %(number)s") % c, _body(
        _("The repair for your damage report %(number)s is planned on %(repair_date)s.") % c,
        _answer_by(c),
        _call(c),
    )


def claim_compensation_offered(c: dict[str, Any]) -> tuple[str, str]:
    return _("Offer for %(number)s") % c, _body(
        _("For your damage report %(number)s we offer you %(amount)s.") % c,
        _answer_by(c) or _("We will pay this by %(date)s.") % c,
        _call(c),
    )


def claim_paid(c: dict[str, Any]) -> tuple[str, str]:
    return _("Payment for %(number)s") % c, _body(
        _("We have paid %(amount)s for your damage report %(number)s.") % c, _call(c)
    )


def claim_settled(c: dict[str, Any]) -> tuple[str, str]:
    # The one message that asks the satisfaction question (with the link to answer it).
    question = (
        _(
            "How satisfied are you with how your claim was handled? "
            "Give a score from 1 to 10 here: %(link)s"
        )
        % c
        if c.get("link")
        else ""
    )
    return _("%(number)s is settled") % c, _body(
        _("Your damage report %(number)s is settled. Thank you for your patience.") % c,
        question,
        _call(c, link=False),
    )


def case_withdrawn(c: dict[str, Any]) -> tuple[str, str]:
    return _("%(number)s is withdrawn") % c, _body(
        _("As you asked, we have stopped handling your %(kind)s %(number)s.") % c, _call(c)
    )


def resident_reminder(c: dict[str, Any]) -> tuple[str, str]:
    return _("We are still waiting for your information") % c, _body(
        _("We are still waiting for your information about damage report %(number)s.") % c,
        _("Without it we cannot go on. Please contact us.") % c,
        _call(c),
    )


def resident_answer_reminder(c: dict[str, Any]) -> tuple[str, str]:
    return _("We are waiting for your answer about %(number)s") % c, _body(
        _("We are still waiting for your answer about damage report %(number)s.") % c,
        _("Do you agree with our proposal? Please tell us, then we can go on.") % c,
        _call(c),
    )


def resident_update(c: dict[str, Any]) -> tuple[str, str]:
    if c.get("date"):
        expect = _("The next step: %(next_step)s. We expect this by %(date)s.")
    else:
        expect = _("The next step: %(next_step)s. We are working on it.")
    return _("News about %(number)s") % c, _body(
        _("We have not forgotten your %(kind)s %(number)s.") % c,
        expect % c,
        _call(c),
    )


def complaint_received(c: dict[str, Any]) -> tuple[str, str]:
    return _("We received your complaint %(number)s") % c, _body(
        _("We received your complaint %(number)s.") % c,
        _("By %(date)s at the latest we will tell you who handles it.") % c,
        _call(c),
    )


def complaint_acknowledged(c: dict[str, Any]) -> tuple[str, str]:
    return _("Your complaint %(number)s is being handled") % c, _body(
        _("%(handler)s handles your complaint %(number)s.") % c,
        _("You will get an answer by %(date)s at the latest.") % c,
        _call(c),
    )


def complaint_extended(c: dict[str, Any]) -> tuple[str, str]:
    return _("More time needed for %(number)s") % c, _body(
        _("We need more time to answer your complaint %(number)s.") % c,
        _("Why: %(reason)s") % c,
        _("You will get an answer by %(date)s at the latest.") % c,
        _call(c),
    )


def complaint_answered(c: dict[str, Any]) -> tuple[str, str]:
    if c["stage"] == 1:
        after = _(
            "Are you not happy with this answer? Then ask us by %(date)s to look at your "
            "complaint again. Someone else will then handle it."
        )
    else:
        after = _(
            "Are you still not happy? Then you can go to the complaints committee of "
            "%(corporation)s."
        )
    return _("Answer to your complaint %(number)s") % c, _body(
        _("This is our answer to your complaint %(number)s:") % c,
        c["resolution"],
        after % c,
        _call(c),
    )


def complaint_escalated(c: dict[str, Any]) -> tuple[str, str]:
    return _("We look at your complaint %(number)s again") % c, _body(
        _("You asked us to look at your complaint %(number)s again.") % c,
        _("Someone else will handle it. By %(date)s at the latest we will tell you who.") % c,
        _call(c),
    )


def appointment_confirm(c: dict[str, Any]) -> tuple[str, str]:
    if c.get("link"):
        ask = _("Does this suit you? Confirm it or ask for another date with the link below.")
    else:
        ask = _("Does this suit you? Please call us to confirm it or to ask for another date.")
    return _("Please confirm our appointment at your home") % c, _body(
        _("On %(when)s we come to your home (%(address)s) for: %(work)s.") % c,
        _("Someone must be home to let us in.") % c,
        ask,
        _call(c),
    )


def status_link_new(c: dict[str, Any]) -> tuple[str, str]:
    return _("New link for %(number)s") % c, _body(
        _("You have a new link to see how your %(kind)s %(number)s stands.") % c,
        _("The old link no longer works."),
        _call(c),
    )


RENDERERS = {
    "appointment_confirm": appointment_confirm,
    "status_link_new": status_link_new,
    "claim_received": claim_received,
    "claim_question": claim_question,
    "claim_expert": claim_expert,
    "claim_decision": claim_decision,
    "claim_objection": claim_objection,
    "claim_repair_planned": claim_repair_planned,
    "claim_compensation_offered": claim_compensation_offered,
    "claim_paid": claim_paid,
    "claim_settled": claim_settled,
    "case_withdrawn": case_withdrawn,
    "resident_reminder": resident_reminder,
    "resident_answer_reminder": resident_answer_reminder,
    "resident_update": resident_update,
    "complaint_received": complaint_received,
    "complaint_acknowledged": complaint_acknowledged,
    "complaint_extended": complaint_extended,
    "complaint_answered": complaint_answered,
    "complaint_escalated": complaint_escalated,
}
