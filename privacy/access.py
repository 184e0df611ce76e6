"""Who may use the privacy pages, and the one way they reach a resident.

Privacy officers (a role of their own: they get no work queue) and platform staff. A
privacy officer reaches the residents of every project their organisation takes part
in, as corporation or contractor; another organisation's resident is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse

from accounts.models import User
from residents.models import Resident, ResidentQuerySet


class OfficerRequest(HttpRequest):
    user: User


def may_handle_privacy(user: Any) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.role == User.Role.PRIVACY_OFFICER)


def privacy_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required (else the login page), and the privacy officer role (else 403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_handle_privacy(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def privacy_residents(user: User) -> ResidentQuerySet:
    if user.is_superuser:
        return Resident.objects.all()
    if user.role != User.Role.PRIVACY_OFFICER or user.organisation_id is None:
        return Resident.objects.none()
    org = user.organisation_id
    return Resident.objects.filter(
        Q(dwelling__project__corporation_id=org) | Q(dwelling__project__contractor_id=org)
    )


def get_resident(user: User, pk: int) -> Resident:
    resident = privacy_residents(user).select_related("dwelling__project").filter(pk=pk).first()
    if resident is None:
        raise Http404
    return resident
