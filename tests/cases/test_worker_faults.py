"""Faults with a real Celery worker, real Redis and real PostgreSQL.

- A worker process killed with SIGKILL in the middle of a sweep loses nothing and
  duplicates nothing: either the broker redelivers the sweep (its pool process died:
  `task_reject_on_worker_lost`) or the next sweep finishes the work (the whole worker
  died, its message sits out the visibility timeout).
- A broker that is down when a claim is reported: the request still succeeds, the claim
  and its message are saved, and the message goes out once the broker is back.

Workers run with their clock on a working Tuesday morning (process_in_time.py) and use
their own Redis database, so they never meet the test broker or anyone else's worker.
"""

from __future__ import annotations

import asyncio
import datetime
import email
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
import time_machine
from aiosmtpd.controller import Controller
from celery import Celery
from django.conf import settings
from django.db import connection
from kombu import Connection

from cases.delivery import FLUSH_EVERY
from cases.models import DamageClaim, Notification, TimelineEvent
from cases.sending import MAIL_CONNECTIONS
from cases.sweep import sweep

from .conftest import TUESDAY
from .test_sweep_concurrency import seed_due_claims

ROOT = Path(__file__).resolve().parents[2]
DUE = 40

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def worker_broker_url() -> str:
    """The Redis database after the test broker's: each test run's workers get their own,
    so two runs (with different TEST_BROKER_URLs) never meet each other's workers.
    $WOONRUST_TEST_WORKER_BROKER_URL names another (where only one database is free)."""
    if named := os.environ.get("WOONRUST_TEST_WORKER_BROKER_URL"):
        return named
    base = redis.connection.parse_url(settings.CELERY_BROKER_URL)
    db = int(base.get("db", 0)) + 1
    return f"redis://{base.get('host', '127.0.0.1')}:{base.get('port', 6379)}/{db}"


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Processes:
    """Starts processes in their own session so a test can kill the whole group."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.started: list[subprocess.Popen] = []

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            PYTHONPATH=str(ROOT),
            DATABASE_URL=database_url(),
            CELERY_BROKER_URL=worker_broker_url(),
            DEBUG="true",
            WOONRUST_VAR_DIR=str(self.tmp_path / "var"),
            EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
            SMS_BACKEND="cases.sms.LoggingSmsBackend",
            LOG_LEVEL="INFO",
            # The clock given reads "now" at this moment, not when the process is up:
            # start-up takes seconds on a busy machine, and processes whose clocks
            # drift apart by more than a sweep's expiry discard each other's sweeps.
            WOONRUST_TEST_NOW_AT=repr(time.time()),
        )
        env.update(extra)
        return env

    def worker(
        self,
        name: str,
        *,
        clock: datetime.datetime,
        queues: str = "celery,chase,deliver,deliver-sms",
        **extra: str,
    ) -> Worker:
        log = self.tmp_path / f"{name}.log"
        proc = subprocess.Popen(
            [
                sys.executable,
                "tests/cases/process_in_time.py",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                f"--queues={queues}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                f"--hostname={name}-{uuid.uuid4().hex[:6]}@%h",
            ],
            cwd=ROOT,
            env=self.env(WOONRUST_TEST_NOW=clock.isoformat(), **extra),
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append(proc)
        worker = Worker(proc, log)
        wait_for(lambda: " ready." in worker.output(), 60, f"{name} did not start", worker)
        return worker

    def beat(self, name: str, *, clock: datetime.datetime, **extra: str) -> Worker:
        """A real beat: publishes the sweep every minute, the first a minute after start."""
        log = self.tmp_path / f"{name}.log"
        proc = subprocess.Popen(
            [
                sys.executable,
                "tests/cases/process_in_time.py",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel=INFO",
                f"--schedule={self.tmp_path / (name + '-schedule')}",
            ],
            cwd=ROOT,
            env=self.env(WOONRUST_TEST_NOW=clock.isoformat(), **extra),
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append(proc)
        beat = Worker(proc, log)
        wait_for(lambda: "beat: Starting" in beat.output(), 60, f"{name} did not start", beat)
        return beat

    def run(self, code: str, *, clock: datetime.datetime, **extra: str):
        return subprocess.run(
            [sys.executable, "tests/cases/process_in_time.py", "python", "-c", code],
            cwd=ROOT,
            env=self.env(WOONRUST_TEST_NOW=clock.isoformat(), **extra),
            capture_output=True,
            text=True,
            timeout=60,
        )

    def stop_all(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


class Worker:
    def __init__(self, proc: subprocess.Popen, log: Path) -> None:
        self.proc, self.log = proc, log

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def pool_children(self) -> list[int]:
        found = subprocess.run(
            ["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in found.split()]

    def kill_everything(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)


def wait_for(condition: Callable[[], bool], seconds: float, message: str, *workers) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    logs = "\n\n".join(w.output()[-4000:] for w in workers)
    pytest.fail(f"{message} within {seconds}s\n{logs}")


@pytest.fixture
def processes(tmp_path) -> Iterator[Processes]:
    redis.Redis.from_url(worker_broker_url()).flushdb()
    running = Processes(tmp_path)
    yield running
    running.stop_all()
    redis.Redis.from_url(worker_broker_url()).flushdb()


def send(task: str) -> None:
    """Publish a task to the workers' broker, as beat does. (An explicit connection:
    Celery prefers $CELERY_BROKER_URL, the test broker, over an app's `broker=`.)"""
    queue = {"cases.tasks.sweep": "chase"}.get(task, "celery")
    probe = Celery("probe")
    with Connection(worker_broker_url()) as broker:
        probe.send_task(task, queue=queue, connection=broker)
    probe.close()


def chased() -> int:
    return DamageClaim.objects.filter(reminders_sent__gte=1).count()


def assert_each_case_chased_once_and_each_message_sent_once(*workers: Worker) -> None:
    assert DamageClaim.objects.count() == DUE
    assert set(DamageClaim.objects.values_list("reminders_sent", flat=True)) == {1}
    reminders = TimelineEvent.objects.filter(kind=TimelineEvent.Kind.REMINDER_SENT)
    assert Counter(reminders.values_list("claim_id", flat=True)) == Counter(
        dict.fromkeys(DamageClaim.objects.values_list("pk", flat=True), 1)
    )
    notes = list(Notification.objects.all())
    assert len(notes) == DUE
    assert {(n.status, n.attempts) for n in notes} == {("sent", 1)}
    # What the (console) mail backend actually printed, across every worker that ran.
    printed = Counter(
        int(pk) for w in workers for pk in re.findall(r"X-Woonrust-Notification: (\d+)", w.output())
    )
    assert printed == Counter({n.pk: 1 for n in notes})


def test_a_pool_process_killed_mid_sweep_is_redelivered_and_finishes(world, processes):
    seed_due_claims(world, DUE)
    worker = processes.worker(
        "redeliver", clock=TUESDAY, CHASE_TEST_DELAY_MS="150", CHASE_BATCH_SIZE="5"
    )
    send("cases.tasks.sweep")
    wait_for(lambda: chased() >= 10, 60, "the sweep did not get going", worker)
    [child] = worker.pool_children()
    os.kill(child, signal.SIGKILL)
    before = chased()
    assert before < DUE, "the sweep finished before it could be killed"
    # The broker hands the same sweep message to a fresh pool process.
    wait_for(lambda: chased() == DUE, 90, "the redelivered sweep did not finish", worker)
    wait_for(
        lambda: Notification.objects.filter(status="sent").count() == DUE,
        60,
        "not every message was delivered",
        worker,
    )
    assert "WorkerLostError" in worker.output() or "signal 9" in worker.output()
    assert_each_case_chased_once_and_each_message_sent_once(worker)


def test_a_worker_killed_mid_sweep_loses_nothing_the_next_sweep_finishes(world, processes):
    seed_due_claims(world, DUE)
    first = processes.worker(
        "doomed", clock=TUESDAY, CHASE_TEST_DELAY_MS="150", CHASE_BATCH_SIZE="5"
    )
    send("cases.tasks.sweep")
    wait_for(lambda: chased() >= 10, 60, "the sweep did not get going", first)
    first.kill_everything()
    partly = chased()
    assert 10 <= partly < DUE
    assert Notification.objects.count() == partly  # the cut-off batch left no trace
    second = processes.worker("next", clock=TUESDAY + datetime.timedelta(minutes=1))
    send("cases.tasks.sweep")  # the next beat tick
    wait_for(lambda: chased() == DUE, 60, "the next sweep did not finish", second)
    wait_for(
        lambda: Notification.objects.filter(status="sent").count() == DUE,
        60,
        "not every message was delivered",
        second,
    )
    assert_each_case_chased_once_and_each_message_sent_once(first, second)


REPORT_A_CLAIM = """
import datetime, time, django
django.setup()
from django.db import transaction
from cases.services import claim_report
from projects.models import Dwelling
from accounts.models import User
# Warm up as a web process that has served requests would be: its URLconf, views and
# working-day calendar loaded (a fresh process may also be compiling every module).
from django.urls import get_resolver
import kombu.transport.redis, cases.tasks
from cases import workdays
get_resolver().url_patterns
workdays.add_working_days(datetime.datetime(2026, 6, 9, 10, tzinfo=datetime.UTC), 1)
started = time.monotonic()
dwelling = Dwelling.objects.get(pk={dwelling})
with transaction.atomic():  # as a web request with ATOMIC_REQUESTS would
    claim = claim_report(
        dwelling=dwelling,
        by=User.objects.get(pk={user}),
        resident=dwelling.residents.get(),
    )
print(claim.pk, round(time.monotonic() - started, 2))
"""


def test_a_broker_that_is_down_does_not_fail_the_report_and_the_message_follows(world, processes):
    code = REPORT_A_CLAIM.format(dwelling=world.dwelling.pk, user=world.supervisor.pk)
    request = processes.run(code, clock=TUESDAY, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    assert request.returncode == 0, request.stderr
    claim_id, seconds = request.stdout.split()
    assert float(seconds) < 5, "a dead broker must not hold the request"
    assert "Broker unavailable" in request.stderr  # logged, not raised
    note = Notification.objects.get(claim_id=int(claim_id))
    assert (note.status, note.dispatched_at) == ("pending", None)

    # The broker is back; a minute later the beat's sweep finds the message and sends it.
    worker = processes.worker("back", clock=TUESDAY + datetime.timedelta(minutes=2))
    send("cases.tasks.sweep")
    wait_for(
        lambda: Notification.objects.filter(pk=note.pk, status="sent").exists(),
        60,
        "the waiting message was not sent",
        worker,
    )
    note.refresh_from_db()
    assert note.attempts == 1
    assert worker.output().count(f"SMS woonrust-notification-{note.pk} ") == 1
    assert "1 re-dispatched" in worker.output()


class BlackHole:
    """A loopback port that accepts connections and never reads or answers: a broker
    behind a firewall that drops packets after the handshake, or a hung Redis."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.held.append(conn)  # keep it open; never read

    def close(self) -> None:
        self.server.close()
        for conn in self.held:
            conn.close()


@pytest.fixture
def black_hole() -> Iterator[BlackHole]:
    hole = BlackHole()
    yield hole
    hole.close()


ASK_HEALTHZ = """
import time, django
django.setup()
from django.test import Client
# Warm up as a serving process would be: middleware, URLconf and the broker's transport
# loaded (a fresh process may also be compiling every module).
import kombu.transport.redis
Client().get("/warm-up/", HTTP_HOST="127.0.0.1")
started = time.monotonic()
response = Client().get("/healthz", HTTP_HOST="127.0.0.1")
print(response.status_code, response.json()["broker"], round(time.monotonic() - started, 2))
"""


def test_a_broker_that_never_answers_holds_neither_the_report_nor_healthz(
    world, processes, black_hole
):
    hole = f"redis://127.0.0.1:{black_hole.port}/0"
    code = REPORT_A_CLAIM.format(dwelling=world.dwelling.pk, user=world.supervisor.pk)
    request = processes.run(code, clock=TUESDAY, CELERY_BROKER_URL=hole)
    assert request.returncode == 0, request.stderr
    claim_id, seconds = request.stdout.split()
    assert float(seconds) < 2, f"a silent broker held the report for {seconds}s"
    assert "Broker unavailable" in request.stderr
    note = Notification.objects.get(claim_id=int(claim_id))
    assert (note.status, note.dispatched_at) == ("pending", None)

    health = processes.run(ASK_HEALTHZ, clock=TUESDAY, CELERY_BROKER_URL=hole)
    assert health.returncode == 0, health.stderr
    status, broker, seconds = health.stdout.split()
    assert (status, broker) == ("503", "down")
    assert float(seconds) < 2, f"/healthz took {seconds}s with a silent broker"

    worker = processes.worker("after-hole", clock=TUESDAY + datetime.timedelta(minutes=2))
    send("cases.tasks.sweep")
    wait_for(
        lambda: Notification.objects.filter(pk=note.pk, status="sent").exists(),
        60,
        "the waiting message was not sent",
        worker,
    )


class Inbox:
    """A real SMTP server on loopback (aiosmtpd) that records every message it accepts
    by notification id, and takes `delay` seconds to answer each one: a worker killed
    meanwhile has handed the message over but not heard "250"."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.received: list[int] = []
        probe = socket.create_server(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content)
        self.received.append(int(message["X-Woonrust-Notification"]))
        await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def env(self) -> dict[str, str]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_TIMEOUT": "5",
        }


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    box = Inbox(delay=0.3)
    box.controller.start()
    yield box
    box.controller.stop()


def test_a_worker_killed_while_sending_mail_loses_nothing_and_repeats_only_the_unrecorded(
    world, processes, inbox
):
    """SIGKILL of the whole delivery worker in the middle of talking to a real SMTP
    server; a fresh worker and a real beat take over. Measures how long the messages the
    dead worker held wait (lease + one beat interval) and counts repeats."""
    seed_due_claims(world, DUE)
    with time_machine.travel(TUESDAY, tick=False):
        sweep(dispatch=False)  # the messages are written; their first publish was lost
    assert Notification.objects.filter(status="pending").count() == DUE
    start = TUESDAY + datetime.timedelta(minutes=1)
    started = time.monotonic()
    first = processes.worker("mailer", clock=start, **inbox.env())
    send("cases.tasks.sweep")  # publishes the never-dispatched messages
    wait_for(lambda: len(inbox.received) >= 10, 60, "the mail did not start going", first)
    first.kill_everything()
    killed = time.monotonic()
    held = Notification.objects.filter(status="pending").count()
    assert 0 < held < DUE

    later = start + datetime.timedelta(seconds=time.monotonic() - started)
    second = processes.worker("mailer-2", clock=later, **inbox.env())
    beat = processes.beat("beat", clock=later)
    wait_for(
        lambda: Notification.objects.filter(status="sent").count() == DUE,
        150,
        "the messages the dead worker held were not sent",
        second,
        beat,
    )
    recovered = time.monotonic() - killed
    received = Counter(inbox.received)
    repeats = sum(n - 1 for n in received.values())
    print(
        f"\nworker killed while sending: {held} messages waited {recovered:.0f}s; "
        f"{len(received)} of {DUE} received, {repeats} repeated"
    )
    assert set(received) == set(Notification.objects.values_list("pk", flat=True))
    # Only what the dead worker had handed over without its outcome written: at most
    # FLUSH_EVERY seconds' worth on each of the batch's connections, plus one on each wire.
    assert max(received.values()) <= 2
    assert repeats <= MAIL_CONNECTIONS * (FLUSH_EVERY / inbox.delay + 1)
    assert recovered < 120
    for pk, n in received.items():
        if n > 1:
            assert Notification.objects.get(pk=pk).attempts == 2
    if repeats:
        assert "ended without an answer" in second.output()


def test_a_hanging_sms_provider_stops_neither_the_sweep_nor_the_mail(world, processes):
    """The Procfile's workers (one for the chase, one per channel) with an SMS provider
    that never answers: sweeps still run on time and e-mail still goes out."""
    claim = DamageClaim.objects.create(
        project=world.project, dwelling=world.dwelling, created_by=world.supervisor
    )
    written = TUESDAY - datetime.timedelta(minutes=5)
    Notification.objects.bulk_create(
        Notification(
            key=f"test-{channel}-{i}",
            claim=claim,
            purpose="claim_received",
            channel=channel,
            to="06 12345678" if channel == "sms" else f"person{i}@example.nl",
            body="Uw melding is ontvangen.",
            created_at=written,
            send_after=written,
        )
        for channel in ("sms", "email")
        for i in range(3)
    )
    seed_due_claims(world, 5)
    extra = {"SMS_BACKEND": "tests.cases.backends.HangingSmsBackend"}
    began = time.monotonic()  # one clock for all: each worker starts where it stands
    workers = [
        processes.worker(
            name,
            clock=TUESDAY + datetime.timedelta(seconds=time.monotonic() - began),
            queues=queues,
            **extra,
        )
        for name, queues in procfile_workers().items()
    ]
    send("cases.tasks.sweep")  # chases the 5 claims and publishes the 6 waiting messages
    wait_for(lambda: chased() == 5, 30, "the first sweep did not run", *workers)
    emails = Notification.objects.filter(channel="email")
    wait_for(
        lambda: emails.filter(status="sent").count() == emails.count(),
        30,
        "e-mail waited behind the hanging SMS provider",
        *workers,
    )
    sweeps_before = sum(w.output().count("cases.tasks.sweep[") for w in workers)
    send("cases.tasks.sweep")
    wait_for(
        lambda: sum(w.output().count("cases.tasks.sweep[") for w in workers) > sweeps_before + 1,
        20,
        "the next sweep waited behind the hanging SMS provider",
        *workers,
    )
    assert not Notification.objects.filter(channel="sms", status="sent").exists()


def procfile_workers() -> dict[str, str]:
    """name -> queues of every Celery worker line in the Procfile."""
    found = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if " worker " in command:
            found[name.strip()] = re.search(r"--queues[= ](\S+)", command).group(1)
    return found


def test_two_beats_at_once_for_many_sweeps_send_each_message_once(world, processes):
    """Two beat processes publish the sweep side by side (every 2 s here, for half a
    minute: some fifteen sweeps each) while cases keep falling due."""
    due = [TUESDAY + datetime.timedelta(seconds=s) for s in range(0, 24, 2) for _ in range(3)]
    seed_due_claims(world, len(due))
    for claim, moment in zip(DamageClaim.objects.order_by("pk"), due, strict=True):
        DamageClaim.objects.filter(pk=claim.pk).update(next_chase_at=moment, step_due_at=moment)
    began = time.monotonic()

    def now() -> datetime.datetime:
        return TUESDAY + datetime.timedelta(seconds=time.monotonic() - began)

    fast = {"CHASE_SWEEP_SECONDS": "2"}
    workers = [
        processes.worker("chaser", clock=now(), queues="celery,chase", **fast),
        processes.worker("sender", clock=now(), queues="deliver,deliver-sms", **fast),
    ]
    beats = [processes.beat(f"beat-{n}", clock=now(), **fast) for n in (1, 2)]
    wait_for(lambda: time.monotonic() - began > 35, 60, "", *workers)
    # On a busy machine a sweep takes longer than the 2 s interval, so sweeps queue up
    # and expire; the last cases then wait for a sweep that runs. Time, not a figure.
    wait_for(
        lambda: Notification.objects.filter(status="sent").count() == len(due),
        90,
        "not every message went out",
        *workers,
        *beats,
    )
    sweeps = sum(w.output().count("Task cases.tasks.sweep[") for w in workers) // 2
    published = [b.output().count("Scheduler: Sending due task chase-sweep") for b in beats]
    print(f"\ntwo beats: {published} sweeps published, {sweeps} ran; {len(due)} cases")
    assert min(published) >= 4  # both beats were publishing side by side (fewer on a busy machine)
    assert set(DamageClaim.objects.values_list("reminders_sent", flat=True)) == {1}
    reminders = TimelineEvent.objects.filter(kind=TimelineEvent.Kind.REMINDER_SENT)
    assert reminders.count() == len(due)
    printed = Counter(
        int(pk) for pk in re.findall(r"X-Woonrust-Notification: (\d+)", workers[1].output())
    )
    assert printed == Counter(dict.fromkeys(Notification.objects.values_list("pk", flat=True), 1))


def test_a_worker_stopped_with_sigterm_while_sending_finishes_the_message_in_hand(
    world, processes, inbox
):
    """Warm shutdown: the message on the wire is finished and recorded, the rest wait
    for the next worker; nothing is lost and nothing repeated."""
    seed_due_claims(world, DUE)
    with time_machine.travel(TUESDAY, tick=False):
        sweep(dispatch=False)
    start = TUESDAY + datetime.timedelta(minutes=1)
    began = time.monotonic()
    first = processes.worker("stopping", clock=start, **inbox.env())
    send("cases.tasks.sweep")
    wait_for(lambda: len(inbox.received) >= 10, 60, "the mail did not start going", first)
    first.proc.send_signal(signal.SIGTERM)
    first.proc.wait(timeout=60)
    in_hand = inbox.received[-1]
    assert Notification.objects.get(pk=in_hand).status == "sent"  # finished, not cut off
    assert Notification.objects.filter(status="pending").exists()
    later = start + datetime.timedelta(seconds=time.monotonic() - began + 60)
    second = processes.worker("after-stop", clock=later, **inbox.env())
    send("cases.tasks.sweep")  # re-publishes whatever the stopped worker did not take
    wait_for(
        lambda: Notification.objects.filter(status="sent").count() == DUE,
        60,
        "the rest did not go out",
        second,
    )
    assert Counter(inbox.received) == Counter(
        dict.fromkeys(Notification.objects.values_list("pk", flat=True), 1)
    )
