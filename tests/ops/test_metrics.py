"""Prometheus metrics: behind a token, never public; requests by view (not path), the
sweep's duration and size, deliveries, the outbox backlog and failed messages."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from cases import tasks
from cases.models import Notification
from ops import metrics

TOKEN = "metrics-token-for-tests"


def sample(text: str, name: str, **labels: str) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    pattern = (
        rf"^{re.escape(name)}(?:\{{{re.escape(want)}\}})? (\S+)$"
        if want
        else (rf"^{re.escape(name)} (\S+)$")
    )
    found = re.search(pattern, text, re.M)
    return float(found.group(1)) if found else 0.0


@pytest.fixture
def scrape(client, settings):
    settings.METRICS_TOKEN = TOKEN
    metrics.outbox._cached = None

    def get() -> str:
        metrics.outbox._cached = None
        answer = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert answer.status_code == 200
        assert answer["Content-Type"].startswith("text/plain")
        return answer.content.decode()

    return get


@pytest.mark.django_db
def test_metrics_need_the_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


@pytest.mark.django_db
def test_requests_are_counted_by_view_never_by_path(client, scrape):
    before = sample(
        scrape(), "woonrust_http_requests_total", method="GET", view="healthz", status="200"
    )
    client.get("/healthz")
    client.get("/s/" + "x" * 43 + "/")
    text = scrape()
    after = sample(text, "woonrust_http_requests_total", method="GET", view="healthz", status="200")
    assert after == before + 1
    assert "/s/" not in text and "x" * 43 not in text
    assert 'view="status"' in text


@pytest.mark.django_db
def test_outbox_backlog_and_failed_messages(world, scrape):
    now = timezone.now()
    base = {"purpose": "test", "channel": "email", "to": "x@example.nl", "body": "b"}
    Notification.objects.create(key="m-1", **base, send_after=now)
    Notification.objects.create(key="m-2", **base, send_after=now - datetime.timedelta(minutes=30))
    Notification.objects.create(key="m-3", **base, status="failed")
    Notification.objects.create(key="m-4", **base, status="sent")
    text = scrape()
    assert sample(text, "woonrust_outbox_pending") == 2
    assert sample(text, "woonrust_outbox_overdue") == 1
    assert 1790 < sample(text, "woonrust_outbox_oldest_overdue_seconds") < 1900
    assert sample(text, "woonrust_outbox_failed") == 1


@pytest.mark.django_db
def test_a_sweep_is_measured(world, scrape):
    before = scrape()
    count = sample(before, "woonrust_sweep_duration_seconds_count")
    sizes = sample(before, "woonrust_sweep_cases_count")
    ok = sample(before, "woonrust_sweeps_total", outcome="ok")
    tasks.sweep.apply()
    text = scrape()
    assert sample(text, "woonrust_sweep_duration_seconds_count") == count + 1
    assert sample(text, "woonrust_sweep_cases_count") == sizes + 1
    assert sample(text, "woonrust_sweeps_total", outcome="ok") == ok + 1


@pytest.mark.django_db
def test_deliveries_are_counted_by_outcome(scrape):
    before = sample(scrape(), "woonrust_deliveries_total", outcome="skipped")
    # An id that no longer exists is skipped: the task answers "1 skipped".
    tasks.deliver_notifications.apply(args=[[987654321]])
    assert sample(scrape(), "woonrust_deliveries_total", outcome="skipped") == before + 1
