"""Dashboards per organisation (every project the user sees) and per project."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from projects.models import Project

from .. import dashboard as dash
from ..access import OfficeRequest, get_project, office_projects, office_view
from ..exports import export

CHART_WIDTH = 640


def _bars(
    values: list[tuple[str, int]], *, label_width: int, late: set[int] | None = None
) -> list[dict[str, Any]]:
    """Bars for a horizontal SVG chart in a 640-unit wide viewBox, scaled to the largest."""
    top = max([v for _l, v in values] or [0]) or 1
    room = CHART_WIDTH - label_width - 60
    bars = []
    for i, (label, v) in enumerate(values):
        width = round(room * v / top)
        bars.append(
            {
                "label": label,
                "value": v,
                "x": label_width,
                "width": width,
                "text_x": label_width + width + 6,
                "y": i * 28,
                "late": i in (late or set()),
            }
        )
    return bars


def queue_url(project: Project | None = None, **filters: Any) -> str:
    """The work queue filtered to exactly the cases a dashboard figure counts."""
    query = {"project": project.pk} if project is not None else {}
    query.update({k: v for k, v in filters.items() if v is not None and v != ""})
    return f"{reverse('office:queue')}?{urlencode(query)}" if query else reverse("office:queue")


def _links(project: Project | None, status: str = "") -> dict[str, Any]:
    """Where each figure of one line (everything, a kind and status, a project) leads."""
    return {
        "open": queue_url(project, status=status),
        "overdue": queue_url(project, status=status, overdue="on"),
        "ages": [queue_url(project, status=status, age=i) for i in range(len(dash.AGE_LABELS))],
    }


def _context(board: dash.Dashboard, project: Project | None = None) -> dict[str, Any]:
    status_bars = _bars(
        [(f"{kl}: {sl}", line.open) for _k, kl, sl, line in board.by_status], label_width=300
    )
    for bar, (_k, _kl, _sl, line) in zip(status_bars, board.by_status, strict=True):
        bar["url"] = queue_url(project, status=line.status)
    age_bars = _bars(
        list(zip(dash.AGE_LABELS, board.total.ages, strict=True)), label_width=70, late={3}
    )
    total_links = _links(project)
    for i, bar in enumerate(age_bars):
        bar["url"] = total_links["ages"][i]
    return {
        "links": {
            **total_links,
            **{kind: queue_url(project, kind=kind) for kind in ("claim", "complaint", "promise")},
        },
        "status_rows": [
            {
                "kind_label": kl,
                "status_label": sl,
                "line": line,
                "links": (links := _links(project, line.status)),
                "ages": list(zip(line.ages, links["ages"], strict=True)),
            }
            for _k, kl, sl, line in board.by_status
        ],
        "project_rows": [(p, _links(p.project)) for p in board.projects],
        "board": board,
        "chart_width": CHART_WIDTH,
        "status_bars": status_bars,
        "status_height": max(len(status_bars), 1) * 28,
        "age_bars": age_bars,
        "age_height": len(age_bars) * 28,
        "age_labels": dash.AGE_LABELS,
    }


def _load(request: OfficeRequest, pk: int | None):
    now = timezone.now()
    if pk is None:
        projects = list(office_projects(request.user).order_by("name"))
        return None, dash.build(projects, now)
    project = get_project(request.user, pk)
    return project, dash.build([project], now)


@require_GET
@office_view
def dashboard(request: OfficeRequest, pk: int | None = None) -> HttpResponse:
    project, board = _load(request, pk)
    context = {"project": project, "section": "dashboard", **_context(board, project)}
    return render(request, "office/dashboard.html", context)


def _status_table(board: dash.Dashboard) -> tuple[list[str], Iterator[list[Any]]]:
    header = [
        _("Kind"),
        _("Status"),
        _("Open"),
        _("Overdue"),
        *[_("%(range)s working days") % {"range": r} for r in dash.AGE_LABELS],
    ]
    rows = ([kl, sl, line.open, line.overdue, *line.ages] for _k, kl, sl, line in board.by_status)
    return header, rows


def _project_table(board: dash.Dashboard) -> tuple[list[str], Iterator[list[Any]]]:
    header = [
        _("Project"),
        _("Open claims"),
        _("Open complaints"),
        _("Open promises"),
        _("Overdue"),
        *[_("%(range)s working days") % {"range": r} for r in dash.AGE_LABELS],
        _("Average working days to settlement"),
        _("Settled within the deadline (%)"),
        _("Visits per dwelling"),
        _("Resident satisfaction (1–10)"),
    ]

    def num(value: float | None, digits: int = 1) -> Any:
        return "" if value is None else round(value, digits)

    rows = (
        [
            p.project.name,
            p.by_kind["claim"],
            p.by_kind["complaint"],
            p.by_kind["promise"],
            p.overdue,
            *p.ages,
            num(p.average_settle_days),
            num(None if p.on_time_share is None else 100 * p.on_time_share, 0),
            num(p.visits_per_dwelling, 2),
            num(p.satisfaction),
        ]
        for p in board.projects
    )
    return header, rows


@require_GET
@office_view
def dashboard_export(request: OfficeRequest, fmt: str, pk: int | None = None) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    project, board = _load(request, pk)
    table = request.GET.get("table", "statuses")
    if table == "projects":
        header, rows = _project_table(board)
        name = _("projects")
    else:
        header, rows = _status_table(board)
        name = _("open-cases")
    return export(fmt, name, header, rows)
