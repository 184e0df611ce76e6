"""Everything at one address, for the back-office: residents, the care marker, visits,
promises, complaints, claims and one timeline. A fixed number of queries, whatever the
address holds (each list is cut), scoped by the office's access rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Value
from django.http import Http404

from accounts.models import User
from cases.models import Complaint, DamageClaim, Promise, TimelineEvent
from mobile.models import care_needs_seen
from projects.models import Dwelling, ProjectMember
from residents.models import CareNeed, Resident, Visit

from .access import KIND_OF, office_projects

SHOWN = 50  # per list; an address with more shows the newest
TIMELINE_SHOWN = 100
CARE_PURPOSE = "back-office"


def get_dwelling(user: User, pk: int) -> Dwelling:
    """The dwelling with its project, or 404 when the user's projects do not hold it;
    with `may_see_care`: whether this user may read its residents' care needs. Only the
    project's team (and platform staff) may: an organisation's administrator sees every
    project of the organisation, but not the care needs of a team they are not on."""
    team = ProjectMember.objects.filter(user=user, project_id=OuterRef("project_id"))
    found = (
        Dwelling.objects.filter(project__in=office_projects(user))
        .select_related("project")
        .annotate(may_see_care=Value(True) if user.is_superuser else Exists(team))
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass
class DwellingView:
    dwelling: Dwelling
    residents: list[Resident]
    care_marked: bool
    claims: list[DamageClaim]
    complaints: list[Complaint]
    promises: list[Promise]
    visits: list[Visit]
    timeline: list[TimelineEvent]


def build(dwelling: Dwelling) -> DwellingView:
    residents = list(
        Resident.objects.filter(dwelling=dwelling)
        .annotate(has_care=Exists(CareNeed.objects.filter(resident=OuterRef("pk"))))
        .order_by("-is_main_contact", "last_name", "pk")
    )

    def cases(model: Any) -> list[Any]:
        return list(
            model.objects.filter(dwelling=dwelling)
            .select_related("handler")
            .order_by("-created_at", "-pk")[:SHOWN]
        )

    events = list(
        TimelineEvent.objects.filter(dwelling=dwelling)
        .select_related("actor", "claim", "complaint", "promise", "visit")
        .order_by("-at", "-id")[:TIMELINE_SHOWN]
    )
    for event in events:
        case = event.claim or event.complaint or event.promise
        event.case = case
        event.case_kind = KIND_OF.get(type(case), "") if case else ""
    return DwellingView(
        dwelling=dwelling,
        residents=residents,
        care_marked=any(r.has_care for r in residents),
        claims=cases(DamageClaim),
        complaints=cases(Complaint),
        promises=cases(Promise),
        visits=list(
            Visit.objects.filter(dwelling=dwelling)
            .select_related("visited_by")
            .order_by("-visited_at", "-pk")[:SHOWN]
        ),
        timeline=events,
    )


def care_needs_read(user: User, dwelling: Dwelling) -> list[Resident]:
    """The care needs of the dwelling's residents, each read written to the access log
    (GDPR Art. 9), as the phone app does."""
    residents = [
        r
        for r in Resident.objects.filter(dwelling=dwelling).prefetch_related(
            Prefetch("care_needs", queryset=CareNeed.objects.order_by("kind"))
        )
        if r.care_needs.all()
    ]
    care_needs_seen(by=user, residents=residents, purpose=CARE_PURPOSE)
    return residents
