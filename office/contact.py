"""Reads for "Te bellen" (the calls a person has to make) and the day's print batch.

`open_call_tasks(user)` is the one answer to "which calls are mine": the ones assigned
to me or to someone I stand in for today, those of cases without anyone on the
projects where I am a handler, and for a
project manager every open call of their projects (administrators and platform staff:
every project they see). Another page ("Mijn werk") can show the same list.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from cases.models import CallTask, Letter
from cases.recipients import absences_on, stands_in_for
from cases.workdays import local, start_of_day
from projects.models import ProjectMember

from .access import office_projects

SHOWN = 200
# What a row shows: the case number, the address, the resident and the caller.
ROW_RELATED = ("dwelling", "resident", "assigned_to", "claim", "complaint", "promise")


def call_tasks_for(user: User, now: datetime.datetime | None = None) -> QuerySet[CallTask]:
    """The open call tasks this person should make or follow, due by the end of today
    (a call to try again tomorrow shows tomorrow)."""
    today = local(now or timezone.now()).date()
    tomorrow = start_of_day(today + datetime.timedelta(days=1), hour=0)
    tasks = CallTask.objects.open().filter(project__in=office_projects(user), due_at__lt=tomorrow)
    if user.is_superuser or user.is_administrator:
        return tasks
    # The calls of whoever this person stands in for today are theirs as well.
    mine = Q(assigned_to=user) | Q(assigned_to_id__in=stands_in_for(user, absences_on(today)))
    memberships = ProjectMember.objects.filter(user=user)
    managed = memberships.filter(role=ProjectMember.Role.MANAGER).values("project_id")
    handled = memberships.filter(role=ProjectMember.Role.HANDLER).values("project_id")
    return tasks.filter(
        mine | Q(project__in=managed) | Q(assigned_to__isnull=True, project__in=handled)
    )


def open_call_tasks(user: User, *, limit: int = SHOWN) -> list[CallTask]:
    """The calls to make, the earliest first (one query)."""
    return list(call_tasks_for(user).select_related(*ROW_RELATED).order_by("due_at", "pk")[:limit])


def letter_batch(user: User, day: datetime.date) -> QuerySet[Letter]:
    """The letters of `day`'s print batch on the projects this person sees: due by then
    and not posted yet, oldest first."""
    return (
        Letter.objects.due(day)
        .filter(project__in=office_projects(user))
        .select_related(
            "project__corporation", "dwelling", "resident", "claim", "complaint", "promise"
        )
        .order_by("due_on", "pk")
    )
