"""The resident's status page, reached through a secret link; no login.

Every response (also the 404 and 429 pages) is private and never stored, never sends the
URL (which holds the token) to another site as a Referer, and asks search engines not
to index it.
Unknown, revoked and expired links all get the same 404 page after the same queries.
The page needs no JavaScript: plain links and forms, posts answered with a redirect.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET, require_POST

from cases.models import DamageClaim
from cases.photos import PhotoRejected
from cases.services import AlreadyAnswered, claim_resident_answer
from cases.services.errors import TransitionRefused
from cases.workdays import local_date_text
from ops.errors import too_many_requests
from projects.models import WorkWindow

from . import services
from .access import StatusCase, case_for_token, rate_limited
from .appointments import appointment_answer, windows_for
from .forms import AppointmentForm, InformationForm, ReplyForm, SatisfactionForm
from .models import CHANGE_WINDOW, SatisfactionAnswer
from .page import describe

LANGUAGES = {code for code, _name in settings.LANGUAGES}
# Confirmations shown after a post (`?done=`), so a reload does not post again.
DONE = {
    "answer",
    "information",
    "updates-off",
    "updates-on",
    "reply-yes",
    "reply-no",
    "already",
    "appointment-confirm",
    "appointment-move",
}


def _private(response: HttpResponse, *, referrer: str = "no-referrer") -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = referrer
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _language(request: HttpRequest, case: StatusCase | None) -> str:
    """The language picked on the page (`lang`), else the resident's own."""
    chosen = request.POST.get("lang") or request.GET.get("lang") or ""
    if chosen in LANGUAGES:
        return chosen
    if case is not None and case.resident is not None and case.resident.language in LANGUAGES:
        return case.resident.language
    return translation.get_language() or settings.LANGUAGE_CODE


def _unknown(request: HttpRequest) -> HttpResponse:
    # Nothing about the token or any case: the same page for unknown, revoked, expired.
    return _private(
        render(
            request,
            "statuslink/unknown.html",
            {"help_phone": settings.STATUS_LINK_PHONE},
            status=404,
        )
    )


def _too_many(request: HttpRequest) -> HttpResponse:
    # The site's 429 page (also django-allauth's), in its resident version on /s/.
    return _private(too_many_requests(request))


def _gate(request: HttpRequest, token: str) -> tuple[StatusCase | None, HttpResponse | None]:
    """Rate limit, then look the token up: (case, None) or (None, the response to send)."""
    if rate_limited(request, token):
        return None, _too_many(request)
    case = case_for_token(token, timezone.now())
    if case is None:
        return None, _unknown(request)
    return case, None


def _page_url(token: str, lang: str, done: str = "") -> str:
    query = {"lang": lang, **({"done": done} if done else {})}
    return f"{reverse('status', args=[token])}?{urlencode(query)}"


def _page(
    request: HttpRequest,
    case: StatusCase,
    token: str,
    *,
    lang: str,
    satisfaction_form: SatisfactionForm | None = None,
    information_form: InformationForm | None = None,
    reply_form: ReplyForm | None = None,
    appointment_form: tuple[int, AppointmentForm] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    is_claim = isinstance(case, DamageClaim)
    answer: SatisfactionAnswer | None = None
    asks_score = is_claim and case.status == DamageClaim.Status.SETTLED
    if asks_score:
        answer = SatisfactionAnswer.objects.filter(claim=case).first()
    may_answer = asks_score and (answer is None or answer.may_change(now))
    if may_answer and satisfaction_form is None:
        initial = {"score": answer.score, "remark": answer.remark} if answer else {}
        satisfaction_form = SatisfactionForm(initial=initial)
    waits_for_resident = is_claim and case.status == DamageClaim.Status.WAITING_RESIDENT
    if waits_for_resident and information_form is None:
        information_form = InformationForm()
    awaits_answer = is_claim and case.awaits_resident_answer
    if awaits_answer and reply_form is None:
        reply_form = ReplyForm(initial={"step": case.step_seq})
    windows = windows_for(case, timezone.localdate(now))
    for window in windows:
        window.form = (
            appointment_form[1]
            if appointment_form and appointment_form[0] == window.pk
            else AppointmentForm()
        )
    done = request.GET.get("done", "")
    context = {
        "view": describe(case, now),
        "token": token,
        "lang": lang,
        "other_lang": "en" if lang == "nl" else "nl",
        "done": done if done in DONE else "",
        "error": error,
        "answer": answer,
        "may_answer": may_answer,
        "change_until": local_date_text(answer.answered_at + CHANGE_WINDOW) if answer else "",
        "satisfaction_form": satisfaction_form if may_answer else None,
        "information_form": information_form if waits_for_resident else None,
        "reply_form": reply_form if awaits_answer else None,
        "windows": windows,
        "has_resident": case.resident is not None,
        "updates_on": case.resident is not None and case.resident.non_essential_messages,
    }
    response = render(request, "statuslink/status.html", context, status=status)
    response["Content-Language"] = lang
    # Not "no-referrer" on the page with forms: under it Chromium sends `Origin: null`
    # with a form post, which Django's CSRF check rightly refuses. "same-origin" sends
    # the URL (and its token) only back to us, never to another site.
    return _private(response, referrer="same-origin")


@require_GET
def status_page(request: HttpRequest, token: str) -> HttpResponse:
    case, refusal = _gate(request, token)
    if refusal is not None:
        return refusal
    lang = _language(request, case)
    with translation.override(lang):
        return _page(request, case, token, lang=lang)


@require_POST
def answer_satisfaction(request: HttpRequest, token: str) -> HttpResponse:
    case, refusal = _gate(request, token)
    if refusal is not None:
        return refusal
    lang = _language(request, case)
    with translation.override(lang):
        form = SatisfactionForm(request.POST)
        if not isinstance(case, DamageClaim) or not form.is_valid():
            return _page(request, case, token, lang=lang, satisfaction_form=form, status=400)
        try:
            services.satisfaction_answer(
                claim=case, score=form.cleaned_data["score"], remark=form.cleaned_data["remark"]
            )
        except TransitionRefused as refused:
            return _page(request, case, token, lang=lang, error=refused.message, status=409)
    return HttpResponseRedirect(_page_url(token, lang, "answer"), status=303)


@require_POST
def add_information(request: HttpRequest, token: str) -> HttpResponse:
    case, refusal = _gate(request, token)
    if refusal is not None:
        return refusal
    lang = _language(request, case)
    with translation.override(lang):
        form = InformationForm(request.POST, request.FILES)
        if not isinstance(case, DamageClaim) or not form.is_valid():
            return _page(request, case, token, lang=lang, information_form=form, status=400)
        try:
            services.status_link_add_information(
                claim=case,
                text=form.cleaned_data["text"].strip(),
                photos=form.cleaned_data["photos"],
            )
        except PhotoRejected as refused:
            form.add_error("photos", refused.message)
            return _page(request, case, token, lang=lang, information_form=form, status=400)
        except TransitionRefused:
            # Sent twice, or staff moved the claim on meanwhile: nothing was stored.
            error = translation.gettext(
                "We are not waiting for information any more. Please call us if you want to "
                "tell us something."
            )
            return _page(request, case, token, lang=lang, error=error, status=409)
    return HttpResponseRedirect(_page_url(token, lang, "information"), status=303)


@require_POST
def set_updates(request: HttpRequest, token: str) -> HttpResponse:
    case, refusal = _gate(request, token)
    if refusal is not None:
        return refusal
    lang = _language(request, case)
    wanted = request.POST.get("updates") == "on"
    services.status_link_updates_set(case=case, wanted=wanted)
    return HttpResponseRedirect(
        _page_url(token, lang, "updates-on" if wanted else "updates-off"), status=303
    )


def _already(token: str, lang: str) -> HttpResponse:
    # A second answer (a second tap, another tab, an old page) changes nothing and says so.
    return HttpResponseRedirect(_page_url(token, lang, "already"), status=303)


@require_POST
def reply(request: HttpRequest, token: str) -> HttpResponse:
    """The resident's yes or no to the offered amount or the planned repair date."""
    case, refusal = _gate(request, token)
    if refusal is not None:
        return refusal
    lang = _language(request, case)
    with translation.override(lang):
        form = ReplyForm(request.POST)
        if not isinstance(case, DamageClaim):
            return _unknown(request)
        if not form.is_valid():
            if not case.awaits_resident_answer:
                return _already(token, lang)
            return _page(request, case, token, lang=lang, reply_form=form, status=400)
        accepted = form.cleaned_data["answer"] == "yes"
        try:
            claim_resident_answer(
                claim=case,
                by=None,
                accepted=accepted,
                reason="" if accepted else form.cleaned_data["reason"],
                step_seq=form.cleaned_data["step"],
            )
        except TransitionRefused:
            # Answered already, or the proposal changed since the page was opened.
            return _already(token, lang)
    return HttpResponseRedirect(
        _page_url(token, lang, "reply-yes" if accepted else "reply-no"), status=303
    )


@require_POST
def appointment(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """The resident confirms an appointment at home, or asks to move it."""
    case, refusal = _gate(request, token)
    if refusal is not None:
        return refusal
    lang = _language(request, case)
    with translation.override(lang):
        form = AppointmentForm(request.POST)
        if not form.is_valid():
            return _page(request, case, token, lang=lang, appointment_form=(pk, form), status=400)
        confirmed = form.cleaned_data["answer"] == "confirm"
        try:
            appointment_answer(
                case=case, window_id=pk, confirmed=confirmed, note=form.cleaned_data["note"]
            )
        except WorkWindow.DoesNotExist:
            # Another home's works (or none at all): as unknown as a wrong link.
            return _unknown(request)
        except AlreadyAnswered:
            return _already(token, lang)
    return HttpResponseRedirect(
        _page_url(token, lang, "appointment-confirm" if confirmed else "appointment-move"),
        status=303,
    )
