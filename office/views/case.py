"""The case page: everything about one case, the steps allowed now, notes, reassignment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import F
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.models import CallTask, ClaimPhoto, DamageClaim, Letter, Notification
from cases.models.base import Case
from cases.outbox import case_link
from cases.photos import photo_response
from cases.recipients import covering
from cases.services import (
    IllegalTransition,
    NotAllowed,
    TransitionRefused,
    allowed_actions,
    case_assign,
)
from statuslink.services import status_link_reissue, status_link_revoke

from ..access import OfficeRequest, get_case, office_view, project_deciders
from ..action_forms import ACTION_FORMS, NEEDS_HANDLERS
from ..forms import AssignForm, CallDoneForm, NoteAddForm
from ..letter import has_letter, render_letter
from ..services import TABLES, case_note_add, case_take_action


def _action_form(kind: str, action: str, handlers: Any, data: Any = None) -> forms.Form:
    form_class = ACTION_FORMS[kind][action]
    prefix = action
    if issubclass(form_class, NEEDS_HANDLERS):
        return form_class(data, prefix=prefix, handlers=handlers)
    return form_class(data, prefix=prefix)


def case_url(kind: str, case: Case) -> str:
    return reverse("office:case", args=[kind, case.pk])


def error_summary(forms_shown: list[tuple[str, forms.Form | None]]) -> list[dict[str, str]]:
    """Every error of the refused forms, for the summary at the top of the page: each
    links to its field (or to the form, for an error about the whole step)."""
    items: list[dict[str, str]] = []
    for anchor, form in forms_shown:
        if form is None or not form.is_bound or not form.errors:
            continue
        for name, errors in form.errors.items():
            field = form[name] if name in form.fields else None
            if field is not None:
                # A radio group has no element with the field's own id: link its first option.
                widget_id = field.auto_id
                if field.widget_type in ("radioselect", "checkboxselectmultiple"):
                    widget_id = f"{widget_id}_0"
                href, label = f"#{widget_id}", str(field.label)
            else:
                href, label = f"#{anchor}", ""
            for error in errors:
                text = f"{label}: {error}" if label else str(error)
                items.append({"href": href, "text": text})
    return items


def _page(
    request: OfficeRequest,
    kind: str,
    case: Case,
    *,
    bound: tuple[str, forms.Form] | None = None,
    note_form: forms.Form | None = None,
    assign_form: forms.Form | None = None,
    call_bound: tuple[int, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    handlers = list(project_deciders(case.project_id))
    table = TABLES[kind]
    actions = []
    for action in allowed_actions(case, request.user, table):
        if action not in ACTION_FORMS[kind]:
            continue
        form = bound[1] if bound and bound[0] == action else _action_form(kind, action, handlers)
        actions.append({"name": action, "label": table[action].label, "form": form})
    # A step that is no longer offered (someone else moved the case on): say why at the top.
    stray_errors = []
    if bound and bound[0] not in {a["name"] for a in actions}:
        stray_errors = [e for errors in bound[1].errors.values() for e in errors]
    photos = (
        list(ClaimPhoto.objects.filter(claim=case).order_by("uploaded_at", "pk"))
        if isinstance(case, DamageClaim)
        else []
    )
    timeline = list(case.timeline.select_related("actor").order_by("-at", "-id")[:200])
    # Who was reminded, escalated to or told something, and whether it went out.
    sent = list(
        Notification.objects.filter(**case_link(case))
        .select_related("recipient_user", "recipient_resident")
        .order_by("-created_at", "-id")[:50]
    )
    # The calls and letters that stood in for messages to a resident who gets none.
    calls = list(
        CallTask.objects.filter(**case_link(case))
        .select_related("assigned_to", "done_by")
        .order_by(F("done_at").desc(nulls_first=True), "-created_at", "-id")[:50]
    )
    for task in calls:
        if call_bound and call_bound[0] == task.pk:
            task.form = call_bound[1]
        elif task.is_open:
            task.form = CallDoneForm(prefix=f"call-{task.pk}")
    letters = list(
        Letter.objects.filter(**case_link(case))
        .select_related("posted_by")
        .order_by("-created_at", "-id")[:50]
    )
    labels = dict(type(case).Status.choices)
    for event in timeline:
        event.to_label = labels.get(event.to_status, event.to_status)
    # The handler away today: whoever covers gets the reminders; the page says so.
    acting, away = covering(case.handler) if case.handler else (None, None)
    context = {
        "kind": kind,
        "case": case,
        "away": away,
        "acting": acting,
        "now": timezone.now(),
        "actions": actions,
        "open_action": bound[0] if bound else "",
        "stray_errors": stray_errors,
        "photos": photos,
        "timeline": timeline,
        "sent": sent,
        "calls": calls,
        "letters": letters,
        "note_form": note_form or NoteAddForm(prefix="note"),
        "assign_form": assign_form
        or AssignForm(
            prefix="assign", handlers=handlers, initial={"handler": str(case.handler_id or "")}
        ),
        "handlers": handlers,
        "has_letter": isinstance(case, DamageClaim) and has_letter(case),
        "has_status_link": kind in ("claim", "complaint"),
        "errors": error_summary(
            [
                (f"action-{bound[0]}" if bound else "", bound[1] if bound else None),
                ("timeline", note_form),
                ("h-handler", assign_form),
                ("h-calls", call_bound[1] if call_bound else None),
            ]
        ),
    }
    return render(request, "office/case.html", context, status=status)


@require_GET
@office_view
def case_detail(request: OfficeRequest, kind: str, pk: int) -> HttpResponse:
    return _page(request, kind, get_case(request.user, kind, pk))


def _refusal_status(refusal: TransitionRefused) -> int:
    if isinstance(refusal, NotAllowed):
        return 403
    if isinstance(refusal, IllegalTransition):
        return 409
    return 400


def _add_refusal(form: forms.Form, refusal: TransitionRefused) -> None:
    field = refusal.field if refusal.field in form.fields else None
    form.add_error(field, refusal.message)


@require_POST
@office_view
def case_action(request: OfficeRequest, kind: str, pk: int, action: str) -> HttpResponse:
    case = get_case(request.user, kind, pk)
    if action not in ACTION_FORMS.get(kind, {}):
        raise Http404
    form = _action_form(kind, action, list(project_deciders(case.project_id)), request.POST)
    if not form.is_valid():
        return _page(request, kind, case, bound=(action, form), status=400)
    try:
        case_take_action(kind=kind, case=case, by=request.user, action=action, values=form.kwargs())
    except TransitionRefused as refusal:
        _add_refusal(form, refusal)
        case = get_case(request.user, kind, pk)
        return _page(request, kind, case, bound=(action, form), status=_refusal_status(refusal))
    messages.success(request, _("Done: %(action)s.") % {"action": TABLES[kind][action].label})
    return HttpResponseRedirect(case_url(kind, case))


@require_POST
@office_view
def case_note(request: OfficeRequest, kind: str, pk: int) -> HttpResponse:
    case = get_case(request.user, kind, pk)
    form = NoteAddForm(request.POST, prefix="note")
    if not form.is_valid():
        return _page(request, kind, case, note_form=form, status=400)
    case_note_add(case=case, by=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Note added."))
    return HttpResponseRedirect(case_url(kind, case) + "#timeline")


@require_POST
@office_view
def case_assign_view(request: OfficeRequest, kind: str, pk: int) -> HttpResponse:
    case = get_case(request.user, kind, pk)
    form = AssignForm(
        request.POST, prefix="assign", handlers=list(project_deciders(case.project_id))
    )
    if not form.is_valid():
        return _page(request, kind, case, assign_form=form, status=400)
    try:
        case_assign(case=case, by=request.user, handler=form.cleaned_data["handler"])
    except TransitionRefused as refusal:
        _add_refusal(form, refusal)
        return _page(request, kind, case, assign_form=form, status=_refusal_status(refusal))
    messages.success(
        request, _("Given to %(handler)s.") % {"handler": form.cleaned_data["handler"]}
    )
    return HttpResponseRedirect(case_url(kind, case))


@require_GET
@office_view
def photo(request: OfficeRequest, pk: int, size: str = "full") -> HttpResponse:
    found = (
        ClaimPhoto.objects.filter(claim__in=DamageClaim.objects.visible_to(request.user))
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return photo_response(found, thumbnail=size == "thumb")


@require_GET
@office_view
def letter(request: OfficeRequest, kind: str, pk: int) -> HttpResponse:
    """The decision or settlement letter to the resident, as a PDF."""
    case = get_case(request.user, kind, pk)
    if not isinstance(case, DamageClaim) or not has_letter(case):
        raise Http404
    response = HttpResponse(render_letter(case), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@office_view
def status_link(request: OfficeRequest, kind: str, pk: int, what: str) -> HttpResponse:
    """Send the resident a new status link, or switch the link off."""
    case = get_case(request.user, kind, pk)
    if kind not in ("claim", "complaint") or what not in ("reissue", "revoke"):
        raise Http404
    try:
        if what == "reissue":
            token = status_link_reissue(case=case, by=request.user)
            messages.success(
                request,
                _("A new status link was made and sent to the resident: %(url)s")
                % {"url": request.build_absolute_uri(reverse("status", args=[token]))},
            )
        else:
            status_link_revoke(case=case, by=request.user)
            messages.success(request, _("The status link no longer works."))
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
        return HttpResponseRedirect(case_url(kind, case))
    return HttpResponseRedirect(case_url(kind, case))
