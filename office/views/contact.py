"""Residents who get no message: "Te bellen" (the calls to make) and the day's letters."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from cases.models import CallTask
from cases.services import TransitionRefused, call_task_done, letters_posted

from ..access import OfficeRequest, get_case, office_projects, office_view
from ..contact import SHOWN, letter_batch, open_call_tasks
from ..forms import CallDoneForm, LettersPostedForm
from ..letter import render_batch
from .case import _add_refusal, _page, _refusal_status

# Letters in one print batch: more wait for the next print (the page says so).
BATCH_MAX = 500


def call_form(task: CallTask, data=None) -> CallDoneForm:
    return CallDoneForm(data, prefix=f"call-{task.pk}")


def get_call_task(user, pk: int) -> CallTask:
    """A call task on a project this person sees, or 404."""
    task = (
        CallTask.objects.filter(project__in=office_projects(user))
        .select_related("project", "dwelling", "resident", "assigned_to")
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise Http404
    return task


def _calls_page(
    request: OfficeRequest, bound: tuple[CallTask, CallDoneForm] | None = None, status: int = 200
) -> HttpResponse:
    tasks = open_call_tasks(request.user)
    if bound is not None and bound[0].pk not in {t.pk for t in tasks} and bound[0].is_open:
        tasks.insert(0, bound[0])
    for task in tasks:
        task.form = bound[1] if bound and bound[0].pk == task.pk else call_form(task)
    return render(
        request,
        "office/calls.html",
        {"tasks": tasks, "shown": SHOWN, "now": timezone.now(), "section": "calls"},
        status=status,
    )


@require_GET
@office_view
def calls(request: OfficeRequest) -> HttpResponse:
    """My calls to make; a project manager sees every call of their projects."""
    return _calls_page(request)


@require_POST
@office_view
def call_done(request: OfficeRequest, pk: int) -> HttpResponse:
    """One call made: reached or not (with a note); not reached may come back tomorrow."""
    task = get_call_task(request.user, pk)
    form = call_form(task, request.POST)
    on_case = request.POST.get("from") == "case"
    status = 400
    if form.is_valid():
        try:
            retry = call_task_done(task=task, by=request.user, **form.cleaned_data)
        except TransitionRefused as refusal:
            _add_refusal(form, refusal)
            status = _refusal_status(refusal)
            if not task.is_open or status == 409:
                # Done in the meantime: the row is gone from the list, so say it on top.
                messages.error(request, refusal.message)
        else:
            if retry is not None:
                messages.success(
                    request,
                    _("Noted: not reached. The call is on the list again on %(date)s.")
                    % {"date": timezone.localtime(retry.due_at).strftime("%d-%m-%Y")},
                )
            else:
                messages.success(
                    request, _("Noted: %(outcome)s.") % {"outcome": task.get_outcome_display()}
                )
            if on_case:
                return HttpResponseRedirect(
                    reverse("office:case", args=[task.case_kind, task.case.pk]) + "#h-calls"
                )
            return HttpResponseRedirect(reverse("office:calls"))
    if on_case:
        case = get_case(request.user, task.case_kind, task.case.pk)
        return _page(request, task.case_kind, case, call_bound=(task.pk, form), status=status)
    task.refresh_from_db()
    return _calls_page(request, bound=(task, form), status=status)


def _batch(request: OfficeRequest) -> list:
    return list(letter_batch(request.user, timezone.localdate())[:BATCH_MAX])


@require_GET
@office_view
def letters(request: OfficeRequest) -> HttpResponse:
    """Today's print batch: every letter due, one PDF, then mark what was posted."""
    batch = _batch(request)
    form = LettersPostedForm(
        letters=letter_batch(request.user, timezone.localdate()),
        initial={"letters": [letter.pk for letter in batch]},
    )
    return _letters_page(request, batch, form)


def _letters_page(
    request: OfficeRequest, batch: list, form: LettersPostedForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "office/letters.html",
        {
            "batch": batch,
            "form": form,
            "today": timezone.localdate(),
            "batch_max": BATCH_MAX,
            "full": len(batch) >= BATCH_MAX,
            # What the person ticked, kept when the form comes back with an error.
            "checked": form.data.getlist(form["letters"].html_name) if form.is_bound else [],
            "section": "letters",
        },
        status=status,
    )


@require_GET
@office_view
def letters_pdf(request: OfficeRequest) -> HttpResponse:
    today = timezone.localdate()
    title = _("Letters to post on %(date)s") % {"date": today.strftime("%d-%m-%Y")}
    response = HttpResponse(render_batch(_batch(request), title), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letters-{today.isoformat()}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@office_view
def letters_posted_view(request: OfficeRequest) -> HttpResponse:
    form = LettersPostedForm(request.POST, letters=letter_batch(request.user, timezone.localdate()))
    if not form.is_valid():
        return _letters_page(request, _batch(request), form, status=400)
    count = letters_posted(letters=form.cleaned_data["letters"], by=request.user)
    messages.success(
        request,
        ngettext("%(count)s letter marked as posted.", "%(count)s letters marked as posted.", count)
        % {"count": count},
    )
    return HttpResponseRedirect(reverse("office:letters"))
