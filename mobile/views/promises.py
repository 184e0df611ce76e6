"""My promises on the phone: the list, one promise with its address and timeline, and
marking it done, moving its date or cancelling it (plain posts, and the outbox)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cases.models import Promise
from cases.services import InvalidInput, NotAllowed, promise_cancel, promise_done, promise_move
from cases.services.errors import TransitionRefused

from ..access import get_promise_for_field
from ..forms import MobileForm, parse_submission_id
from ..http import MobileRequest, is_outbox, mobile_view
from ..promise_forms import ACTION_FORMS
from ..promises import grouped
from .record import _done

ACTIONS = {
    "done": (gettext_lazy("Done"), gettext_lazy("Mark as done"), gettext_lazy("Promise done.")),
    "move": (
        gettext_lazy("Move the date"),
        gettext_lazy("Move the date"),
        gettext_lazy("Date moved."),
    ),
    "cancel": (
        gettext_lazy("Cancel the promise"),
        gettext_lazy("Cancel the promise"),
        gettext_lazy("Promise cancelled."),
    ),
}


@require_GET
@mobile_view
def my_promises(request: MobileRequest) -> HttpResponse:
    groups = grouped(request.user, timezone.localdate())
    return render(
        request,
        "mobile/promises.html",
        {"groups": groups, "total": sum(len(g.promises) for g in groups)},
    )


def _act(promise: Promise, slug: str, form: MobileForm | None = None, sid: Any = None) -> dict:
    title, button, _done_text = ACTIONS[slug]
    return {
        "slug": slug,
        "title": title,
        "button": button,
        "form": form or ACTION_FORMS[slug](),
        "sid": sid or uuid.uuid4(),
        "url": reverse("mobile:promise_act", args=[promise.pk, slug]),
        "label": f"{title} · {promise.dwelling.address}",
    }


def _page(
    request: MobileRequest, promise: Promise, *, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    if bound is not None and (is_outbox(request) or request.htmx):
        return render(request, "mobile/promise.html#act", {"act": bound}, status=status)
    acts = []
    if promise.is_open:
        for slug in ACTIONS:
            acts.append(bound if bound and bound["slug"] == slug else _act(promise, slug))
    events = list(promise.timeline.select_related("actor").order_by("-at", "-pk")[:50])
    labels = dict(Promise.Status.choices)
    for event in events:
        event.status_label = labels.get(event.to_status, event.to_status)
    context = {
        "promise": promise,
        "acts": acts,
        "events": events,
        "today": timezone.localdate(),
    }
    return render(request, "mobile/promise.html", context, status=status)


@require_GET
@mobile_view
def promise_detail(request: MobileRequest, pk: int) -> HttpResponse:
    return _page(request, get_promise_for_field(request.user, pk))


def _take(slug: str, form: MobileForm, promise: Promise, by, sid: uuid.UUID) -> Promise:
    data = form.cleaned_data
    if slug == "done":
        return promise_done(promise=promise, by=by, note=data["note"], submission_id=sid)
    if slug == "move":
        return promise_move(
            promise=promise,
            by=by,
            due_on=data["due_on"],
            reason=data["reason"],
            submission_id=sid,
        )
    return promise_cancel(promise=promise, by=by, reason=data["reason"], submission_id=sid)


@require_POST
@mobile_view
def promise_act(request: MobileRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    promise = get_promise_for_field(request.user, pk)
    sid = parse_submission_id(
        request.POST.get("submission_id"), request.headers.get("Idempotency-Key")
    )
    form = ACTION_FORMS[action](request.POST)
    if sid is None:
        form.is_valid()
        form.add_error(None, _("This form could not be matched to a submission. Send it again."))
        return _page(request, promise, bound=_act(promise, action, form), status=400)
    if not form.is_valid():
        return _page(request, promise, bound=_act(promise, action, form, sid), status=422)
    try:
        _take(action, form, promise, request.user, sid)
    except InvalidInput as refused:
        form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        return _page(request, promise, bound=_act(promise, action, form, sid), status=422)
    except (NotAllowed, PermissionDenied):
        raise Http404 from None
    except TransitionRefused as refused:
        form.add_error(None, refused.message)
        return _page(request, promise, bound=_act(promise, action, form, sid), status=422)
    url = reverse("mobile:promise", args=[promise.pk])
    return _done(request, message=str(ACTIONS[action][2]), url=url, record=promise, created=True)
