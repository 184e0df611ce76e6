"""The retention page: the corporation's periods, the dry-run report of what the next
run removes, starting retention, and the last runs.

Privacy officers and administrators of a housing corporation set their corporation's
periods and start retention; a contractor's privacy officer or administrator reads the
periods of the corporations they work for. Platform staff choose the corporation (`?corporation=`).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Organisation, User
from projects.models import Project

from .access import OfficerRequest as Request
from .forms import RetentionPolicyForm, RetentionStartForm
from .models import RetentionPolicy, RetentionRun
from .retention import retention_report

RUNS_SHOWN = 10
READERS = {User.Role.PRIVACY_OFFICER, User.Role.ADMINISTRATOR}


def may_read_retention(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.role in READERS)


def _own_corporation(user: User) -> Organisation | None:
    org = user.organisation
    return org if org is not None and org.kind == Organisation.Kind.CORPORATION else None


def _corporation(request: Request) -> Organisation | None:
    """The corporation whose periods this user may change (None: they may only read)."""
    if request.user.is_superuser:
        wanted = request.GET.get("corporation", "")
        corporations = Organisation.objects.filter(kind=Organisation.Kind.CORPORATION)
        if wanted.isdigit():
            return corporations.filter(pk=int(wanted)).first() or corporations.first()
        return corporations.first()
    return _own_corporation(request.user)


def _guard(request: Request) -> None:
    if not may_read_retention(request.user):
        raise PermissionDenied


def _page(request: Request, corporation, form=None, start_form=None, status=200):
    context: dict = {"section": "privacy", "corporation": corporation}
    if corporation is not None:
        policy = RetentionPolicy.for_corporation(corporation.pk)
        context.update(
            policy=policy,
            form=form or RetentionPolicyForm(instance=policy),
            start_form=start_form or RetentionStartForm(),
            report=retention_report(policy),
            runs=list(RetentionRun.objects.all()[:RUNS_SHOWN]) if policy.started_at else [],
        )
        if request.user.is_superuser:
            context["corporations"] = list(
                Organisation.objects.filter(kind=Organisation.Kind.CORPORATION)
            )
    else:
        # A contractor's people read the periods of the corporations they work for.
        org = request.user.organisation_id
        ids = Project.objects.filter(Q(contractor_id=org) | Q(corporation_id=org)).values(
            "corporation_id"
        )
        context["others"] = [
            (c.name, RetentionPolicy.for_corporation(c.pk))
            for c in Organisation.objects.filter(pk__in=ids).order_by("name")
        ]
    return render(request, "privacy/retention.html", context, status=status)


def _signed_in(view):
    """Sign-in required (else the login page), and `may_read_retention` (else 403)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        _guard(request)
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@_signed_in
def retention(request: Request) -> HttpResponse:
    return _page(request, _corporation(request))


def _back(corporation: Organisation, request: Request):
    response = redirect("privacy:retention")
    if request.user.is_superuser:
        response["Location"] += f"?corporation={corporation.pk}"
    return response


@require_POST
@_signed_in
def retention_save(request: Request) -> HttpResponse:
    corporation = _corporation(request)
    if corporation is None:
        raise PermissionDenied
    policy = RetentionPolicy.for_corporation(corporation.pk)
    form = RetentionPolicyForm(request.POST, instance=policy)
    if not form.is_valid():
        return _page(request, corporation, form=form, status=400)
    policy = form.save(commit=False)
    policy.updated_at, policy.updated_by = timezone.now(), request.user
    policy.save()
    messages.success(request, _("The retention periods were saved."))
    return _back(corporation, request)


@require_POST
@_signed_in
def retention_start(request: Request) -> HttpResponse:
    corporation = _corporation(request)
    if corporation is None:
        raise PermissionDenied
    policy = RetentionPolicy.for_corporation(corporation.pk)
    if policy.started_at is not None:
        messages.info(request, _("Retention was started already."))
        return _back(corporation, request)
    form = RetentionStartForm(request.POST)
    if not form.is_valid():
        return _page(request, corporation, start_form=form, status=400)
    policy.started_at, policy.started_by = timezone.now(), request.user
    policy.save()
    messages.success(request, _("Retention is started: the daily job applies these periods."))
    return _back(corporation, request)
