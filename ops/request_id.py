"""Every request gets an id, in its log lines (and `request.request_id`).

nginx makes one (`$request_id`) and sends it; without a proxy the id is made here. A
value from outside is used only when it looks like an id, so a client cannot write
arbitrary text (or personal data) into our logs through the header. nginx also returns
the id to the browser (`X-Request-ID`), so a person can quote it to support; Django does
not add it, so that answers which must look the same (an unknown, an expired and a
revoked status link) stay byte for byte the same.

The id is set when the request starts and cleared when its answer is finished (Django's
request_started / request_finished signals), not inside the middleware: Django writes
its "Not Found" and "Internal Server Error" lines after the middleware has returned.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.core.signals import request_finished, request_started
from django.http import HttpRequest, HttpResponse

from .logs import request_id

_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


def _from_header(value: str) -> str:
    return value if _ID.fullmatch(value) else uuid.uuid4().hex


def _started(sender, environ=None, **kwargs) -> None:
    request_id.set(_from_header((environ or {}).get("HTTP_X_REQUEST_ID", "")))


def _finished(sender, **kwargs) -> None:
    request_id.set("-")


request_started.connect(_started, dispatch_uid="ops.request_id.started")
request_finished.connect(_finished, dispatch_uid="ops.request_id.finished")


def request_id_middleware(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        rid = request_id.get()
        if rid == "-":
            rid = _from_header(request.headers.get("x-request-id", ""))
            request_id.set(rid)
        request.request_id = rid
        return get_response(request)

    return middleware
