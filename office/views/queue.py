"""The work queue and bulk assignment."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..access import OfficeRequest, deciders, office_projects, office_view
from ..forms import BulkAssignForm, QueueForm
from ..queue import Cursor, fetch
from ..services import cases_assign

FILTER_KEYS = ("q", "project", "kind", "status", "handler", "overdue", "care", "age", "sort")


def filter_query(request: OfficeRequest, **extra: str) -> str:
    """The queue's filters as a query string, e.g. for "more" and the exports."""
    pairs = [(k, v) for k in FILTER_KEYS for v in request.GET.getlist(k) if v]
    pairs += [(k, v) for k, v in extra.items() if v]
    return urlencode(pairs)


@require_GET
@office_view
def queue(request: OfficeRequest) -> HttpResponse:
    now = timezone.now()
    projects = list(office_projects(request.user).only("pk", "name").order_by("name"))
    handlers = list(deciders(request.user))
    form = QueueForm(request.GET, projects=projects, handlers=handlers)
    filters = form.filters()
    cursor = Cursor.decode(request.GET.get("after", ""))
    rows, nxt = fetch(request.user, filters, now, cursor)
    context = {
        "form": form,
        "section": "queue",
        "rows": rows,
        "now": now,
        "handlers": handlers,
        "next_query": filter_query(request, after=nxt.encode()) if nxt else "",
        "filter_query": filter_query(request),
        "first_page": cursor is None,
    }
    if request.htmx and cursor is not None:
        return render(request, "office/queue.html#rows", context)
    if request.htmx and request.htmx.target == "results":
        return render(request, "office/queue.html#results", context)
    return render(request, "office/queue.html", context)


@require_POST
@office_view
def assign_bulk(request: OfficeRequest) -> HttpResponse:
    form = BulkAssignForm(request.POST, handlers=list(deciders(request.user)))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}) or not back.startswith(
        "/office/"
    ):
        back = reverse("office:queue")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseRedirect(back)
    result = cases_assign(
        by=request.user, handler=form.cleaned_data["handler"], cases=form.selected()
    )
    if result.assigned:
        messages.success(
            request,
            _("Given to %(handler)s: %(cases)s.")
            % {"handler": form.cleaned_data["handler"], "cases": ", ".join(result.assigned)},
        )
    for number, reason in result.refused:
        messages.error(request, f"{number}: {reason}")
    return HttpResponseRedirect(back)
