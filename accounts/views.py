"""Where a signed-in person starts, and the account pages allauth does not have."""

from __future__ import annotations

from allauth.usersessions.models import UserSession
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from .models import User


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponseRedirect:
    # Supervisors work from the phone app; everyone else mostly from a desk.
    if request.user.role == User.Role.SUPERVISOR:
        return redirect("mobile:round")
    if request.user.role == User.Role.PRIVACY_OFFICER:
        return redirect("privacy:residents")
    return redirect("office:queue")


def admin_login(request: HttpRequest) -> HttpResponse:
    """One sign-in for everyone: the admin sends people to ours, where they come back."""
    if request.user.is_authenticated:
        if request.user.is_staff:
            return redirect("admin:index")
        # Signed in, but not for the admin: sending them to sign in again would loop.
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or "/admin/")


@require_POST
@login_required
def sign_out_everywhere(request: HttpRequest) -> HttpResponseRedirect:
    """End every session of this person, on every device, this one included."""
    sessions = list(UserSession.objects.filter(user=request.user))
    for session in sessions:
        session.end()
    logout(request)
    return redirect("login")


def e_mail_managed_by_administrators(request: HttpRequest) -> HttpResponse:
    raise Http404
