"""Compressed answers for the phone app and the back-office: a weak 3G signal on site,
and queue pages of 50 KB for a handler who reloads them all day."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

_gzip = GZipMiddleware(lambda request: HttpResponse())


def compress(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Gzip text answers when the browser accepts it (Django's GZipMiddleware, with its
    BREACH length padding); photos, Excel files and PDFs are compressed already."""
    if response.get("Content-Type", "").startswith(("text/", "application/json")):
        return _gzip.process_response(request, response)
    return response
