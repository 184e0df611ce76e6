"""What the status page says about a case, in short sentences (B1).

Only what the resident needs: the case number, what was reported and when, the step in
words, what happens next and by when, the handler's first name and the number to call.
Never a surname, an address, another resident, an internal note or a timeline entry
other than the question the resident was asked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cases.messages.resident import next_step
from cases.models import Complaint, DamageClaim, TimelineEvent
from cases.workdays import local_date_text
from ops.formatting import money

C = DamageClaim.Status
K = Complaint.Status


@dataclass
class StatusView:
    title: str
    heading: str
    number: str
    what: list[tuple[str, str]]
    now_text: str
    details: list[str] = field(default_factory=list)
    next_text: str = ""
    contact: str = ""
    phone: str = ""
    question: str = ""
    is_claim: bool = True
    closed: bool = False
    # Whose page this is: the corporation's name and logo (a data: address), not ours.
    corporation: str = ""
    logo: str = ""
    # The proposal that waits for the resident's yes or no, in words; its deadline.
    proposal: str = ""
    proposal_by: str = ""
    # What the resident answered to the current proposal, in words.
    answered: str = ""


def _date(moment: datetime.datetime | datetime.date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime.datetime):
        return local_date_text(moment)
    return moment.strftime("%d-%m-%Y")


def _claim_now(claim: DamageClaim) -> tuple[str, list[str]]:
    details: list[str] = []
    text = {
        C.REPORTED: _("We have received your damage report."),
        C.ASSESSING: _("We are assessing your damage report."),
        C.WAITING_RESIDENT: _("We need information from you."),
        C.WAITING_EXPERT: _("An expert from the insurer is looking at your damage."),
        C.ACCEPTED: _("We accept your damage report."),
        C.PARTLY_ACCEPTED: _("We accept part of your damage report."),
        C.REJECTED: _("We do not accept your damage report."),
        C.REPAIR_PLANNED: _("We have planned the repair."),
        C.COMPENSATION_OFFERED: _("We offer you money for the damage."),
        C.REPAIRED: _("The repair is done."),
        C.PAID: _("We have paid you for the damage."),
        C.SETTLED: _("Your damage report is settled."),
        C.WITHDRAWN: _("We have stopped handling your damage report."),
    }[claim.status]
    if claim.status in (C.ACCEPTED, C.PARTLY_ACCEPTED, C.REJECTED) and claim.decision_reason:
        details.append(_("Why: %(reason)s") % {"reason": claim.decision_reason})
    if claim.status == C.REPAIR_PLANNED and claim.repair_date:
        details.append(_("Repair date: %(date)s.") % {"date": _date(claim.repair_date)})
    if claim.status == C.COMPENSATION_OFFERED and claim.amount_offered is not None:
        details.append(_("Amount: %(amount)s.") % {"amount": money(claim.amount_offered)})
    if claim.status in (C.PAID, C.SETTLED) and claim.amount_paid is not None:
        details.append(_("Paid: %(amount)s.") % {"amount": money(claim.amount_paid)})
    return text, details


def _proposal(claim: DamageClaim) -> str:
    if claim.status == C.COMPENSATION_OFFERED and claim.amount_offered is not None:
        return _("We offer you %(amount)s for the damage.") % {
            "amount": money(claim.amount_offered)
        }
    if claim.status == C.REPAIR_PLANNED and claim.repair_date:
        return _("We want to repair the damage on %(date)s.") % {"date": _date(claim.repair_date)}
    return ""


def _answered(claim: DamageClaim) -> str:
    """What the resident said to the current proposal (empty when nothing was said)."""
    if claim.status not in (C.COMPENSATION_OFFERED, C.REPAIR_PLANNED) or not claim.is_open:
        return ""
    when = _date(claim.resident_answer_at)
    if claim.resident_answer == DamageClaim.Answer.ACCEPTED:
        return _("On %(date)s you said yes to our proposal.") % {"date": when}
    if claim.resident_answer == DamageClaim.Answer.DECLINED:
        return _(
            "On %(date)s you said no to our proposal. We will contact you with a new proposal."
        ) % {"date": when}
    return ""


def _claim_next(claim: DamageClaim, now: datetime.datetime) -> str:
    if not claim.is_open:
        return ""
    if claim.awaits_resident_answer:
        return _("Next step: you tell us whether you agree.")
    if claim.status == C.WAITING_RESIDENT:
        if claim.step_due_at and claim.step_due_at > now:
            return _("Please send us the information by %(date)s.") % {
                "date": _date(claim.step_due_at)
            }
        return _("Please send us the information soon.")
    if claim.status == C.REJECTED:
        if claim.objection_used:
            return _("This is our final decision.")
        return _("Do you not agree? You can object once, until %(date)s. Please call us.") % {
            "date": _date(claim.objection_deadline)
        }
    return _next(claim, now)


def _next(case: DamageClaim | Complaint, now: datetime.datetime) -> str:
    step = next_step(case)
    if not step:
        return ""
    if case.step_due_at and case.step_due_at > now:
        return _("Next step: %(step)s. We expect this by %(date)s.") % {
            "step": step,
            "date": _date(case.step_due_at),
        }
    return _("Next step: %(step)s. We are working on it.") % {"step": step}


def _complaint_now(complaint: Complaint) -> tuple[str, list[str]]:
    details: list[str] = []
    if complaint.status == K.RECEIVED:
        text = _("We have received your complaint.")
        if complaint.stage == 2:
            details.append(_("You asked us to look at it again. Someone else will handle it."))
    elif complaint.status == K.ACKNOWLEDGED:
        text = _("We are handling your complaint.")
        if complaint.extended and complaint.extension_reason:
            details.append(
                _("We need more time. Why: %(reason)s") % {"reason": complaint.extension_reason}
            )
    elif complaint.status == K.ANSWERED:
        text = _("We have answered your complaint.")
        if complaint.resolution:
            details.append(_("Our answer: %(answer)s") % {"answer": complaint.resolution})
    elif complaint.status == K.CLOSED:
        text = _("Your complaint is closed.")
    else:
        text = _("We have stopped handling your complaint.")
    return text, details


def _complaint_next(complaint: Complaint, now: datetime.datetime) -> str:
    if not complaint.is_open:
        return ""
    if complaint.status == K.ANSWERED:
        if complaint.stage == 1 and complaint.step_due_at:
            return _(
                "Are you not happy with the answer? Call us by %(date)s. "
                "Then someone else will look at your complaint again."
            ) % {"date": _date(complaint.step_due_at)}
        return _(
            "Are you still not happy? Then you can go to the complaints committee of "
            "%(corporation)s."
        ) % {"corporation": complaint.project.corporation.name}
    return _next(complaint, now)


def _question(claim: DamageClaim) -> str:
    """The question the resident was asked (it was sent to them already)."""
    event = (
        TimelineEvent.objects.filter(
            claim=claim, kind=TimelineEvent.Kind.STATUS_CHANGED, to_status=C.WAITING_RESIDENT
        )
        .order_by("-at", "-id")
        .values_list("text", flat=True)
        .first()
    )
    return event or ""


def describe(case: DamageClaim | Complaint, now: datetime.datetime) -> StatusView:
    project = case.project
    phone = project.phone_for_residents()
    contact = case.handler.first_name if case.handler_id and case.handler else ""
    if isinstance(case, DamageClaim):
        now_text, details = _claim_now(case)
        view = StatusView(
            title=_("Your damage report %(number)s") % {"number": case.number},
            heading=_("Your damage report"),
            number=case.number,
            what=[
                (_("What is damaged"), case.get_damage_kind_display()),
                (_("Where"), case.get_room_display()),
                (_("Damage happened on"), _date(case.occurred_on)),
                (_("Reported on"), _date(case.created_at)),
            ],
            now_text=now_text,
            details=details,
            next_text=_claim_next(case, now),
        )
        if case.status == C.WAITING_RESIDENT:
            view.question = _question(case)
        if case.awaits_resident_answer:
            view.proposal = _proposal(case)
            view.proposal_by = _date(case.step_due_at)
        view.answered = _answered(case)
    else:
        now_text, details = _complaint_now(case)
        view = StatusView(
            title=_("Your complaint %(number)s") % {"number": case.number},
            heading=_("Your complaint"),
            number=case.number,
            what=[
                (_("About"), case.get_category_display()),
                (_("Reported on"), _date(case.created_at)),
            ],
            now_text=now_text,
            details=details,
            next_text=_complaint_next(case, now),
            is_claim=False,
        )
    view.contact, view.phone, view.closed = contact, phone, not case.is_open
    view.corporation = project.corporation.name
    view.logo = project.corporation.logo_data_uri
    return view
