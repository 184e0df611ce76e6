"""Somebody is told when the chase stops: the heartbeat, /healthz/ready and /live, the
watchdog's one e-mail."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail

from cases import tasks
from ops import watchdog
from ops.models import Heartbeat
from ops.tasks import watchdog as watchdog_task

from ..cases.conftest import TUESDAY
from ..foundation.helpers import run_django

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(TUESDAY, tick=False) as traveller:
        yield traveller


def test_every_sweep_records_when_it_finished(world, clock):
    tasks.sweep()
    heartbeat = Heartbeat.objects.get(name="chase-sweep")
    assert heartbeat.beat_at == TUESDAY
    assert "cases due" in heartbeat.detail


def test_ready_fails_when_no_sweep_finished_for_too_long(client, world, clock, settings):
    settings.CHASE_STALE_MINUTES = 10
    assert client.get("/healthz/ready").status_code == 200  # no sweep yet: a fresh install
    tasks.sweep()
    clock.move_to(TUESDAY + datetime.timedelta(minutes=9))
    assert client.get("/healthz/ready").json()["chase"] == "ok"
    clock.move_to(TUESDAY + datetime.timedelta(minutes=11))
    for url in ("/healthz/ready", "/healthz"):
        response = client.get(url)
        assert response.status_code == 503
        assert response.json() == {
            "status": "unavailable",
            "database": "ok",
            "broker": "ok",
            "chase": "down",
        }
    assert client.get("/healthz/live").json() == {"status": "ok"}


def test_live_answers_while_the_database_is_down():
    code = (
        "from django.test import Client\n"
        "r = Client().get('/healthz/live', headers={'host': 'localhost'})\n"
        "print(r.status_code)"
    )
    result = run_django(code, DATABASE_URL="postgres://postgres@127.0.0.1:1/woonrust")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "200"


def test_staff_are_told_once_when_the_chase_stops_and_again_after_the_next_stop(world, clock):
    tasks.sweep()
    clock.move_to(TUESDAY + datetime.timedelta(minutes=5))
    assert watchdog_task() == "running"
    assert mail.outbox == []
    clock.move_to(TUESDAY + datetime.timedelta(minutes=11))
    assert watchdog_task() == "told 1"
    [alert] = mail.outbox
    assert alert.to == [world.staff.email]
    assert "11" in alert.body
    for minutes in (12, 30, 240):  # still stopped: nobody is told again
        clock.move_to(TUESDAY + datetime.timedelta(minutes=minutes))
        assert watchdog.check() == "already told"
    assert len(mail.outbox) == 1
    tasks.sweep()  # the chase is back ...
    clock.move_to(TUESDAY + datetime.timedelta(minutes=260))
    assert watchdog.check() == "told 1"  # ... and stopped again: a new stop, a new alert
    assert len(mail.outbox) == 2


def test_an_alert_that_could_not_be_sent_is_tried_again(world, clock, settings):
    tasks.sweep()
    clock.move_to(TUESDAY + datetime.timedelta(minutes=11))
    settings.MAILERS = {"default": {"BACKEND": "tests.ops.test_watchdog.BrokenMail"}}
    assert watchdog.check() == "alert failed"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert watchdog.check() == "told 1"


class BrokenMail:
    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages) -> int:
        raise ConnectionRefusedError("the mail server is down")


def test_a_sweep_message_that_keeps_killing_its_process_is_dropped_after_three_starts(world, clock):
    # What a redelivery after each crash looks like: the same message id, started again.
    outcomes = [tasks.sweep.apply(task_id="same-message").get() for _ in range(4)]
    assert all("cases due" in o for o in outcomes[:3])
    assert outcomes[3] == "dropped"
    assert "cases due" in tasks.sweep.apply(task_id="the-next-tick").get()
