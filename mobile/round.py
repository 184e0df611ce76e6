"""Which dwellings need the supervisor today, most urgent first, and address search.

One query reads the facts of every dwelling of the supervisor's projects — each fact a
correlated subquery on an indexed (dwelling, ...) column, evaluated once per dwelling —
and the ranking happens here. Filtering or ranking in SQL would make PostgreSQL evaluate
every subquery again for the WHERE clause and for the window's ORDER BY. The number of
queries does not grow with projects, dwellings or cases; the work grows with the
dwellings of the supervisor's own projects (a few thousand at most), not with the table.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import IsNull
from django.utils import timezone

from cases.models import Complaint, DamageClaim, Promise
from projects.models import Dwelling, Project, WorkWindow
from residents.models import CareNeed, Visit

# A home nobody has called at for this long is due a visit.
VISIT_AGAIN_AFTER = datetime.timedelta(days=14)
ROUND_SIZE = 30
PAGE_SIZE = 50
SEARCH_LIMIT = 20

# Weights of the reasons, so that a late case always outranks anything else.
LATE, DUE_TODAY, WORKS_TODAY, NOT_VISITED, CARE = 16, 8, 4, 2, 1
_FAR = datetime.datetime.max.replace(tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Today:
    now: datetime.datetime

    @property
    def date(self) -> datetime.date:
        return timezone.localdate(self.now)

    @property
    def end(self) -> datetime.datetime:
        tomorrow = self.date + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))


@dataclass
class Home:
    """A dwelling as the round shows it: the address and why it needs a visit."""

    pk: int
    project_id: int
    street: str
    number: int
    addition: str
    postcode: str
    block: str
    works_today: str | None
    claim_due: datetime.datetime | None
    complaint_due: datetime.datetime | None
    promise_due: datetime.date | None
    has_care: bool
    last_visit: datetime.datetime | None
    urgency: int = 0
    is_late: bool = False
    is_unvisited: bool = False

    @property
    def house_number(self) -> str:
        return f"{self.number}{'-' + self.addition if self.addition else ''}"

    def weigh(self, today: Today) -> Home:
        self.is_late = bool(
            (self.claim_due and self.claim_due < today.now)
            or (self.complaint_due and self.complaint_due < today.now)
            or (self.promise_due and self.promise_due < today.date)
        )
        due = any(x is not None for x in (self.claim_due, self.complaint_due, self.promise_due))
        self.is_unvisited = (
            self.last_visit is None or self.last_visit < today.now - VISIT_AGAIN_AFTER
        )
        self.urgency = (
            LATE * self.is_late
            + DUE_TODAY * due
            + WORKS_TODAY * (self.works_today is not None)
            + NOT_VISITED * self.is_unvisited
            + CARE * self.has_care
        )
        return self

    def order(self) -> tuple:
        return (
            -self.urgency,
            self.claim_due or _FAR,
            self.complaint_due or _FAR,
            self.promise_due or datetime.date.max,
            self.street,
            self.number,
            self.addition,
        )


FIELDS = [f.name for f in Home.__dataclass_fields__.values()][:13]


def _has_care(here: OuterRef) -> IsNull:
    """Whether a resident of the dwelling has a care need: one probe of the residents'
    and care needs' indexes per dwelling.

    A scalar subquery with LIMIT 1, not EXISTS: PostgreSQL may plan an EXISTS as one hash
    of every resident and care need in the database, whose cost grows with the tables,
    not with the dwellings on the round.
    """
    first = CareNeed.objects.filter(resident__dwelling=here).values("resident_id")[:1]
    return IsNull(Subquery(first), False)


def with_facts(dwellings: QuerySet[Dwelling], today: Today) -> QuerySet[Dwelling]:
    """Annotate what the round shows about each dwelling; each is one index probe."""
    here = OuterRef("pk")

    def first_due(model: type[DamageClaim] | type[Complaint]) -> Subquery:
        due = model.objects.open().filter(dwelling=here, step_due_at__lt=today.end)
        return Subquery(due.order_by("step_due_at").values("step_due_at")[:1])

    promise_due = Promise.objects.open().filter(dwelling=here, due_on__lte=today.date)
    works = WorkWindow.objects.filter(
        dwelling=here, starts_on__lte=today.date, ends_on__gte=today.date
    )
    return dwellings.annotate(
        works_today=Subquery(works.order_by("starts_on").values("description")[:1]),
        claim_due=first_due(DamageClaim),
        complaint_due=first_due(Complaint),
        promise_due=Subquery(promise_due.order_by("due_on").values("due_on")[:1]),
        has_care=_has_care(here),
        last_visit=Subquery(
            Visit.objects.filter(dwelling=here).order_by("-visited_at").values("visited_at")[:1]
        ),
    )


def needing_attention(project_ids: list[int], today: Today) -> dict[int, list[Home]]:
    """Per project, the dwellings that need a visit today, most urgent first (one query)."""
    dwellings = Dwelling.objects.filter(project_id__in=project_ids)
    rows = with_facts(dwellings, today).values_list(*FIELDS)
    homes = [Home(*row).weigh(today) for row in rows]
    # Care needs alone do not put a home on the round; they mark it when it is on it.
    needed = sorted((h for h in homes if h.urgency > CARE), key=Home.order)
    by_project: dict[int, list[Home]] = {}
    for home in needed:
        by_project.setdefault(home.project_id, []).append(home)
    return by_project


POSTCODE_AT_START = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})(?![A-Za-z])\s*(.*)$")
HOUSE_NUMBER = re.compile(r"^(\d{1,5})[\s-]*([A-Za-z0-9]{0,4})$")


def address_filter(text: str) -> Q | None:
    """Turn what the supervisor typed into a filter: a postcode ("3522 AB", "3522ab"),
    a house number with or without addition ("12", "12a", "12-1"), and/or part of the
    street name, in any order. None when nothing usable was typed."""
    text = text.strip()[:100]
    condition = Q()
    match = POSTCODE_AT_START.match(text)
    if match:
        condition &= Q(postcode=f"{match.group(1)} {match.group(2).upper()}")
        text = match.group(3)
    for token in text.replace(",", " ").split():
        number = HOUSE_NUMBER.match(token)
        if number:
            found = Q(number=int(number.group(1)))
            if number.group(2):
                found &= Q(addition__iexact=number.group(2))
            if len(number.group(1)) == 4 and not number.group(2):
                # Four digits may be the start of a postcode just as well.
                found |= Q(postcode__startswith=number.group(1))
            condition &= found
        elif len(token) >= 2:
            condition &= Q(street__icontains=token)
    return condition or None


def search(project: Project, text: str) -> list[Dwelling] | None:
    condition = address_filter(text)
    if condition is None:
        return None
    found = Dwelling.objects.filter(condition, project=project).order_by(
        "street", "number", "addition"
    )
    return list(found[:SEARCH_LIMIT])
