"""The supervisor's phone app. For now a page that shows who is signed in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from projects.models import Project


@require_GET
@login_required
def round_today(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.visible_to(request.user).select_related("corporation")
    return render(request, "mobile/round.html", {"projects": projects})
