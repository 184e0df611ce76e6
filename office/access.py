"""Who may use the back-office, and the one way each view reaches a case or project.

The back-office at /office/ is for back-office handlers, project managers and
administrators (and platform staff). Site supervisors get a 403 on every /office/ URL:
their tool is the phone app. Data is reached only through the `visible_to` query sets,
so another organisation's case or project is a 404: the page does not say whether it
exists. Setting up a project (team, chase policy, address import) is for the
administrators of the project's corporation or contractor, platform staff, and the
project managers on its team.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from accounts.models import User
from cases.models import Complaint, DamageClaim, Promise
from cases.models.base import Case
from ops.compression import compress
from projects.models import Project, ProjectMember, ProjectQuerySet

OFFICE_ROLES = frozenset({User.Role.HANDLER, User.Role.MANAGER, User.Role.ADMINISTRATOR})

# The three kinds of case, by the name used in URLs and in the queue.
CASE_MODELS: dict[str, type[Case]] = {
    "claim": DamageClaim,
    "complaint": Complaint,
    "promise": Promise,
}
KIND_OF = {model: kind for kind, model in CASE_MODELS.items()}


class OfficeRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def may_use_office(user: Any) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.role in OFFICE_ROLES)


def office_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required (else the login page), and a back-office role (else 403); text
    answers compressed when the browser accepts it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_use_office(request.user):
            raise PermissionDenied
        return compress(request, view(request, *args, **kwargs))

    return wrapper


def office_projects(user: User) -> ProjectQuerySet:
    return Project.objects.visible_to(user)


def get_project(user: User, pk: int) -> Project:
    project = office_projects(user).select_related("corporation", "contractor").filter(pk=pk)
    found = project.first()
    if found is None:
        raise Http404
    return found


def may_set_up(user: User, project: Project) -> bool:
    """Administrators of the project's organisations, platform staff, and the project
    managers on its team may change the project, its team, policy and addresses."""
    if user.is_superuser:
        return True
    if user.is_administrator and user.organisation_id in (
        project.corporation_id,
        project.contractor_id,
    ):
        return True
    return ProjectMember.objects.filter(
        project=project, user=user, role=ProjectMember.Role.MANAGER
    ).exists()


def may_see_failed_messages(user: User) -> bool:
    """Administrators and project managers (on the projects they see) follow up on
    messages that could not be delivered; handlers see them on the case's timeline."""
    return bool(user.is_superuser or user.role in (User.Role.MANAGER, User.Role.ADMINISTRATOR))


def may_create_projects(user: User) -> bool:
    return bool(user.is_superuser or (user.is_administrator and user.organisation_id))


def get_project_for_setup(user: User, pk: int) -> Project:
    project = get_project(user, pk)
    if not may_set_up(user, project):
        raise PermissionDenied
    return project


def cases_of(user: User, kind: str) -> QuerySet:
    model = CASE_MODELS.get(kind)
    if model is None:
        raise Http404
    return model.objects.visible_to(user)


def get_case(user: User, kind: str, pk: int) -> Case:
    """The case with everything its page shows in one row, or 404."""
    case = (
        cases_of(user, kind)
        .select_related(
            "project__corporation",
            "project__contractor",
            "dwelling",
            "resident",
            "handler",
            "created_by",
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


DECIDER_ROLES = (ProjectMember.Role.HANDLER, ProjectMember.Role.MANAGER)


def deciders(user: User) -> QuerySet[User]:
    """The handlers and project managers on the teams of the projects this user sees:
    whom cases can be given to."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__project__in=office_projects(user),
            memberships__role__in=DECIDER_ROLES,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def project_deciders(project_id: int) -> QuerySet[User]:
    """The handlers and project managers on one project's team."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__project_id=project_id,
            memberships__role__in=DECIDER_ROLES,
        )
        .distinct()
        .order_by("full_name", "email")
    )
