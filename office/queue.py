"""The work queue: every open claim, complaint and promise the user may see, in one list.

The page's keys come from one query: a UNION ALL of the three case tables' open rows,
each projected to (kind, id, sort column) and already filtered, ordered and cut to one
page, then merged, ordered and cut again. A second query fetches what those rows show
(project, address, handler, resident) for those ids only, so the joins cost per row
shown, not per row sorted.

Pages follow each other by KEYSET, never by OFFSET: "more" carries the last row's sort
key (`Cursor`), and every branch asks only for rows after it. So the cost of a page
grows with the page size, not with the number of cases stored, and there is no
COUNT(*): the page shows "more" when one more row than fits was found.

The default order is urgency: the step deadline (`step_due_at`, overdue first, no
deadline last), then kind and id to make the order total.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat, Left

from accounts.models import User
from cases.models import DamageClaim, TimelineEvent
from projects.models import Project
from residents.models import CareNeed

from . import search
from .access import CASE_MODELS
from .dashboard import age_cutoffs

PAGE_SIZE = 50

# Sort orders: (column, descending, may be NULL).
SORTS: dict[str, tuple[str, bool, bool]] = {
    "due": ("step_due_at", False, True),
    "new": ("created_at", True, False),
    "old": ("created_at", False, False),
}

ROW_FIELDS = (
    "id",
    "project_id",
    "dwelling_id",
    "status",
    "step_due_at",
    "handler_id",
    "created_at",
)

CASE_NUMBER_RE = re.compile(r"^\s*([SKT])\s*-?\s*0*(\d{1,12})\s*$", re.IGNORECASE)
DIGITS_RE = re.compile(r"^\s*#?0*(\d{1,12})\s*$")
POSTCODE_SEARCH_RE = re.compile(
    r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})(?:\s+(\d{1,6})\s*-?\s*([A-Za-z0-9]{0,10}))?\s*$"
)
STREET_NUMBER_RE = re.compile(r"^(.*\D)\s+(\d{1,6})\s*-?\s*([A-Za-z0-9]{0,10})\s*$")
PREFIX_KIND = {"S": "claim", "K": "complaint", "T": "promise"}
MAX_ID = 2**62


@dataclass(frozen=True)
class Cursor:
    """The sort key of the last row shown: (value of the sort column, kind, id)."""

    value: datetime.datetime | None
    kind: str
    id: int

    def encode(self) -> str:
        stamp = "n" if self.value is None else str(_micros(self.value))
        return f"{stamp}.{self.kind}.{self.id}"

    @classmethod
    def decode(cls, text: str) -> Cursor | None:
        """The cursor in `text`, or None when it is not one (a hand-edited URL)."""
        try:
            stamp, kind, pk = text.split(".")
            if kind not in CASE_MODELS:
                return None
            value = None if stamp == "n" else _from_micros(int(stamp))
            ident = int(pk)
        except (ValueError, OverflowError):
            return None
        if not 0 < ident < MAX_ID:
            return None
        return cls(value, kind, ident)


def _micros(moment: datetime.datetime) -> int:
    delta = moment - datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _from_micros(value: int) -> datetime.datetime:
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    return epoch + datetime.timedelta(microseconds=value)


@dataclass(frozen=True)
class Filters:
    """What the user asked the queue for; every field is optional."""

    project: int | None = None
    kind: str = ""
    status: str = ""  # "<kind>:<status>"
    handler: str = ""  # "", "me", "none" or a user id
    overdue: bool = False
    care: bool = False
    q: str = ""
    sort: str = "due"
    # An ageing bucket of the dashboard (0–3: working days since recorded, dashboard.py).
    age: int | None = None


@dataclass
class Row:
    kind: str
    id: int
    project_id: int
    dwelling_id: int
    status: str
    step_due_at: datetime.datetime | None
    handler_id: int | None
    created_at: datetime.datetime
    project_name: str
    street: str
    number: int
    addition: str
    postcode: str
    handler_name: str
    resident_name: str
    resident_language: str
    description: str
    amount_claimed: Decimal | None
    amount_offered: Decimal | None
    last_activity: datetime.datetime | None
    has_care: bool = False

    @property
    def model(self) -> type:
        return CASE_MODELS[self.kind]

    @property
    def number_text(self) -> str:
        return f"{self.model.PREFIX}-{self.id:06d}"

    @property
    def address(self) -> str:
        return f"{self.street} {self.number}{'-' + self.addition if self.addition else ''}"

    @property
    def status_label(self) -> str:
        return str(dict(self.model.Status.choices).get(self.status, self.status))

    @property
    def kind_label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    def is_overdue(self, now: datetime.datetime) -> bool:
        return self.step_due_at is not None and self.step_due_at < now


def _search(q: str, projects: QuerySet | None = None) -> tuple[Q, str | None]:
    """The condition for search text `q`, and the one kind it limits to (case numbers);
    names and streets are looked for in `projects` only, when given."""
    q = q.strip()[:100]
    if match := CASE_NUMBER_RE.match(q):
        return Q(id=int(match.group(2))), PREFIX_KIND[match.group(1).upper()]
    if match := DIGITS_RE.match(q):
        return Q(id=int(match.group(1))), None
    if match := POSTCODE_SEARCH_RE.match(q):
        postcode = f"{match.group(1)} {match.group(2).upper()}"
        cond = Q(dwelling__postcode=postcode)
        if match.group(3):
            cond &= Q(dwelling__number=int(match.group(3)))
            if match.group(4):
                cond &= Q(dwelling__addition=match.group(4).upper())
        return cond, None
    if match := STREET_NUMBER_RE.match(q):
        cond = Q(dwelling__street__iexact=match.group(1).strip()) | Q(
            dwelling__street__istartswith=match.group(1).strip()
        )
        cond &= Q(dwelling__number=int(match.group(2)))
        if match.group(3):
            cond &= Q(dwelling__addition=match.group(3).upper())
        return cond, None
    # Any part of a street, a full name or a description, accents ignored.
    return search.words_matching(q, projects), None


def _after(sort: str, kind: str, cursor: Cursor) -> Q | None:
    """Rows of branch `kind` that sort after `cursor`; None when no row of it can."""
    column, desc, nullable = SORTS[sort]
    gt, ge = ("lt", "lte") if desc else ("gt", "gte")
    id_gt = "id__lt" if desc else "id__gt"
    # The kind breaks ties on the sort column; within a branch the kind is constant.
    later_kind = kind < cursor.kind if desc else kind > cursor.kind
    same_kind = kind == cursor.kind
    if cursor.value is None:
        # Only the nullable ascending sort has NULLs, and they come last.
        if later_kind:
            return Q(**{f"{column}__isnull": True})
        if same_kind:
            return Q(**{f"{column}__isnull": True, id_gt: cursor.id})
        return None
    if later_kind:
        cond = Q(**{f"{column}__{ge}": cursor.value})
    elif same_kind:
        cond = Q(**{f"{column}__{gt}": cursor.value}) | Q(
            **{column: cursor.value, id_gt: cursor.id}
        )
    else:
        cond = Q(**{f"{column}__{gt}": cursor.value})
    if nullable:
        cond |= Q(**{f"{column}__isnull": True})
    return cond


def _ordering(sort: str, with_kind: bool = False) -> list[Any]:
    column, desc, nullable = SORTS[sort]
    col = F(column).desc() if desc else F(column).asc(nulls_last=nullable or None)
    tail = ["kind"] if with_kind else []
    ident = F("id").desc() if desc else F("id").asc()
    kind = [F(k).desc() if desc else F(k).asc() for k in tail]
    return [col, *kind, ident]


def _age(bucket: int, now: datetime.datetime) -> Q:
    """The cases of the dashboard's ageing bucket `bucket` (0 = the youngest), by the
    dashboard's own cut-offs, so the queue shows exactly the cases it counts."""
    cutoffs = age_cutoffs(now)
    if bucket >= len(cutoffs):
        return Q(created_at__lt=cutoffs[-1])
    cond = Q(created_at__gte=cutoffs[bucket])
    if bucket:
        cond &= Q(created_at__lt=cutoffs[bucket - 1])
    return cond


def filtered(
    kind: str,
    user: User,
    filters: Filters,
    now: datetime.datetime,
    searched: tuple[Q, str | None] | None = None,
) -> QuerySet | None:
    """The open cases of one kind that the user may see and the filters ask for (None
    when the filters leave this kind out): the queue's branch before sorting.
    `searched` is `searched_for(user, filters)`, looked up once for every kind."""
    model = CASE_MODELS[kind]
    qs = model.objects.visible_to(user).open()
    if filters.project is not None:
        qs = qs.filter(project_id=filters.project)
    if filters.status:
        status_kind, _sep, status = filters.status.partition(":")
        if status_kind != kind:
            return None
        qs = qs.filter(status=status)
    if filters.handler == "me":
        qs = qs.filter(handler=user)
    elif filters.handler == "none":
        qs = qs.filter(handler__isnull=True)
    elif filters.handler.isdigit():
        qs = qs.filter(handler_id=int(filters.handler))
    if filters.overdue:
        qs = qs.filter(step_due_at__lt=now)
    if filters.age is not None:
        qs = qs.filter(_age(filters.age, now))
    if filters.care:
        qs = qs.filter(
            Exists(CareNeed.objects.filter(resident__dwelling_id=OuterRef("dwelling_id")))
        )
    if searched is not None:
        cond, only_kind = searched
        if only_kind is not None and only_kind != kind:
            return None
        qs = search.narrow(qs.filter(cond))
    return qs


def _branch(
    kind: str,
    user: User,
    filters: Filters,
    now: datetime.datetime,
    cursor: Cursor | None,
    limit: int,
    searched: tuple[Q, str | None] | None = None,
) -> QuerySet | None:
    qs = filtered(kind, user, filters, now, searched)
    if qs is None:
        return None
    if cursor is not None:
        after = _after(filters.sort, kind, cursor)
        if after is None:
            return None
        qs = qs.filter(after)
    if connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL: each branch takes only its first page from its own index.
        qs = qs.order_by(*_ordering(filters.sort))
    else:
        # SQLite (the local demo) cannot order or cut the parts of a UNION.
        qs = qs.order_by()
    # Only the sort key here: the joins for what a row shows are made for the page's
    # rows alone (`_details`), not for every row the sort has to look at.
    qs = qs.annotate(kind=Value(kind)).values_list("kind", "id", SORTS[filters.sort][0])
    if connection.features.supports_slicing_ordering_in_compound:
        qs = qs[:limit]
    return qs


DESCRIPTION_CHARS = 90


def _amount(kind: str, column: str) -> Any:
    # Only claims have amounts; the other branches give a typed NULL for the UNION.
    if CASE_MODELS[kind] is DamageClaim:
        return F(column)
    # (cast: an untyped NULL in the first two branches would make the column text).
    return Cast(Value(None), output_field=DecimalField(max_digits=10, decimal_places=2))


def _details(kind: str, ids: list[int]) -> QuerySet:
    """What the queue shows of these cases of one kind (the page's rows only)."""
    # The last thing that happened on the case: a subquery per row shown, on the
    # timeline's (case, -at) index, so it adds no query and no scan.
    last = TimelineEvent.objects.filter(**{kind: OuterRef("pk")}).order_by("-at").values("at")
    return (
        CASE_MODELS[kind]
        .objects.filter(id__in=ids)
        .annotate(
            kind=Value(kind),
            project_name=F("project__name"),
            street=F("dwelling__street"),
            house=F("dwelling__number"),
            addition=F("dwelling__addition"),
            postcode=F("dwelling__postcode"),
            handler_name=F("handler__full_name"),
            resident_name=Concat("resident__first_name", Value(" "), "resident__last_name"),
            resident_language=F("resident__language"),
            short_description=Left("description", DESCRIPTION_CHARS + 1),
            claimed=_amount(kind, "amount_claimed"),
            offered=_amount(kind, "amount_offered"),
            last_activity=Subquery(last[:1]),
        )
        .order_by()
        .values_list(
            "kind",
            *ROW_FIELDS,
            "project_name",
            "street",
            "house",
            "addition",
            "postcode",
            "handler_name",
            "resident_name",
            "resident_language",
            "short_description",
            "claimed",
            "offered",
            "last_activity",
        )
    )


def _first_words(text: str) -> str:
    """The description's first words, cut at a word with an ellipsis when longer."""
    # The query fetched one character more than is shown: that one says "there is more".
    longer = len(text) > DESCRIPTION_CHARS
    text = " ".join(text[:DESCRIPTION_CHARS].split())
    if not longer:
        return text
    cut = text.rsplit(" ", 1)[0] if " " in text else text
    return cut + "…"


def kinds_for(filters: Filters) -> list[str]:
    if filters.kind in CASE_MODELS:
        return [filters.kind]
    return list(CASE_MODELS)


def searched_for(user: User, filters: Filters) -> tuple[Q, str | None] | None:
    """The search's condition (see `_search`), or None without search text. Names and
    streets are looked up once, in the user's projects, for all three kinds."""
    if not filters.q.strip():
        return None
    return _search(filters.q, Project.objects.visible_to(user))


def fetch(
    user: User,
    filters: Filters,
    now: datetime.datetime,
    cursor: Cursor | None = None,
    size: int | None = None,
    *,
    with_care: bool = True,
) -> tuple[list[Row], Cursor | None]:
    """One page of the queue and the cursor of the next page, if any, in three queries:
    the page's keys (the UNION ALL, sorted and cut), what those rows show (one UNION ALL
    over their ids), and which of their addresses have residents with care needs."""
    size = size or PAGE_SIZE
    searched = searched_for(user, filters)
    branches = [
        b
        for kind in kinds_for(filters)
        if (b := _branch(kind, user, filters, now, cursor, size + 1, searched)) is not None
    ]
    if not branches:
        return [], None
    merged = branches[0]
    if len(branches) > 1:
        merged = merged.union(*branches[1:], all=True)
    if len(branches) > 1 or not connection.features.supports_slicing_ordering_in_compound:
        merged = merged.order_by(*_ordering(filters.sort, with_kind=True))[: size + 1]
    sorted_keys = list(merged)
    more = len(sorted_keys) > size
    sorted_keys = sorted_keys[:size]
    keys = [(kind, pk) for kind, pk, _value in sorted_keys]
    by_kind: dict[str, list[int]] = {}
    for kind, pk in keys:
        by_kind.setdefault(kind, []).append(pk)
    parts = [_details(kind, ids) for kind, ids in by_kind.items()]
    found: dict[tuple[str, int], Row] = {}
    if parts:
        details = parts[0]
        if len(parts) > 1:
            details = details.union(*parts[1:], all=True).order_by()
        for values in details:
            head, (handler, resident, language, text, claimed, offered, last) = (
                values[:-7],
                values[-7:],
            )
            row = Row(
                *head,
                handler or "",
                (resident or "").strip(),
                language or "",
                _first_words(text or ""),
                claimed,
                offered,
                last,
            )
            found[(row.kind, row.id)] = row
    # A case closed between the two queries drops out of this page.
    rows = [found[k] for k in keys if k in found]
    if rows and with_care:
        # Which of these addresses have a resident with care needs: a second query over
        # the page's dwellings only (inside the UNION it cost a scan of every care need).
        cared = set(
            CareNeed.objects.filter(resident__dwelling_id__in={r.dwelling_id for r in rows})
            .values_list("resident__dwelling_id", flat=True)
            .distinct()
        )
        for r in rows:
            r.has_care = r.dwelling_id in cared
    nxt = None
    if more:
        kind, pk, value = sorted_keys[-1]
        nxt = Cursor(value, kind, pk)
    return rows, nxt


def iterate(
    user: User, filters: Filters, now: datetime.datetime, batch: int = 1000
) -> Iterator[Row]:
    """Every row of the filtered queue, a keyset page at a time (for exports)."""
    cursor: Cursor | None = None
    while True:
        rows, cursor = fetch(user, filters, now, cursor, size=batch, with_care=False)
        yield from rows
        if cursor is None:
            return
