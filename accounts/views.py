"""Where a signed-in person starts, and the account pages allauth does not have."""

from __future__ import annotations

from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import COVER_ROLES, AbsenceForm, MessageSettingsForm
from .models import Absence, User


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponseRedirect:
    # Supervisors work from the phone app; everyone else mostly from a desk.
    if request.user.role == User.Role.SUPERVISOR:
        return redirect("mobile:round")
    if request.user.role == User.Role.PRIVACY_OFFICER:
        return redirect("privacy:residents")
    if request.user.is_superuser and request.user.organisation_id is None:
        # Platform staff work on organisations and their administrators, not on cases.
        return redirect("admin:index")
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


def _may_be_away(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied
    if request.user.role not in COVER_ROLES or request.user.organisation_id is None:
        raise PermissionDenied


# Everyone the chase writes to; privacy officers get no chase messages.
MESSAGE_ROLES = frozenset(COVER_ROLES)


@require_http_methods(["GET", "POST"])
@login_required
def absence(request: HttpRequest) -> HttpResponse:
    """My absences to come, and a new one: who covers, from a date to a date."""
    _may_be_away(request)
    form = AbsenceForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("Saved. While you are away, %(deputy)s gets your reminders.")
            % {"deputy": form.instance.deputy.get_full_name()},
        )
        return redirect("absence")
    planned = (
        Absence.objects.filter(person=request.user, ends_on__gte=timezone.localdate())
        .select_related("deputy")
        .order_by("starts_on")
    )
    context = {
        "form": form,
        "planned": [(a, a.projects_deputy_lacks()) for a in planned],
        "covering": Absence.objects.on(timezone.localdate())
        .filter(deputy=request.user)
        .select_related("person"),
    }
    return render(request, "account/absence.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def absence_delete(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    _may_be_away(request)
    get_object_or_404(Absence, pk=pk, person=request.user).delete()
    messages.success(request, _("The absence is removed."))
    return redirect("absence")


@require_http_methods(["GET", "POST"])
@login_required
def message_settings(request: HttpRequest) -> HttpResponse:
    """My own choice, per channel, between each reminder at once and one morning digest."""
    user = request.user
    if not (user.is_superuser or user.role in MESSAGE_ROLES):
        raise PermissionDenied
    form = MessageSettingsForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        user.email_delivery = form.cleaned_data["email_delivery"]
        user.sms_delivery = form.cleaned_data["sms_delivery"]
        user.save(update_fields=["email_delivery", "sms_delivery"])
        messages.success(request, _("Saved: this is how the reminders reach you from now on."))
        return redirect("message_settings")
    return render(
        request,
        "account/message_settings.html",
        {"form": form, "has_phone": bool(user.phone), "section": "message_settings"},
    )
