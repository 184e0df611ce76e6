"""Liveness and readiness."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import quick_connection

from .watchdog import chase_is_stale


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    # One attempt with short socket timeouts: a broker that accepts and never answers
    # must not hold the health check past the load balancer's own deadline.
    try:
        with quick_connection() as conn:
            conn.ensure_connection(max_retries=0)
            conn.default_channel  # noqa: B018 - Redis is only asked (PING) when a channel opens
        return True
    except Exception:
        return False


def _chase_ok() -> bool:
    try:
        return not chase_is_stale(timezone.now())
    except Exception:
        return False


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Readiness (also at /healthz/ready): 200 when the database and the broker answer
    and a chase sweep finished within CHASE_STALE_MINUTES, 503 otherwise (for load
    balancers and monitoring). Each check has its own short deadline."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    checks["chase"] = checks["database"] and _chase_ok()
    ok = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if ok else "unavailable",
            **{k: "ok" if v else "down" for k, v in checks.items()},
        },
        status=200 if ok else 503,
    )


@require_GET
@never_cache
def live(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches nothing else, so a database or broker
    outage does not get healthy web processes restarted."""
    return JsonResponse({"status": "ok"})


@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Browsers ask for /favicon.ico on every page, the admin's included.
    return HttpResponsePermanentRedirect(static("favicon.svg"))
