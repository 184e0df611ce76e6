"""The filtered queue as CSV or Excel."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..access import OfficeRequest, deciders, office_projects, office_view
from ..exports import export
from ..forms import QueueForm
from ..queue import iterate

FORMATS = ("csv", "xlsx")


@require_GET
@office_view
def queue_export(request: OfficeRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    now = timezone.now()
    projects = list(office_projects(request.user).only("pk", "name"))
    form = QueueForm(request.GET, projects=projects, handlers=list(deciders(request.user)))
    filters = form.filters()
    header = [
        _("Case"),
        _("Kind"),
        _("Status"),
        _("Project"),
        _("Address"),
        _("Postcode"),
        _("Resident"),
        _("Handler"),
        _("Due"),
        _("Overdue"),
        _("Recorded"),
        _("Last activity"),
        _("Description"),
        _("Amount claimed"),
        _("Amount offered"),
    ]
    yes, no = _("yes"), _("no")

    def rows() -> Iterator[list[Any]]:
        for row in iterate(request.user, filters, now):
            yield [
                row.number_text,
                row.kind_label,
                row.status_label,
                row.project_name,
                row.address,
                row.postcode,
                row.resident_name,
                row.handler_name,
                row.step_due_at,
                yes if row.is_overdue(now) else no,
                row.created_at,
                row.last_activity,
                row.description,
                row.amount_claimed,
                row.amount_offered,
            ]

    return export(fmt, _("work-queue"), header, rows())
