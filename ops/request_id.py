"""Every request gets an id, in its log lines and in the `X-Request-ID` answer header.

nginx makes one (`$request_id`) and sends it; without a proxy the id is made here. A
value from outside is used only when it looks like an id, so a client cannot write
arbitrary text (or personal data) into our logs through the header.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .logs import request_id

_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


def request_id_middleware(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = given if _ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = rid
        token = request_id.set(rid)
        try:
            response = get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = rid
        return response

    return middleware
