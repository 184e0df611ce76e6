"""The numbers on the dashboards, for a set of projects, in a fixed number of queries.

Per kind of case one grouped query gives, per project and status, the open cases, the
overdue ones and the ageing buckets (conditional counts, so the cost is one pass over
the open rows the index gives). Ageing counts working days since the case was recorded:
the bucket edges are turned into moments in Python with the working-day calendar, so
the database only compares timestamps.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate

from cases.models import DamageClaim
from cases.workdays import AMSTERDAM, is_working_day, local, start_of_day, working_days_between
from ops.replica import reads_from_replica
from projects.models import Dwelling, Project
from residents.models import Visit
from statuslink.models import SatisfactionAnswer

from .access import CASE_MODELS

# Upper edges of the ageing buckets, in working days; the last bucket is "over 20".
AGE_EDGES = (5, 10, 20)
AGE_LABELS = ("0–5", "6–10", "11–20", "> 20")
SETTLED_WINDOW = datetime.timedelta(days=365)


def age_cutoffs(now: datetime.datetime) -> list[datetime.datetime]:
    """For each edge n, the moment from which a case is at most n working days old."""
    today = local(now).date()
    cutoffs = []
    day = today
    for edge in AGE_EDGES:
        while (
            working_days_between(start_of_day(day - datetime.timedelta(days=1), hour=12), now)
            <= edge
        ):
            day -= datetime.timedelta(days=1)
        cutoffs.append(datetime.datetime.combine(day, datetime.time(0), tzinfo=AMSTERDAM))
    return cutoffs


@dataclass
class Line:
    """Counts for one group (a project, a kind and status, or everything)."""

    open: int = 0
    overdue: int = 0
    ages: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    # For a line of one kind and status: the queue's status filter, "<kind>:<status>".
    status: str = ""

    def add(self, n: int, overdue: int, ages: list[int]) -> None:
        self.open += n
        self.overdue += overdue
        self.ages = [a + b for a, b in zip(self.ages, ages, strict=True)]


@dataclass
class ProjectLine(Line):
    project: Project | None = None
    by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    dwellings: int = 0
    visits: int = 0
    settled: int = 0
    settled_on_time: int = 0
    settle_days_total: int = 0
    answers: int = 0
    score_total: int = 0

    @property
    def satisfaction(self) -> float | None:
        return self.score_total / self.answers if self.answers else None

    @property
    def visits_per_dwelling(self) -> float | None:
        return self.visits / self.dwellings if self.dwellings else None

    @property
    def average_settle_days(self) -> float | None:
        return self.settle_days_total / self.settled if self.settled else None

    @property
    def on_time_share(self) -> float | None:
        return self.settled_on_time / self.settled if self.settled else None


@dataclass
class Dashboard:
    total: ProjectLine
    by_status: list[tuple[str, str, str, Line]]  # kind, kind label, status label, counts
    projects: list[ProjectLine]

    @property
    def max_status(self) -> int:
        return max([line.open for *_x, line in self.by_status] or [0]) or 1

    @property
    def max_age(self) -> int:
        return max(self.total.ages) or 1


class WorkdayIndex:
    """Working days between dates by lookup: each date's count of working days since the
    first date asked about, built once over the range (not a calendar walk per pair)."""

    def __init__(self, first: datetime.date, last: datetime.date) -> None:
        self.first = first
        self.counts: list[int] = []
        count, day = 0, first
        while day <= last:
            if is_working_day(day):
                count += 1
            self.counts.append(count)
            day += datetime.timedelta(days=1)

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end` (as working_days_between)."""
        if end <= start:
            return 0
        return self.counts[(end - self.first).days] - self.counts[(start - self.first).days]


# Figures over many rows, a few seconds old at most: the replica's work when there is one.
@reads_from_replica
def build(projects: list[Project], now: datetime.datetime) -> Dashboard:
    ids = [p.pk for p in projects]
    lines = {p.pk: ProjectLine(project=p) for p in projects}
    total = ProjectLine()
    status_lines: dict[tuple[str, str], Line] = {}
    cut5, cut10, cut20 = age_cutoffs(now)
    for kind, model in CASE_MODELS.items():
        # One query per kind: open cases per project and status with overdue and ageing.
        groups = (
            model.objects.open()
            .filter(project_id__in=ids)
            .values("project_id", "status")
            .annotate(
                n=Count("id"),
                overdue=Count("id", filter=Q(step_due_at__lt=now)),
                a1=Count("id", filter=Q(created_at__gte=cut5)),
                a2=Count("id", filter=Q(created_at__gte=cut10, created_at__lt=cut5)),
                a3=Count("id", filter=Q(created_at__gte=cut20, created_at__lt=cut10)),
                a4=Count("id", filter=Q(created_at__lt=cut20)),
            )
            .order_by()
        )
        for g in groups:
            ages = [g["a1"], g["a2"], g["a3"], g["a4"]]
            line = lines[g["project_id"]]
            line.add(g["n"], g["overdue"], ages)
            line.by_kind[kind] += g["n"]
            total.add(g["n"], g["overdue"], ages)
            total.by_kind[kind] += g["n"]
            status_lines.setdefault((kind, g["status"]), Line(status=f"{kind}:{g['status']}")).add(
                g["n"], g["overdue"], ages
            )
    by_status = []
    for kind, model in CASE_MODELS.items():
        labels = dict(model.Status.choices)
        for status in model.OPEN_STATUSES:
            if (kind, status) in status_lines:
                by_status.append(
                    (
                        kind,
                        str(model._meta.verbose_name_plural),
                        str(labels[status]),
                        status_lines[(kind, status)],
                    )
                )
    # Settled claims of the last year: working days from report to settlement, and
    # whether the policy's settle deadline was met. Grouped by local dates, so the
    # calendar arithmetic runs once per distinct pair of days, not per claim.
    settled = (
        DamageClaim.objects.filter(
            project_id__in=ids,
            status=DamageClaim.Status.SETTLED,
            settled_at__gte=now - SETTLED_WINDOW,
        )
        .annotate(
            made=TruncDate("created_at", tzinfo=AMSTERDAM),
            done=TruncDate("settled_at", tzinfo=AMSTERDAM),
        )
        .values("project_id", "made", "done")
        .annotate(
            n=Count("id"),
            on_time=Count(
                "id",
                filter=Q(settle_due_at__isnull=True) | Q(settled_at__lte=F("settle_due_at")),
            ),
        )
        .order_by()
    )
    settled = list(settled)
    if settled:
        index = WorkdayIndex(min(g["made"] for g in settled), max(g["done"] for g in settled))
    for g in settled:
        days = index.between(g["made"], g["done"]) * g["n"]
        for line in (lines[g["project_id"]], total):
            line.settled += g["n"]
            line.settled_on_time += g["on_time"]
            line.settle_days_total += days
    for g in dwellings_and_visits(ids):
        line = lines[g["project_id"]]
        line.dwellings, line.visits = g["n"], g["visits"] or 0
        total.dwellings += line.dwellings
        total.visits += line.visits
    for g in _satisfaction(ids):
        for line in (lines[g["claim__project_id"]], total):
            line.answers += g["n"]
            line.score_total += g["total"] or 0
    return Dashboard(total=total, by_status=by_status, projects=list(lines.values()))


def dwellings_and_visits(ids: list[int]) -> QuerySet:
    """Per project, its dwellings and the visits made to them.

    Visits are counted per dwelling on the (dwelling, visited_at) index: a scalar
    subquery per dwelling of these projects. A join of visits to dwellings makes
    PostgreSQL read every visit stored, of all projects."""
    visits = (
        Visit.objects.filter(dwelling=OuterRef("pk"))
        .order_by()
        .values("dwelling")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Dwelling.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(n=Count("id"), visits=Sum(Coalesce(Subquery(visits), 0)))
        .order_by()
    )


def _satisfaction(ids: list[int]) -> list[dict]:
    """Residents' scores (1–10) after settlement, per project, from the status link."""
    return list(
        SatisfactionAnswer.objects.filter(claim__project_id__in=ids)
        .values("claim__project_id")
        .annotate(n=Count("id"), total=Sum("score"))
        .order_by()
    )
