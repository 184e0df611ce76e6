"""The four phone forms and photos for an existing claim: plain form posts that work
without JavaScript, and the same URLs for the phone's outbox script (X-Outbox: 1),
which gets JSON on success and the form fragment with messages on failure.

Every submission carries a submission id made on the phone (or in the page, without
JavaScript). The first request with an id creates the record; any later one — a double
tap, a retry after a lost answer, an offline replay — answers with that same record and
creates nothing. An id already used for another address or by another person is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise as LazyText
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from cases.models import ClaimPhoto, Complaint, DamageClaim, Promise
from cases.photos import PhotoRejected, claim_photo_add, clean_photo
from cases.services import (
    InvalidInput,
    NotAllowed,
    claim_report,
    complaint_record,
    promise_record,
)
from projects.models import Dwelling
from residents.models import Visit
from residents.services import visit_log

from ..access import get_claim_for_field, get_dwelling_for_field
from ..forms import (
    ClaimForm,
    ComplaintForm,
    MobileForm,
    PhotoForm,
    PromiseForm,
    VisitForm,
    parse_submission_id,
    photo_ids,
)
from ..http import MobileRequest, is_outbox, mobile_view

# Above this a request is refused before anything is decoded. The browser sends photos
# resized to 1600 px (a few hundred KB each); without JavaScript a phone sends the
# camera's originals, up to ten of at most 10 MB.
MAX_REQUEST_BYTES = 40 * 1024 * 1024


def _visit(form: MobileForm, dwelling: Dwelling, by: User, sid: uuid.UUID) -> Visit:
    data = form.cleaned_data
    assert isinstance(form, VisitForm)
    return visit_log(
        by=by,
        dwelling=dwelling,
        kind=data["kind"],
        outcome=data["outcome"],
        mood=data["mood"],
        note=data["note"].strip(),
        visited_at=form.visited_at(),
        submission_id=sid,
    )


def _promise(form: MobileForm, dwelling: Dwelling, by: User, sid: uuid.UUID) -> Promise:
    data = form.cleaned_data
    return promise_record(
        dwelling=dwelling,
        by=by,
        description=data["description"],
        due_on=data["due_date"],
        resident=form.chosen_resident(),
        submission_id=sid,
    )


def _complaint(form: MobileForm, dwelling: Dwelling, by: User, sid: uuid.UUID) -> Complaint:
    data = form.cleaned_data
    return complaint_record(
        dwelling=dwelling,
        by=by,
        description=data["description"],
        category=data["category"],
        resident=form.chosen_resident(),
        submission_id=sid,
    )


def _claim(form: MobileForm, dwelling: Dwelling, by: User, sid: uuid.UUID) -> DamageClaim:
    data = form.cleaned_data
    return claim_report(
        dwelling=dwelling,
        by=by,
        resident=form.chosen_resident(),
        damage_kind=data["damage_kind"],
        room=data["room"],
        description=data["description"].strip(),
        occurred_on=data["occurred_on"] or form.today,
        amount_claimed=data["amount_claimed"],
        submission_id=sid,
    )


@dataclass(frozen=True)
class Kind:
    slug: str
    title: LazyText
    button: LazyText
    done: LazyText
    form: type[MobileForm]
    model: type[models.Model]
    owner: str
    create: Callable[[MobileForm, Dwelling, User, uuid.UUID], Any]


KINDS = {
    k.slug: k
    for k in (
        Kind(
            "visit",
            gettext_lazy("Log a visit"),
            gettext_lazy("Save visit"),
            gettext_lazy("Visit logged."),
            VisitForm,
            Visit,
            "visited_by_id",
            _visit,
        ),
        Kind(
            "promise",
            gettext_lazy("Note a promise"),
            gettext_lazy("Save promise"),
            gettext_lazy("Promise noted."),
            PromiseForm,
            Promise,
            "created_by_id",
            _promise,
        ),
        Kind(
            "complaint",
            gettext_lazy("Record a complaint"),
            gettext_lazy("Save complaint"),
            gettext_lazy("Complaint recorded."),
            ComplaintForm,
            Complaint,
            "created_by_id",
            _complaint,
        ),
        Kind(
            "claim",
            gettext_lazy("Report damage"),
            gettext_lazy("Save damage report"),
            gettext_lazy("Damage reported."),
            ClaimForm,
            DamageClaim,
            "created_by_id",
            _claim,
        ),
    )
}


def _too_large(request: MobileRequest) -> bool:
    try:
        return int(request.headers.get("content-length") or 0) > MAX_REQUEST_BYTES
    except ValueError:
        return True


def render_form(
    request: MobileRequest,
    *,
    kind: Kind,
    form: MobileForm,
    dwelling: Dwelling | None,
    sid: uuid.UUID | None,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    context = {
        "kind": kind,
        "form": form,
        "dwelling": dwelling,
        "sid": sid or "",
        "problem": problem,
        "action": reverse(f"mobile:{kind.slug}_new", args=[dwelling.pk]) if dwelling else "",
    }
    if status >= 400 and (is_outbox(request) or request.htmx):
        return render(request, "mobile/form.html#form", context, status=status)
    return render(request, "mobile/form.html", context, status=status)


def _done(request: MobileRequest, *, message: str, url: str, record: Any, created: bool):
    if is_outbox(request):
        body = {"ok": True, "id": record.pk, "url": url, "created": created, "message": message}
        return JsonResponse(body, status=201 if created else 200)
    messages.success(request, message)
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _residents(dwelling: Dwelling, kind: Kind) -> list:
    if "resident" not in kind.form.base_fields:
        return []
    return list(dwelling.residents.order_by("-is_main_contact", "first_name", "pk"))


def _add_photos(claim: DamageClaim, by: User, sid: uuid.UUID, uploads: list) -> list[str]:
    """Store the photos of a submission that are not stored yet; the messages of the
    ones refused. Ids derive from the submission id, so a replay adds only what is
    missing."""
    ids = photo_ids(sid, len(uploads))
    stored = set(ClaimPhoto.objects.filter(submission_id__in=ids).values_list("submission_id"))
    problems = []
    for number, (upload, photo_id) in enumerate(zip(uploads, ids, strict=True), start=1):
        if (photo_id,) in stored:
            continue
        try:
            claim_photo_add(claim=claim, by=by, photo=clean_photo(upload), submission_id=photo_id)
        except PhotoRejected as rejected:
            problems.append(
                _("Photo %(number)d: %(reason)s") % {"number": number, "reason": rejected.message}
            )
    return problems


@require_http_methods(["GET", "POST"])
@mobile_view
def submit(request: MobileRequest, pk: int, kind: str) -> HttpResponse:
    spec = KINDS[kind]
    dwelling = get_dwelling_for_field(request.user, pk)
    residents = _residents(dwelling, spec)
    if request.method == "GET":
        form = spec.form(residents=residents)
        return render_form(request, kind=spec, form=form, dwelling=dwelling, sid=uuid.uuid4())
    if _too_large(request):
        form = spec.form(residents=residents)
        return render_form(
            request,
            kind=spec,
            form=form,
            dwelling=dwelling,
            sid=uuid.uuid4(),
            status=413,
            problem=_("What you sent is too large. Send fewer photos at a time."),
        )
    sid = parse_submission_id(
        request.POST.get("submission_id"), request.headers.get("Idempotency-Key")
    )
    form = spec.form(request.POST, request.FILES, residents=residents)
    if sid is None:
        form.is_valid()
        return render_form(
            request,
            kind=spec,
            form=form,
            dwelling=dwelling,
            sid=uuid.uuid4(),
            status=400,
            problem=_("This form could not be matched to a submission. Send it again."),
        )
    url = reverse("mobile:dwelling", args=[dwelling.pk])
    existing = spec.model.objects.filter(submission_id=sid).first()
    if existing is not None:
        return _replay(request, spec, form, dwelling, sid, existing, url)
    if not form.is_valid():
        return render_form(request, kind=spec, form=form, dwelling=dwelling, sid=sid, status=422)
    try:
        record = spec.create(form, dwelling, request.user, sid)
    except InvalidInput as refused:
        form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        return render_form(request, kind=spec, form=form, dwelling=dwelling, sid=sid, status=422)
    except (NotAllowed, PermissionDenied):
        raise Http404 from None
    if isinstance(record, DamageClaim):
        # Photos were decoded and checked with the form; storing them cannot fail on
        # their content. A crash half-way is repaired by the phone's replay.
        for photo, photo_id in zip(
            form.cleaned_data["photos"],
            photo_ids(sid, len(form.cleaned_data["photos"])),
            strict=True,
        ):
            claim_photo_add(claim=record, by=request.user, photo=photo, submission_id=photo_id)
    return _done(request, message=str(spec.done), url=url, record=record, created=True)


def _replay(
    request: MobileRequest,
    spec: Kind,
    form: MobileForm,
    dwelling: Dwelling,
    sid: uuid.UUID,
    existing: Any,
    url: str,
) -> HttpResponse:
    if existing.dwelling_id != dwelling.pk or getattr(existing, spec.owner) != request.user.pk:
        form.is_valid()
        return render_form(
            request,
            kind=spec,
            form=form,
            dwelling=dwelling,
            sid=uuid.uuid4(),
            status=422,
            problem=_("This form was already sent for something else. Check it and send again."),
        )
    if isinstance(existing, DamageClaim):
        for problem in _add_photos(existing, request.user, sid, request.FILES.getlist("photos")):
            messages.warning(request, problem)
    return _done(request, message=str(spec.done), url=url, record=existing, created=False)


@require_POST
@mobile_view
def claim_photos(request: MobileRequest, pk: int) -> HttpResponse:
    """Add photos to an existing claim."""
    claim = get_claim_for_field(request.user, pk)
    url = reverse("mobile:claim", args=[claim.pk])
    sid = parse_submission_id(
        request.POST.get("submission_id"), request.headers.get("Idempotency-Key")
    )
    context: dict[str, Any] = {"claim": claim, "photos": list(claim.photos.all())}
    if _too_large(request) or sid is None:
        context.update(
            form=PhotoForm(),
            sid=uuid.uuid4(),
            problem=_("What you sent is too large. Send fewer photos at a time.")
            if sid
            else _("This form could not be matched to a submission. Send it again."),
        )
        return _photo_page(request, context, status=413 if sid else 400)
    uploads = request.FILES.getlist("photos")
    ids = photo_ids(sid, len(uploads))
    if uploads and ClaimPhoto.objects.filter(submission_id__in=ids).count() == len(ids):
        return _done(request, message=_("Photos added."), url=url, record=claim, created=False)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        context.update(form=form, sid=sid)
        return _photo_page(request, context, status=422)
    try:
        for photo, photo_id in zip(form.cleaned_data["photos"], ids, strict=True):
            claim_photo_add(claim=claim, by=request.user, photo=photo, submission_id=photo_id)
    except PhotoRejected as rejected:
        form.add_error("photos", rejected.message)
        context.update(form=form, sid=sid)
        return _photo_page(request, context, status=422)
    except PermissionDenied:
        raise Http404 from None
    return _done(request, message=_("Photos added."), url=url, record=claim, created=True)


def _photo_page(request: MobileRequest, context: dict[str, Any], *, status: int) -> HttpResponse:
    if is_outbox(request) or request.htmx:
        return render(request, "mobile/claim.html#photoform", context, status=status)
    return render(request, "mobile/claim.html", context, status=status)
