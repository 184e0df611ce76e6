"""One gate in front of every view, and the headers every answer carries.

In: a path, query parameter or form field with a control character (C0 except tab, CR
and LF; DEL) is refused with a 400 — NUL bytes crash PostgreSQL text parameters and
nothing a person types needs them. A request with files larger in total than
MAX_UPLOAD_BYTES_PER_REQUEST is refused with a 413 before its body is read (by its
Content-Length) or while it streams (an upload handler counts the bytes).

Out: `Permissions-Policy` on every response; back-office pages, exports and the admin are
never stored by a browser or proxy (`Cache-Control: no-store`).

It sits right after SecurityMiddleware, before anything reads the body (CSRF does), and
before WhiteNoise so static files get the headers too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.translation import gettext as _

from .errors import error_page

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Powerful features no page of ours uses. The phone takes photos through
# `<input type=file capture>`, which opens the camera app and needs no camera permission.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
NO_STORE_PREFIXES = ("/office/", "/admin/")


class UploadTooLarge(Exception):
    pass


class CountingUploadHandler(FileUploadHandler):
    """First of the upload handlers: counts every file byte as it streams in and stops
    the upload past the limit (a chunked or lying request has no trustworthy length)."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.total = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.total += len(raw_data)
        if self.total > self.limit:
            self.request.upload_too_large = True  # type: ignore[attr-defined]
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _has_control(values: Any) -> bool:
    return any(CONTROL.search(key) or any(CONTROL.search(v) for v in vs) for key, vs in values)


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self.refusal(request)
        response = refusal if refusal is not None else self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path.startswith(NO_STORE_PREFIXES) and "no-store" not in response.get(
            "Cache-Control", ""
        ):
            response["Cache-Control"] = "no-store, private"
        return response

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        limit = settings.MAX_UPLOAD_BYTES_PER_REQUEST
        multipart = request.content_type == "multipart/form-data"
        try:
            if multipart and int(request.headers.get("content-length") or 0) > limit:
                raise UploadTooLarge
            if multipart:
                request.upload_handlers.insert(0, CountingUploadHandler(request, limit))
            bad = CONTROL.search(request.path) or _has_control(request.GET.lists())
            if not bad and request.method == "POST":
                bad = _has_control(request.POST.lists())
                if getattr(request, "upload_too_large", False):
                    raise UploadTooLarge
        except UploadTooLarge:
            return self.answer(request, 413)
        except (ValueError, MultiPartParserError, SuspiciousOperation):
            # A broken body or length, too many fields: the request cannot be read.
            return self.answer(request, 400)
        return self.answer(request, 400) if bad else None

    def answer(self, request: HttpRequest, status: int) -> HttpResponse:
        # LocaleMiddleware has not run yet: pick the language the same way it would.
        with translation.override(translation.get_language_from_request(request)):
            if status == 413:
                megabytes = settings.MAX_UPLOAD_BYTES_PER_REQUEST // (1024 * 1024)
                message = _("What you sent is too large: at most %(mb)d MB of files at a time.") % {
                    "mb": megabytes
                }
            else:
                message = _(
                    "What was sent contains characters that cannot be processed. "
                    "Check what you typed and send it again."
                )
            response = error_page(request, status, message=message)
        if status == 413:
            # The body was not read: the connection cannot carry another request.
            response["Connection"] = "close"
        return response
