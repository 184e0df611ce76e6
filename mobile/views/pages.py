"""The round, a project's round and address search, the dwelling page, care needs."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases.models import Complaint, DamageClaim, Promise
from projects.models import WorkWindow
from residents.models import CareNeed, Resident

from ..access import get_dwelling_for_field, get_project_for_field, round_projects
from ..http import MobileRequest, mobile_view
from ..models import care_needs_seen
from ..promises import counts as promise_counts
from ..round import PAGE_SIZE, ROUND_SIZE, Today, needing_attention, search
from ..timeline import Cursor, timeline

OPEN_CASES_SHOWN = 10


@require_GET
@mobile_view
def round_today(request: MobileRequest) -> HttpResponse:
    today = Today(timezone.now())
    projects = list(round_projects(request.user))
    field = [p.pk for p in projects if p.is_field]
    rounds = needing_attention(field, today) if field else {}
    # A day's round is about thirty homes in all, however many projects it spans; the
    # rest is one tap away on each project's page.
    shown = max(ROUND_SIZE // max(len(field), 1), 10)
    sections = []
    for project in projects:
        homes = rounds.get(project.pk, [])
        sections.append({"project": project, "rows": homes[:shown], "needing": len(homes)})
    promises = promise_counts(request.user, today.date) if field else None
    return render(
        request,
        "mobile/round.html",
        {"sections": sections, "today": today.date, "promises": promises},
    )


@require_GET
@mobile_view
def project_round(request: MobileRequest, pk: int) -> HttpResponse:
    """A project's whole round, page by page; with ?q= the addresses that match."""
    project = get_project_for_field(request.user, pk)
    query = request.GET.get("q", "")[:100]
    if request.htmx and "q" in request.GET and not query.strip():
        return HttpResponse("")  # the search box was emptied: no results to show
    if query.strip():
        found = search(project, query)
        context = {"project": project, "q": query, "found": found, "searching": True}
        if request.htmx:
            return render(request, "mobile/project.html#results", context)
        return render(request, "mobile/project.html", context)
    try:
        page = max(1, min(int(request.GET.get("page", 1)), 10_000))
    except ValueError:
        page = 1
    today = Today(timezone.now())
    homes = needing_attention([project.pk], today).get(project.pk, [])
    first = (page - 1) * PAGE_SIZE
    context = {
        "project": project,
        "q": "",
        "rows": homes[first : first + PAGE_SIZE],
        "next_page": page + 1 if len(homes) > first + PAGE_SIZE else None,
        "needing": len(homes),
        "today": today.date,
    }
    if request.htmx and page > 1:
        return render(request, "mobile/project.html#rows", context)
    return render(request, "mobile/project.html", context)


@require_GET
@mobile_view
def dwelling_detail(request: MobileRequest, pk: int) -> HttpResponse:
    dwelling = get_dwelling_for_field(request.user, pk)
    before = Cursor.parse(request.GET.get("before"))
    rows, more = timeline(dwelling, before)
    context = {"dwelling": dwelling, "events": rows, "more": more}
    if before is not None:
        if request.htmx:
            return render(request, "mobile/dwelling.html#events", context)
        return render(request, "mobile/dwelling.html", {**context, "older": True})
    today = timezone.localdate()
    residents = Resident.objects.filter(dwelling=dwelling).annotate(
        has_care=Exists(CareNeed.objects.filter(resident=OuterRef("pk")))
    )
    open_cases = [
        *DamageClaim.objects.open()
        .filter(dwelling=dwelling)
        .order_by("-created_at")[:OPEN_CASES_SHOWN],
        *Complaint.objects.open()
        .filter(dwelling=dwelling)
        .order_by("-created_at")[:OPEN_CASES_SHOWN],
        *Promise.objects.open().filter(dwelling=dwelling).order_by("due_on")[:OPEN_CASES_SHOWN],
    ]
    works = WorkWindow.objects.filter(dwelling=dwelling, ends_on__gte=today).order_by("starts_on")[
        :5
    ]
    residents = list(residents)
    context.update(
        residents=residents,
        care_marked=any(r.has_care for r in residents),
        open_cases=open_cases,
        works=list(works),
        today=today,
        now=timezone.now(),
    )
    return render(request, "mobile/dwelling.html", context)


@require_POST
@mobile_view
def care_needs(request: MobileRequest, pk: int) -> HttpResponse:
    """Care needs of the dwelling's residents, for team supervisors and managers only.

    A POST, because every look is written to the access log (GDPR Art. 9): a prefetch,
    a crawler or a cached page never counts as someone looking.
    """
    dwelling = get_dwelling_for_field(request.user, pk)
    if not dwelling.may_see_care:
        raise Http404
    residents = [
        r
        for r in Resident.objects.filter(dwelling=dwelling).prefetch_related(
            Prefetch("care_needs", queryset=CareNeed.objects.order_by("kind"))
        )
        if r.care_needs.all()
    ]
    care_needs_seen(by=request.user, residents=residents, purpose="site visit")
    context = {"dwelling": dwelling, "residents": residents, "shown": True}
    if request.htmx:
        return render(request, "mobile/care.html#care", context)
    return render(request, "mobile/care.html", context)
