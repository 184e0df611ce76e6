"""The audit trail for the privacy officer: who changed which resident, care need, user
or dwelling, what, and when. Keyset-paged like the care-need access log (newest first,
the last row's moment and id in `after`)."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .access import OfficerRequest as Request
from .access import privacy_view
from .access_log import _cursor, _day_start
from .audit import AUDITED, KINDS, audit_entries
from .forms import AuditFilter

PAGE = 100


@require_GET
@privacy_view
def audit(request: Request) -> HttpResponse:
    form = AuditFilter(request.GET or None)
    rows = audit_entries(request.user)
    if form.is_bound and not form.is_valid():
        rows = rows.none()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    types = ContentType.objects.get_for_models(*AUDITED)
    kind = KINDS.get(data.get("kind") or "")
    number = data.get("number")
    if kind is not None:
        rows = rows.filter(content_type=types[kind])
    if number:
        # A resident's number also finds the changes to her care needs.
        match = Q(object_pk=str(number))
        if kind is None or kind is KINDS["careneed"]:
            match |= Q(content_type=types[KINDS["careneed"]], additional_data__resident=number)
        rows = rows.filter(match)
    if data.get("changed_by"):
        rows = rows.filter(actor__email__iexact=data["changed_by"])
    if data.get("since"):
        rows = rows.filter(timestamp__gte=_day_start(data["since"]))
    if data.get("until"):
        rows = rows.filter(timestamp__lt=_day_start(data["until"] + datetime.timedelta(days=1)))
    cursor = _cursor(request.GET.get("after", ""))
    if cursor is not None:
        at, pk = cursor
        rows = rows.filter(Q(timestamp__lt=at) | Q(timestamp=at, id__lt=pk))
    # One query: the entries with their user and content type.
    page = list(
        rows.select_related("actor", "content_type").order_by("-timestamp", "-id")[: PAGE + 1]
    )
    more = len(page) > PAGE
    page = page[:PAGE]
    next_query = ""
    if more:
        query = request.GET.copy()
        query["after"] = f"{page[-1].timestamp.isoformat()}_{page[-1].pk}"
        next_query = query.urlencode()
    names = {ct.pk: key for key, model in KINDS.items() for ct in [types[model]]}
    lines = [
        {
            "entry": entry,
            "kind": names.get(entry.content_type_id, ""),
            "changes": sorted((entry.changes or {}).items())
            if isinstance(entry.changes, dict)
            else [],
            "at": timezone.localtime(entry.timestamp),
        }
        for entry in page
    ]
    return render(
        request,
        "privacy/audit.html",
        {"form": form, "lines": lines, "next_query": next_query, "section": "privacy"},
    )
