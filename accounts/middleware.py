"""Two rules every signed-in request passes before its view.

1. A session ends after SESSION_IDLE_OFFICE_HOURS without use (SESSION_IDLE_FIELD_DAYS
   for a phone session of field staff, see mobile.http.keep_signed_in), and in any case
   SESSION_MAX_AGE_DAYS after it began.
2. Handlers, managers, administrators and platform staff must have a second factor:
   until they set one up, only the set-up pages and sign-out answer.

Both keep their state in the session, which is loaded anyway, so a page costs no extra
query; the idle clock is written only when it has moved by a hundredth of the limit
(five minutes in the office, a few hours on the phone), not on every page.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from .second_factor import has_second_factor, must_have_second_factor

logger = logging.getLogger("woonrust.signin")

STARTED_KEY = "signin_started_at"
SEEN_KEY = "signin_seen_at"
FIELD_KEY = "signin_field"
SECOND_FACTOR_KEY = "signin_second_factor"
# The idle clock is this precise (a share of the limit); a finer one would write the
# session on nearly every page, which a phone on a weak signal pays for.
_SEEN_RESOLUTION = 0.01

# Reachable without a second factor: setting one up (which may ask for the password
# again), signing out, and what those pages need.
_OPEN_PREFIXES = (
    "/account/2fa/",
    "/account/reauthenticate/",
    "/account/logout/",
    "/logout/",
    "/m/logout/",
    "/i18n/",
    "/static/",
    "/favicon.ico",
    "/healthz",
)


def mark_field_session(request: HttpRequest) -> None:
    """This session is a phone in the field: it may stay idle for days, not hours."""
    if not request.session.get(FIELD_KEY):
        request.session[FIELD_KEY] = True


def idle_limit_seconds(request: HttpRequest) -> int:
    if request.session.get(FIELD_KEY):
        return settings.SESSION_IDLE_FIELD_DAYS * 86_400
    return settings.SESSION_IDLE_OFFICE_HOURS * 3_600


def session_limits(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            _check_session_age(request)
        return get_response(request)

    return middleware


def _check_session_age(request: HttpRequest) -> None:
    session = request.session
    now = time.time()
    started = session.get(STARTED_KEY)
    seen = session.get(SEEN_KEY)
    if started is None or seen is None:
        session[STARTED_KEY] = session[SEEN_KEY] = now
        return
    limit = idle_limit_seconds(request)
    too_old = now - started > settings.SESSION_MAX_AGE_DAYS * 86_400
    idle = now - seen > limit
    if too_old or idle:
        logger.info(
            "Session ended (%s): user %s", "lifetime" if too_old else "idle", request.user.pk
        )
        # From here on the request is anonymous: views send it to the sign-in page.
        logout(request)
        return
    if now - seen >= limit * _SEEN_RESOLUTION:
        session[SEEN_KEY] = now


def second_factor_required(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or request.path.startswith(_OPEN_PREFIXES):
            if request.method == "POST" and request.path.startswith("/account/2fa/"):
                # An authenticator may just have been removed: look again next time.
                request.session.pop(SECOND_FACTOR_KEY, None)
            return get_response(request)
        if request.session.get(SECOND_FACTOR_KEY) == user.pk:
            return get_response(request)
        if not must_have_second_factor(user):
            return get_response(request)
        if not has_second_factor(user):
            return _to_set_up(request)
        request.session[SECOND_FACTOR_KEY] = user.pk
        return get_response(request)

    return middleware


def _to_set_up(request: HttpRequest) -> HttpResponse:
    url = reverse("mfa_activate_totp")
    if request.headers.get("X-Outbox") == "1":
        # The phone's outbox keeps the submission and asks the person to sign in, which
        # leads them to the set-up; a redirect would be taken for a failed send.
        return JsonResponse({"signin": True}, status=401)
    if request.headers.get("HX-Request"):
        # htmx would swap the set-up page into a fragment; have it load the whole page.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)
