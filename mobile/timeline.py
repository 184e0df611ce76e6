"""One timeline per address: everything that happened there, newest first, as rows the
dwelling page can show without further queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.models import Complaint, DamageClaim, Promise, TimelineEvent
from cases.models.base import Case
from projects.models import Dwelling

PAGE = 50
# Reminders to staff are the chase talking to itself; the supervisor needs the outcome.
HIDDEN_KINDS = (TimelineEvent.Kind.REMINDER_SENT,)


@dataclass(frozen=True)
class Row:
    at: datetime.datetime
    kind: str
    title: str
    detail: str
    actor: str
    url: str | None


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: strictly before this (moment, id)."""

    at: datetime.datetime
    id: int

    def __str__(self) -> str:
        return f"{int(self.at.timestamp() * 1_000_000)}.{self.id}"

    @classmethod
    def parse(cls, value: str | None) -> Cursor | None:
        try:
            micros, pk = (value or "").split(".")
            at = datetime.datetime.fromtimestamp(int(micros) / 1_000_000, tz=datetime.UTC)
            return cls(at, int(pk))
        except (ValueError, OverflowError, OSError):
            return None


def _status(case: Case, value: str) -> str:
    try:
        return str(type(case).Status(value).label)
    except ValueError:
        return value


def _subject(case: Case) -> str:
    if isinstance(case, DamageClaim):
        return _("Damage %(number)s") % {"number": case.number}
    if isinstance(case, Complaint):
        return _("Complaint %(number)s") % {"number": case.number}
    return _("Promise %(number)s") % {"number": case.number}


def _created(case: Case) -> tuple[str, str]:
    if isinstance(case, DamageClaim):
        what = f"{case.get_damage_kind_display()}, {case.get_room_display()}"
        return _("%(subject)s reported: %(what)s") % {
            "subject": _subject(case),
            "what": what,
        }, case.description
    if isinstance(case, Complaint):
        return _("%(subject)s recorded: %(category)s") % {
            "subject": _subject(case),
            "category": case.get_category_display(),
        }, case.description
    assert isinstance(case, Promise)
    return _("%(subject)s, due %(date)s") % {
        "subject": _subject(case),
        "date": case.due_on.strftime("%d-%m-%Y"),
    }, case.description


def _row(event: TimelineEvent) -> Row:
    if event.actor:
        actor = event.actor.get_short_name()
    else:
        actor = _("the resident") if event.by_resident else _("Woonrust")
    case = event.claim or event.complaint or event.promise
    url = reverse("mobile:claim", args=[event.claim_id]) if event.claim_id else None
    detail = event.text
    if event.visit is not None:
        visit = event.visit
        title = _("Visit: %(kind)s, %(outcome)s") % {
            "kind": visit.get_kind_display(),
            "outcome": visit.get_outcome_display(),
        }
        if visit.mood:
            detail = f"{visit.get_mood_display()}. {detail}".strip()
    elif case is None:
        title = event.get_kind_display()
    elif event.kind == TimelineEvent.Kind.CREATED:
        title, detail = _created(case)
    elif event.kind == TimelineEvent.Kind.STATUS_CHANGED:
        title = _("%(subject)s: %(from)s → %(to)s") % {
            "subject": _subject(case),
            "from": _status(case, event.from_status),
            "to": _status(case, event.to_status),
        }
    else:
        title = f"{_subject(case)}: {event.get_kind_display().lower()}"
    return Row(event.at, event.kind, title, detail, actor, url)


def timeline(dwelling: Dwelling, before: Cursor | None = None) -> tuple[list[Row], Cursor | None]:
    """A page of the dwelling's timeline (one query) and the cursor of the next page."""
    events = (
        TimelineEvent.objects.filter(dwelling=dwelling)
        .exclude(kind__in=HIDDEN_KINDS)
        .select_related("actor", "visit", "claim", "complaint", "promise")
        .order_by("-at", "-id")
    )
    if before is not None:
        events = events.filter(Q(at__lt=before.at) | Q(at=before.at, id__lt=before.id))
    page = list(events[: PAGE + 1])
    more = Cursor(page[PAGE - 1].at, page[PAGE - 1].id) if len(page) > PAGE else None
    return [_row(e) for e in page[:PAGE]], more
