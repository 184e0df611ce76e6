"""Mijn werk: what is waiting for me, and for a project manager the escalations of
their projects. The same lists as the morning digest (cases/work.py)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cases import work

from ..access import OfficeRequest, office_view


@require_GET
@office_view
def my_work(request: OfficeRequest) -> HttpResponse:
    now = timezone.now()
    user = request.user
    context = {
        "section": "mine",
        "now": now,
        "due": work.due_for(user, now),
        "escalated": work.escalated_to(user, now),
        "manages": work.manages_projects(user),
        "managed": work.escalations_managed(user, now),
    }
    return render(request, "office/mine.html", context)
