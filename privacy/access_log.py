"""The care-need access log for the privacy officer: who saw whose care needs, when.

Paged by keyset (the last row's moment and id in the `after` parameter), newest first:
the log only grows, so no page ever counts it, and a page costs the same at row ten
million as at row ten.
"""

from __future__ import annotations

import csv
import datetime

from django.db.models import Q
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET

from mobile.models import CareNeedAccess

from .access import OfficerRequest as Request
from .access import privacy_residents, privacy_view
from .forms import AccessLogFilter

PAGE = 100


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered(request: Request) -> tuple[AccessLogFilter, object]:
    """The form and the rows it selects, newest first (none if the form is invalid)."""
    form = AccessLogFilter(request.GET or None)
    rows = CareNeedAccess.objects.filter(resident__in=privacy_residents(request.user))
    if form.is_bound and not form.is_valid():
        return form, rows.none()
    data = form.cleaned_data if form.is_bound else {}
    if data.get("resident"):
        rows = rows.filter(resident_id=data["resident"])
    if data.get("seen_by"):
        rows = rows.filter(user__email__iexact=data["seen_by"])
    if data.get("since"):
        rows = rows.filter(at__gte=_day_start(data["since"]))
    if data.get("until"):
        rows = rows.filter(at__lt=_day_start(data["until"] + datetime.timedelta(days=1)))
    return form, rows.order_by("-at", "-id")


def _cursor(value: str) -> tuple[datetime.datetime, int] | None:
    at, _, pk = value.rpartition("_")
    moment = parse_datetime(at) if at else None
    if moment is None or not pk.isdigit():
        return None
    return moment, int(pk)


@require_GET
@privacy_view
def access_log(request: Request) -> HttpResponse:
    form, rows = filtered(request)
    cursor = _cursor(request.GET.get("after", ""))
    if cursor is not None:
        at, pk = cursor
        rows = rows.filter(Q(at__lt=at) | Q(at=at, id__lt=pk))
    page = list(rows.select_related("user", "resident")[: PAGE + 1])
    more = len(page) > PAGE
    page = page[:PAGE]
    after = ""
    if more:
        query = request.GET.copy()
        query["after"] = f"{page[-1].at.isoformat()}_{page[-1].pk}"
        after = query.urlencode()
    csv_query = request.GET.copy()
    csv_query.pop("after", None)
    return render(
        request,
        "privacy/access_log.html",
        {
            "form": form,
            "rows": page,
            "next_query": after,
            "csv_query": csv_query.urlencode(),
            "section": "privacy",
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@privacy_view
def access_log_csv(request: Request) -> HttpResponse:
    form, rows = filtered(request)
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(["at", "resident_number", "resident", "seen_by", "purpose"])
        for row in rows.select_related("user", "resident").iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    timezone.localtime(row.at).isoformat(),
                    row.resident_id,
                    row.resident.full_name.strip(),
                    row.user.email,
                    row.purpose,
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="care-need-access.csv"'
    return response
