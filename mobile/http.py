"""What every /m/ view shares: sign-in that lasts on the phone, the user's language,
no caching of personal data, and compressed pages (a weak 3G signal counts bytes)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django_htmx.middleware import HtmxDetails

from accounts.middleware import mark_field_session
from accounts.models import User
from ops.compression import compress

# Site supervisors and project managers (the people on site with a phone) stay signed in
# SESSION_IDLE_FIELD_DAYS after they last used the phone app (the cookie renewed at most
# once a day so that a page view does not write the session row every time); other
# sessions end after SESSION_IDLE_OFFICE_HOURS. accounts.middleware enforces both and the
# absolute SESSION_MAX_AGE_DAYS.
FIELD_PROFILES = (User.Role.SUPERVISOR, User.Role.MANAGER)
_RENEWED_KEY = "mobile_renewed_on"


class MobileRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def is_outbox(request: HttpRequest) -> bool:
    """A submission sent by the phone's outbox script, which wants JSON on success."""
    return request.headers.get("X-Outbox") == "1"


def keep_signed_in(request: HttpRequest) -> None:
    mark_field_session(request)
    today = timezone.localdate().isoformat()
    if request.session.get(_RENEWED_KEY) != today:
        request.session[_RENEWED_KEY] = today
        request.session.set_expiry(settings.SESSION_IDLE_FIELD_DAYS * 86_400)


def _use_preferred_language(request: HttpRequest) -> None:
    # An explicit choice on this phone (the language switch) wins over the profile.
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return
    language = getattr(request.user, "language", "")
    if language and language != translation.get_language():
        translation.activate(language)
        request.LANGUAGE_CODE = language


def mobile_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required (scripts get a 401 instead of the login page), session renewed,
    language of the user's profile, and HTML never stored by shared or back/forward
    caches. Views still check access to each object themselves (mobile.access)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            if is_outbox(request) or getattr(request, "htmx", False):
                return JsonResponse({"signin": True}, status=401)
            return redirect_to_login(request.get_full_path())
        _use_preferred_language(request)
        response = view(request, *args, **kwargs)
        if request.user.role in FIELD_PROFILES and response.status_code < 400:
            keep_signed_in(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return compress(request, response)

    return wrapped
