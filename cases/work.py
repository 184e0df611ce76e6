"""What is waiting for one person: the cases whose step is theirs and due, and the
escalations that reached them. The morning digest (digest.py) and the back-office's
"Mijn werk" show the same lists, so a reminder left out of the digest's messages can
never be missing from both.

"Theirs" is decided by the chase's own rules (`recipients.handlers`,
`recipients.promise_owner`) on a small set of candidates the database picks first (cases
assigned to them, unassigned cases of their projects, promises they made), so the list
names exactly whom the chase reminds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from accounts.models import User
from projects.models import Project, ProjectMember

from .messages.staff import case_url, step_label
from .models import Complaint, DamageClaim, Notification, Promise
from .models.base import Case
from .recipients import CASE_KINDS, Teams, absences_on, handlers, promise_owner, stands_in_for
from .schedule import CLAIM_PLAN, COMPLAINT_PLAN, PROMISE_PLAN, Party
from .workdays import OFFICE_CLOSES, local, start_of_day, working_days_between

CASE_MODELS: tuple[type[Case], ...] = (DamageClaim, Complaint, Promise)
_RELATED = ["project", "dwelling", "handler"]


def _staff_steps(plan: dict) -> list[str]:
    return [status for status, step in plan.items() if step.awaited in (Party.HANDLER, Party.OWNER)]


# The states in which the next move is staff's (not the resident's, the expert's, or
# a period running out by itself).
STAFF_STEPS: dict[type[Case], list[str]] = {
    DamageClaim: _staff_steps(CLAIM_PLAN),
    Complaint: _staff_steps(COMPLAINT_PLAN),
    Promise: _staff_steps(PROMISE_PLAN),
}


@dataclass
class Item:
    """One line of someone's work: a case and how late its step is."""

    case: Case
    kind: str
    days_late: int  # working days past the deadline; 0 when due today

    @property
    def number(self) -> str:
        return self.case.number

    @property
    def project(self) -> Project:
        return self.case.project

    @property
    def address(self) -> str:
        return self.case.dwelling.address

    @property
    def step(self) -> str:
        return step_label(self.case)

    @property
    def due_at(self) -> datetime.datetime | None:
        return self.case.step_due_at

    @property
    def link(self) -> str:
        """Absolute, as in the chase's messages."""
        return case_url(self.case)


def end_of_day(now: datetime.datetime) -> datetime.datetime:
    """Closing time of `now`'s day in Amsterdam (or `now`, after closing): what is due
    before then is due today or overdue."""
    return max(start_of_day(local(now).date(), hour=OFFICE_CLOSES), now)


def _item(case: Case, now: datetime.datetime) -> Item:
    due = case.step_due_at
    late = working_days_between(due, now) if due is not None and due < now else 0
    return Item(case=case, kind=CASE_KINDS[type(case)], days_late=late)


def _by_delay(items: list[Item]) -> list[Item]:
    """Most delayed first: the earliest deadline, then the case number."""
    return sorted(items, key=lambda i: (i.due_at is None, i.due_at, i.kind, i.case.pk))


def _visible(model: type[Case], user: User) -> QuerySet:
    return model.objects.visible_to(user).open().select_related(*_RELATED)


def due_for(user: User, now: datetime.datetime) -> list[Item]:
    """Open cases whose step is this person's move and due by the end of today, most
    delayed first (a query per kind of case, one for the project teams)."""
    # After closing time, whatever fell due since is overdue: due by now at the latest.
    until = max(end_of_day(now), now)
    day = local(now).date()
    # Whoever this person stands in for today: their work is this person's too.
    absences = absences_on(day)
    people = [user.pk, *stands_in_for(user, absences)]
    my_projects = ProjectMember.objects.filter(user_id__in=people).values("project_id")
    unassigned = Q(handler__isnull=True) | Q(handler__is_active=False)
    candidates: list[Case] = []
    for model in CASE_MODELS:
        mine = Q(handler_id__in=people) | (unassigned & Q(project_id__in=my_projects))
        if model is Promise:
            mine |= unassigned & Q(created_by_id__in=people)
        query = _visible(model, user).filter(
            mine, status__in=STAFF_STEPS[model], step_due_at__lte=until
        )
        if model is Promise:
            query = query.select_related("created_by")
        candidates += query
    if not candidates:
        return []
    teams = Teams((c.project_id for c in candidates), absences=absences)
    items = []
    for case in candidates:
        whom = promise_owner(case, teams) if isinstance(case, Promise) else handlers(case, teams)
        if any(r.user is not None and r.user.pk == user.pk for r in whom):
            items.append(_item(case, now))
    return _by_delay(items)


def _escalation_sent_to(user: User, kind: str) -> Exists:
    """An escalation of the case's current step was written to `user` (its key names
    the step: `<kind>-<id>/s<step>/…`)."""
    step_prefix = Concat(
        Value(f"{kind}-"),
        Cast(OuterRef("pk"), CharField()),
        Value("/s"),
        Cast(OuterRef("step_seq"), CharField()),
        Value("/"),
    )
    return Exists(
        Notification.objects.filter(
            recipient_user=user,
            purpose="escalation",
            key__startswith=step_prefix,
            **{kind: OuterRef("pk")},
        )
    )


def escalated_to(user: User, now: datetime.datetime) -> list[Item]:
    """Open cases escalated to this person in their current step (a query per kind)."""
    items = []
    for model in CASE_MODELS:
        kind = CASE_KINDS[model]
        query = _visible(model, user).filter(escalation_level__gte=1)
        items += [_item(c, now) for c in query.filter(_escalation_sent_to(user, kind))]
    return _by_delay(items)


def manages_projects(user: User) -> bool:
    return user.role == User.Role.MANAGER or user.is_administrator


def escalations_managed(user: User, now: datetime.datetime) -> list[Item]:
    """For a project manager: every escalated open case of the projects they manage
    (administrators: of every project they see), a query per kind."""
    if not manages_projects(user):
        return []
    projects = Project.objects.visible_to(user)
    if not user.is_administrator:
        projects = projects.filter(members__user=user, members__role=ProjectMember.Role.MANAGER)
    items = []
    for model in CASE_MODELS:
        query = _visible(model, user).filter(
            escalation_level__gte=1, project_id__in=projects.values("pk")
        )
        items += [_item(c, now) for c in query]
    return _by_delay(items)


def by_project(items: list[Item]) -> list[tuple[Project, list[Item]]]:
    """Items grouped by project, the project with the most delayed case first (the
    items keep their order within a project)."""
    groups: dict[int, tuple[Project, list[Item]]] = {}
    for item in items:
        groups.setdefault(item.project.pk, (item.project, []))[1].append(item)
    return list(groups.values())
