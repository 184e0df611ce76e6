"""An open complaint seen from the phone: what was reported, where it stands, what
happens next — in plain words, so the supervisor can tell the resident."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases.models import Complaint

from ..access import get_complaint_for_field
from ..http import MobileRequest, mobile_view

K = Complaint.Status


def next_step(complaint: Complaint) -> str:
    due = complaint.step_due_at.strftime("%d-%m-%Y") if complaint.step_due_at else "—"
    if complaint.status == K.RECEIVED:
        return _(
            "The handler confirms to the resident that the complaint arrived (by %(due)s)."
        ) % {"due": due}
    if complaint.status == K.ACKNOWLEDGED:
        return _("The handler looks into it and answers the resident by %(due)s.") % {"due": due}
    if complaint.status == K.ANSWERED:
        return _(
            "The resident has the answer. If they are not satisfied they can ask for the "
            "next step until %(due)s; otherwise it closes then."
        ) % {"due": due}
    return _("Nothing more happens: the complaint is finished.")


@require_GET
@mobile_view
def complaint_detail(request: MobileRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_field(request.user, pk)
    events = list(complaint.timeline.select_related("actor").order_by("-at", "-pk")[:50])
    labels = dict(K.choices)
    for event in events:
        event.status_label = labels.get(event.to_status, event.to_status)
    context = {"complaint": complaint, "next_step": next_step(complaint), "events": events}
    return render(request, "mobile/complaint.html", context)
