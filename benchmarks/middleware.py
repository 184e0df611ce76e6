"""X-Bench-Queries: how many SQL statements a request ran (bench setting only)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse


def query_count_middleware(get_response: Callable[[HttpRequest], HttpResponse]):
    """Outermost, so the session and user lookups count too. A streamed response (the
    CSV export) reports only what ran before its first byte."""

    def middleware(request: HttpRequest) -> HttpResponse:
        count = 0

        def counted(execute: Callable[..., Any], sql: str, params: Any, many: bool, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with contextlib.ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counted))
            response = get_response(request)
        response["X-Bench-Queries"] = str(count)
        return response

    return middleware
