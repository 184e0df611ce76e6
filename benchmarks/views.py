"""The yardsticks: what the least a Django page costs here, through every middleware.

bare_hello is the framework's floor (no session, no query). bare_rows is the smallest
honest page: signed in, a plain template, a 5-column table of 50 rows from a
10,000-row table, three queries (session, user, rows). A product page is reported as a
multiple of bare_rows.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import YardstickRow


@require_GET
def bare_hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello", content_type="text/plain; charset=utf-8")


@require_GET
@login_required
def bare_rows(request: HttpRequest) -> HttpResponse:
    rows = YardstickRow.objects.order_by("pk")[:50]
    return render(request, "benchmarks/rows.html", {"rows": rows})
