"""Error pages (400, 403, 404, 413, 429, 500) in the site's own look and language.

Each says what happened in plain words, never a technical detail, and offers a way back
that fits where the person was: the phone round, the work queue, the administration, the
home page — or, on a resident's status page, the number to call. They are rendered
without the request's context processors, so they need no session and no database:
the 500 page still shows when the database is what failed.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _


def is_script(request: HttpRequest) -> bool:
    """The phone's outbox script or htmx: they show an `.error` element from the answer."""
    return request.headers.get("X-Outbox") == "1" or request.headers.get("HX-Request") == "true"


def is_resident(request: HttpRequest) -> bool:
    return request.path.startswith("/s/")


def way_back(request: HttpRequest) -> dict[str, object]:
    """Where the page sends a person back to, by the part of the site they were in."""
    path = request.path
    if is_resident(request):
        return {
            "base": "statuslink/error_base.html",
            "resident": True,
            "help_phone": settings.STATUS_LINK_PHONE,
        }
    if path.startswith("/m/"):
        back = (reverse("mobile:round"), _("Back to your round"))
    elif path.startswith("/office/"):
        back = (reverse("office:queue"), _("Back to the work queue"))
    elif path.startswith("/admin/"):
        back = (reverse("admin:index"), _("Back to the administration"))
    else:
        back = (reverse("home"), _("Go to the home page"))
    return {"base": "error_base.html", "back_url": back[0], "back_label": back[1]}


def error_page(
    request: HttpRequest, status: int, *, message: str = "", **context: object
) -> HttpResponse:
    """The page for `status`; for a script, one `.error` paragraph with the message."""
    if is_script(request) and message:
        return HttpResponse(
            format_html('<p class="error" role="alert">{}</p>', message), status=status
        )
    values = {"status": status, "message": message, **way_back(request), **context}
    response = HttpResponse(render_to_string(f"{status}.html", values), status=status)
    if is_resident(request):
        # Like every status page: the URL holds the token.
        response["Cache-Control"] = "no-store, private"
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def too_many_requests(request: HttpRequest, **context: object) -> HttpResponse:
    response = error_page(request, 429, **context)
    response["Retry-After"] = "60"
    return response
