"""Prometheus metrics: requests, the chase sweep, deliveries and the outbox.

Only when METRICS_TOKEN is set, at /metrics with `Authorization: Bearer <token>`
(anything else is a 404), and nginx never passes /metrics on: Prometheus scrapes
gunicorn's own address (GUNICORN_BIND, loopback or a private network).

- `woonrust_http_requests_total{method,view,status}` and
  `woonrust_http_request_duration_seconds{view}`: labelled by the URL pattern's name,
  never the path (a path can hold a status-link token).
- `woonrust_sweep_duration_seconds`, `woonrust_sweep_cases` (cases due per sweep) and
  `woonrust_sweeps_total{outcome}`: measured around the Celery task in the chase worker.
- `woonrust_deliveries_total{outcome}`: sent, retry, failed, skipped, error per message.
- `woonrust_outbox_pending`, `woonrust_outbox_overdue` (due more than 10 minutes ago
  and still pending), `woonrust_outbox_oldest_overdue_seconds`, `woonrust_outbox_failed`:
  read from `cases.Notification` when scraped (at most every OUTBOX_CACHE_SECONDS).

Several processes (gunicorn workers, Celery workers) write their samples into
PROMETHEUS_MULTIPROC_DIR, and the page adds them up; without it the page shows this
process only (tests, a single process).
"""

from __future__ import annotations

import hmac
import os
import re
import time
from collections.abc import Callable

from celery.signals import task_failure, task_postrun, task_prerun
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404, HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

# The *_created series only double what Prometheus shows; leave them out.
disable_created_metrics()

REQUESTS = Counter("woonrust_http_requests", "Requests answered.", ["method", "view", "status"])
LATENCY = Histogram(
    "woonrust_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
SWEEP_DURATION = Histogram(
    "woonrust_sweep_duration_seconds",
    "How long one chase sweep took.",
    buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 240),
)
SWEEP_CASES = Histogram(
    "woonrust_sweep_cases",
    "Cases due in one chase sweep.",
    buckets=(0, 1, 10, 100, 500, 1000, 5000, 10000, 50000),
)
SWEEPS = Counter("woonrust_sweeps", "Chase sweeps run, by outcome.", ["outcome"])
DELIVERIES = Counter(
    "woonrust_deliveries", "Messages handled by delivery tasks, by outcome.", ["outcome"]
)

SWEEP_TASK = "cases.tasks.sweep"
DELIVER_TASK = "cases.tasks.deliver_notifications"
# cases.sweep.SweepReport's text starts with the number of cases due.
_SWEEP_CASES = re.compile(r"^(\d+) cases due")
# cases.tasks.deliver_notifications answers "2 sent, 1 retry".
_OUTCOME = re.compile(r"(\d+) ([a-z]+)")
OVERDUE_AFTER_SECONDS = 600
OUTBOX_CACHE_SECONDS = 15


def metrics_middleware(get_response: Callable[[HttpRequest], HttpResponse]):
    if not settings.METRICS_TOKEN:
        raise MiddlewareNotUsed

    def middleware(request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unmatched"
        REQUESTS.labels(request.method, view, str(response.status_code)).inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        return response

    return middleware


_started: dict[str, float] = {}


@task_prerun.connect
def _task_started(task_id=None, task=None, **_) -> None:
    if task is not None and task.name == SWEEP_TASK:
        _started[task_id] = time.perf_counter()


@task_postrun.connect
def _task_finished(task_id=None, task=None, retval=None, state=None, **_) -> None:
    if task is None:
        return
    if task.name == SWEEP_TASK:
        started = _started.pop(task_id, None)
        if started is not None:
            SWEEP_DURATION.observe(time.perf_counter() - started)
        found = _SWEEP_CASES.match(retval) if isinstance(retval, str) else None
        if found:
            SWEEP_CASES.observe(int(found.group(1)))
        SWEEPS.labels("ok" if state == "SUCCESS" else "error").inc()
    elif task.name == DELIVER_TASK and isinstance(retval, str):
        for count, outcome in _OUTCOME.findall(retval):
            DELIVERIES.labels(outcome).inc(int(count))


@task_failure.connect
def _task_failed(task_id=None, sender=None, **_) -> None:
    if sender is not None and sender.name == SWEEP_TASK:
        _started.pop(task_id, None)


class OutboxCollector:
    """The outbox read at scrape time: what waits, what is late, what failed."""

    def __init__(self) -> None:
        self._cached: tuple[float, dict[str, float]] | None = None

    def figures(self) -> dict[str, float]:
        if self._cached and time.monotonic() - self._cached[0] < OUTBOX_CACHE_SECONDS:
            return self._cached[1]
        import datetime

        from django.db.models import Count, Min, Q
        from django.utils import timezone

        from cases.models import Notification

        now = timezone.now()
        late = now - datetime.timedelta(seconds=OVERDUE_AFTER_SECONDS)
        pending = Notification.objects.filter(status=Notification.Status.PENDING).aggregate(
            pending=Count("pk"),
            overdue=Count("pk", filter=Q(send_after__lte=late)),
            oldest=Min("send_after", filter=Q(send_after__lte=late)),
        )
        failed = Notification.objects.filter(status=Notification.Status.FAILED).count()
        figures = {
            "pending": pending["pending"],
            "overdue": pending["overdue"],
            "oldest": (now - pending["oldest"]).total_seconds() if pending["oldest"] else 0.0,
            "failed": failed,
        }
        self._cached = (time.monotonic(), figures)
        return figures

    def collect(self):
        f = self.figures()
        yield GaugeMetricFamily(
            "woonrust_outbox_pending", "Messages waiting to be sent.", value=f["pending"]
        )
        yield GaugeMetricFamily(
            "woonrust_outbox_overdue",
            "Pending messages due more than 10 minutes ago.",
            value=f["overdue"],
        )
        yield GaugeMetricFamily(
            "woonrust_outbox_oldest_overdue_seconds",
            "How long the oldest overdue message has been due.",
            value=f["oldest"],
        )
        yield GaugeMetricFamily(
            "woonrust_outbox_failed",
            "Messages given up after every attempt (each has a note on its case).",
            value=f["failed"],
        )


outbox = OutboxCollector()
_outbox_registry = CollectorRegistry(auto_describe=False)
_outbox_registry.register(outbox)


def exposition() -> bytes:
    """The text Prometheus reads: every process's samples, then the outbox."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry) + generate_latest(_outbox_registry)


def metrics_view(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        raise Http404
    response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
