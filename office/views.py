"""The back-office. For now a page that lists the projects the user may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from projects.models import Project


@require_GET
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.visible_to(request.user).select_related("corporation", "contractor")
    return render(request, "office/queue.html", {"projects": projects})
