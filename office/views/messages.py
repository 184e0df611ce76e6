"""Messages that could not be delivered, for administrators and project managers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.models import Notification

from ..access import OfficeRequest, may_see_failed_messages, office_projects, office_view

SHOWN = 200


@require_GET
@office_view
def failed_messages(request: OfficeRequest) -> HttpResponse:
    """The latest messages that failed for good on the projects this user sees: someone
    has to call these people or correct the address."""
    if not may_see_failed_messages(request.user):
        raise PermissionDenied
    projects = office_projects(request.user)
    on_visible_case = (
        Q(claim__project__in=projects)
        | Q(complaint__project__in=projects)
        | Q(promise__project__in=projects)
    )
    rows = (
        Notification.objects.filter(on_visible_case, status=Notification.Status.FAILED)
        .select_related("claim", "complaint", "promise")
        .order_by("-created_at", "-pk")[:SHOWN]
    )
    messages = []
    for note in rows:
        note.case = note.claim or note.complaint or note.promise
        note.kind = "claim" if note.claim_id else "complaint" if note.complaint_id else "promise"
        messages.append(note)
    return render(
        request,
        "office/failed_messages.html",
        {"messages_failed": messages, "shown": SHOWN, "section": "failed"},
    )
