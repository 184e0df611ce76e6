"""Pin the Celery settings the chase's guarantees rest on, so drift fails the suite."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest
from celery.schedules import schedule
from django.conf import settings

from cases import lease, outbox
from cases.sms import get_sms_backend
from config.celery import app

ROOT = Path(__file__).resolve().parents[2]


def test_tasks_are_acknowledged_late_and_redelivered_when_their_process_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_time_limits_stay_below_the_visibility_timeout():
    soft, hard = app.conf.task_soft_time_limit, app.conf.task_time_limit
    visibility = settings.CELERY_VISIBILITY_TIMEOUT
    assert 0 < soft < hard <= visibility / 2
    # Redis reads the visibility timeout in three places; all agree.
    assert app.conf.broker_transport_options["visibility_timeout"] == visibility
    assert app.conf.result_backend_transport_options["visibility_timeout"] == visibility
    assert app.conf.visibility_timeout == visibility
    # A sweep stops well before its soft limit; a delivery lease is renewed well before
    # it runs out, and a lost task is found within a lease and a sweep interval.
    budget = settings.CHASE_SWEEP_BUDGET_SECONDS
    assert budget <= soft / 2
    assert lease.RENEW_EVERY * 2 <= lease.LEASE <= outbox.REPUBLISH_AFTER
    worst = max(lease.LEASE, outbox.REPUBLISH_AFTER) + datetime.timedelta(seconds=60)
    assert worst < datetime.timedelta(minutes=2)


def test_a_dead_broker_fails_fast_for_the_web_request():
    policy = app.conf.task_publish_retry_policy
    waited = sum(
        min(policy["interval_start"] + i * policy["interval_step"], policy["interval_max"])
        for i in range(policy["max_retries"])
    )
    assert waited <= 1
    assert app.conf.broker_transport_options["socket_connect_timeout"] <= 2


def test_beat_runs_the_sweep_every_minute_on_a_utc_interval():
    assert app.conf.timezone == "UTC" and app.conf.enable_utc is True
    assert set(settings.CELERY_BEAT_SCHEDULE) == {
        "chase-sweep",
        "chase-watchdog",
        "morning-digest",
        "privacy-retention",
    }
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert isinstance(entry["schedule"], float | int | datetime.timedelta)  # not a crontab
        if name == "privacy-retention":
            # Daily; a run late by more than an hour waits for the next day's.
            assert schedule(entry["schedule"]).run_every == datetime.timedelta(days=1)
            assert entry["options"]["expires"] == 3600
            continue
        assert schedule(entry["schedule"]).run_every == datetime.timedelta(seconds=60)
        assert entry["options"]["expires"] == 60  # a late one is dropped, the next one runs
    assert settings.CELERY_BEAT_SCHEDULE["chase-sweep"]["task"] == "cases.tasks.sweep"
    # The watchdog must not need the chase worker: it runs beside the mail.
    watchdog = settings.CELERY_BEAT_SCHEDULE["chase-watchdog"]["task"]
    assert app.conf.task_routes[watchdog]["queue"] == "deliver"


def test_worker_shutdown_and_connection_loss():
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss is True
    assert app.conf.worker_soft_shutdown_timeout == 30


def test_tasks_are_registered_and_routed_to_queues_the_worker_consumes():
    app.loader.import_default_modules()
    routes = app.conf.task_routes
    assert routes["cases.tasks.sweep"]["queue"] == "chase"
    assert routes["cases.tasks.deliver_notifications"]["queue"] == "deliver"
    assert {"cases.tasks.sweep", "cases.tasks.deliver_notifications"} <= set(app.tasks)
    workers = {
        name: line
        for name, _, line in (
            line.partition(":") for line in (ROOT / "Procfile").read_text().splitlines()
        )
        if " worker " in line
    }
    consumed = {
        name: set(re.search(r"--queues[= ](\S+)", line).group(1).split(","))
        for name, line in workers.items()
    }
    # The chase and each channel have a worker of their own: a hanging provider holds up
    # only its own channel.
    assert consumed == {"chase": {"celery", "chase"}, "mail": {"deliver"}, "sms": {"deliver-sms"}}
    assert set(outbox.QUEUES.values()) == {"deliver", "deliver-sms"}
    for line in workers.values():
        assert "--concurrency=1" in line  # prefetch 1 x 1 process: one task in hand


def test_sms_goes_through_a_pluggable_backend_that_logs_by_default(settings, caplog):
    from config import settings as configured

    default = configured.SMS_BACKEND
    assert default == (os.environ.get("SMS_BACKEND") or "cases.sms.LoggingSmsBackend")
    settings.SMS_BACKEND = "cases.sms.LoggingSmsBackend"
    with caplog.at_level("INFO", logger="cases.sms"):
        answer = get_sms_backend().send(
            to="06 12345678", body="Hallo", idempotency_key="k-1", timeout=1
        )
    assert answer == "logged (not sent): SMS k-1"
    assert "…678" in caplog.text and "12345678" not in caplog.text  # the number is masked


@pytest.mark.parametrize("path", sorted((ROOT / "cases").rglob("*.py")), ids=lambda p: p.name)
def test_no_business_deadline_lives_in_a_countdown_or_eta(path):
    source = path.read_text()
    assert not re.search(r"\b(countdown|eta)\s*=", source), path
    assert "retry(" not in source, path  # retries are rows with send_after, not ETA tasks
