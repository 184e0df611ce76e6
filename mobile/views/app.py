"""The parts of the phone app that make it work offline: the service worker, the pages
it keeps for when there is no signal, the connection check, and signing out."""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ..http import MobileRequest, compress, mobile_view
from .record import KINDS, render_form

# Static files the app needs to start without a network; hashed names in production,
# so the cache is exact and a new release brings a new worker.
SHELL_STATIC = (
    "css/app.css",
    "mobile/mobile.css",
    "js/htmx.min.js",
    "mobile/app.js",
    "mobile/photos.js",
    "favicon.svg",
)


def _shell_urls() -> list[str]:
    pages = [reverse("mobile:offline")] + [reverse("mobile:shell", args=[k]) for k in KINDS]
    return [static(name) for name in SHELL_STATIC] + pages


@cache
def _worker_source() -> str:
    path = finders.find("mobile/sw.js")
    if not path:
        raise Http404
    with open(path, encoding="utf-8") as f:
        # The header comment is for people reading the file, not for phones.
        source = re.sub(r"\A/\*.*?\*/\s*", "", f.read(), flags=re.DOTALL)
    digest = hashlib.sha256(source.encode())
    for name in SHELL_STATIC:
        found = finders.find(name)
        if found:
            with open(found, "rb") as f:
                digest.update(f.read())
    shell = json.dumps(_shell_urls())
    return source.replace('"__SHELL__"', shell).replace("__VERSION__", digest.hexdigest()[:12])


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from /m/ so that its scope is the phone app."""
    if settings.DEBUG:
        _worker_source.cache_clear()
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    # Browsers check for a new worker at most daily anyway; never serve a stale one.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("mobile:round")
    return compress(request, response)


@require_GET
@mobile_view
def offline(request: MobileRequest) -> HttpResponse:
    """Shown by the service worker for a page it does not keep (a dwelling page: it
    holds personal data) when there is no signal; names no resident."""
    return render(request, "mobile/offline.html", {"kinds": KINDS.values()})


@require_GET
@mobile_view
def form_shell(request: MobileRequest, kind: str) -> HttpResponse:
    """A form without an address, kept by the service worker and shown offline for any
    dwelling; the script fills in the address and a fresh submission id."""
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404
    return render_form(request, kind=spec, form=spec.form(), dwelling=None, sid=None)


@require_GET
@mobile_view
def ping(request: MobileRequest) -> HttpResponse:
    """Is there a connection and a session? Hands the current CSRF token to the outbox
    (it changes at every sign-in, and a queued item may be older than that)."""
    response = HttpResponse(status=204)
    response["X-CSRFToken"] = get_token(request)
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out and wipe what this site kept on the phone: the outbox, the kept round,
    cached photos and the service worker (the script also clears them first)."""
    logout(request)
    response = render(request, "mobile/signed_out.html")
    # Not "cache": Chrome can take many seconds over it, and nothing personal is in the
    # HTTP cache (pages and photos are no-store).
    response["Clear-Site-Data"] = '"storage"'
    return response
