"""Writes that set up a project: creating it with its team and chase policy."""

from __future__ import annotations

import datetime

from django.db import transaction

from accounts.models import Organisation, User
from cases.models import ChasePolicy

from .models import Project, ProjectMember


@transaction.atomic
def project_create(
    *,
    by: User,
    name: str,
    code: str,
    corporation: Organisation,
    contractor: Organisation,
    city: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    phase: str = Project.Phase.PREPARATION,
    resident_phone: str = "",
) -> Project:
    """A new project with the default chase policy; the caller checked `by` may do this."""
    project = Project.objects.create(
        name=name,
        code=code,
        corporation=corporation,
        contractor=contractor,
        city=city,
        starts_on=starts_on,
        ends_on=ends_on,
        phase=phase,
        resident_phone=resident_phone,
    )
    ChasePolicy.objects.create(project=project)
    return project


def project_member_add(*, project: Project, user: User, role: str) -> ProjectMember:
    """Put `user` on the project's team in `role` (a second call changes nothing)."""
    member, _created = ProjectMember.objects.get_or_create(project=project, user=user, role=role)
    return member


def project_member_remove(*, project: Project, member_id: int) -> None:
    """Take one membership off the project's team (another project's is left alone)."""
    ProjectMember.objects.filter(project=project, pk=member_id).delete()
