"""The calls a supervisor has to make, on the phone: residents of their promises who get
no text message or e-mail. The same list and outcome as the back-office's "Te bellen"."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.models import CallTask
from cases.services import call_task_done
from cases.services.errors import TransitionRefused
from office.contact import ROW_RELATED, SHOWN, call_tasks_for
from office.forms import CallDoneForm

from ..access import field_projects
from ..http import MobileRequest, mobile_view


def _form(task: CallTask, data=None) -> CallDoneForm:
    return CallDoneForm(data, prefix=f"call-{task.pk}")


def _page(request: MobileRequest, bound: tuple[int, CallDoneForm] | None = None, status=200):
    tasks = list(
        call_tasks_for(request.user)
        .filter(project__in=field_projects(request.user))
        .select_related(*ROW_RELATED)
        .order_by("due_at", "pk")[:SHOWN]
    )
    for task in tasks:
        task.form = bound[1] if bound and bound[0] == task.pk else _form(task)
    return render(request, "mobile/calls.html", {"tasks": tasks}, status=status)


@require_GET
@mobile_view
def my_calls(request: MobileRequest) -> HttpResponse:
    return _page(request)


@require_POST
@mobile_view
def call_done(request: MobileRequest, pk: int) -> HttpResponse:
    task = (
        CallTask.objects.filter(project__in=field_projects(request.user), pk=pk)
        .select_related("project")
        .first()
    )
    if task is None:
        raise Http404
    form = _form(task, request.POST)
    if form.is_valid():
        try:
            call_task_done(task=task, by=request.user, **form.cleaned_data)
        except TransitionRefused as refusal:
            messages.error(request, refusal.message)
            return _page(request, status=409 if not task.is_open else 400)
        messages.success(
            request, _("Noted: %(outcome)s.") % {"outcome": task.get_outcome_display()}
        )
        return HttpResponseRedirect(reverse("mobile:calls"))
    return _page(request, bound=(task.pk, form), status=400)
