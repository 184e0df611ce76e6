"""Who may use the phone app for which project: the one rule every /m/ view goes through.

A user reaches a project's /m/ pages when the project is visible to them
(`Project.objects.visible_to`) and they are on its team as site supervisor or project
manager. Platform staff (superusers) may open any project's pages for support, but see
care-need details only where they are on the team themselves. Everyone else gets a 404:
the page does not say whether the object exists.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from accounts.models import User
from cases.models import ClaimPhoto, Complaint, DamageClaim, Promise
from projects.models import Dwelling, Project, ProjectMember, ProjectQuerySet

FIELD_ROLES = (ProjectMember.Role.SUPERVISOR, ProjectMember.Role.MANAGER)


def _field_memberships(user: User) -> QuerySet[ProjectMember]:
    return ProjectMember.objects.filter(user=user, role__in=FIELD_ROLES)


def field_projects(user: User) -> ProjectQuerySet:
    """The projects whose /m/ pages this user may open."""
    visible = Project.objects.visible_to(user)
    if user.is_superuser:
        return visible
    return visible.filter(id__in=_field_memberships(user).values("project_id"))


def round_projects(user: User) -> ProjectQuerySet:
    """The projects on the user's round page: those they are on the team of (any role),
    with `is_field` telling whether they may work it from the phone.

    Platform staff get no round of every project in the country: only their own teams.
    """
    on_team = ProjectMember.objects.filter(user=user).values("project_id")
    return (
        Project.objects.visible_to(user)
        .filter(id__in=on_team)
        .annotate(
            is_field=Exists(_field_memberships(user).filter(project_id=OuterRef("pk"))),
        )
        .order_by("name")
    )


def get_project_for_field(user: User, pk: int) -> Project:
    try:
        return field_projects(user).get(pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None


def get_dwelling_for_field(user: User, pk: int) -> Dwelling:
    """The dwelling with its project, and `may_see_care`: whether this user may see the
    care-need details of its residents (team supervisors and managers only)."""
    dwelling = (
        Dwelling.objects.visible_to(user)
        .filter(project__in=field_projects(user))
        .select_related("project")
        .annotate(
            may_see_care=Exists(_field_memberships(user).filter(project_id=OuterRef("project_id")))
        )
        .filter(pk=pk)
        .first()
    )
    if dwelling is None:
        raise Http404
    return dwelling


def claims_for_field(user: User) -> QuerySet[DamageClaim]:
    return DamageClaim.objects.visible_to(user).filter(project__in=field_projects(user))


def get_claim_for_field(user: User, pk: int) -> DamageClaim:
    claim = claims_for_field(user).select_related("dwelling", "project").filter(pk=pk).first()
    if claim is None:
        raise Http404
    return claim


def get_photo_for_field(user: User, pk: int) -> ClaimPhoto:
    """A photo, only if its claim is one this user may see from the phone."""
    photo = (
        ClaimPhoto.objects.filter(claim__in=claims_for_field(user))
        .select_related("claim")
        .filter(pk=pk)
        .first()
    )
    if photo is None:
        raise Http404
    return photo


def promises_for_field(user: User) -> QuerySet[Promise]:
    return Promise.objects.visible_to(user).filter(project__in=field_projects(user))


def get_promise_for_field(user: User, pk: int) -> Promise:
    promise = (
        promises_for_field(user)
        .select_related("dwelling", "project", "resident", "created_by", "handler")
        .filter(pk=pk)
        .first()
    )
    if promise is None:
        raise Http404
    return promise


def get_complaint_for_field(user: User, pk: int) -> Complaint:
    complaint = (
        Complaint.objects.visible_to(user)
        .filter(project__in=field_projects(user))
        .select_related("dwelling", "resident", "handler")
        .filter(pk=pk)
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint
