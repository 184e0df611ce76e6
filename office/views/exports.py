"""The filtered queue as CSV (written by PostgreSQL: queue_csv.py) or Excel."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import User

from ..access import OfficeRequest, deciders, office_projects, office_view
from ..exports import export
from ..forms import QueueForm
from ..queue import Filters, iterate
from ..queue_csv import csv_from_database

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
    if fmt == "csv" and connection.vendor == "postgresql":
        yes, no = _("yes"), _("no")
        return csv_from_database(_("work-queue"), header, request.user, filters, now, yes, no)

    return export(fmt, _("work-queue"), header, queue_rows(request.user, filters, now))


def queue_rows(user: User, filters: Filters, now: datetime.datetime) -> Iterator[list[Any]]:
    """The cells of each row of the filtered queue, for exports.export (the Excel file;
    queue_csv.py writes the same cells in SQL for the CSV)."""
    yes, no = _("yes"), _("no")
    for row in iterate(user, filters, now):
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
