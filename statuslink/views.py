"""The resident's status page, reached through a secret link. For now a friendly placeholder."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def status_page(request: HttpRequest, token: str) -> HttpResponse:
    # Same page for every token until status links exist: it reveals nothing.
    return render(request, "statuslink/unknown.html", status=404)
