"""`python manage.py bench_delivery`: messages a second through one real delivery worker.

Writes N due e-mail rows and N due SMS rows (no case: news that always goes out), starts
a real SMTP server (aiosmtpd) and an HTTP SMS endpoint on loopback, and one real Celery
worker process (prefork, concurrency 1: the Procfile's `mail` and `sms` workers in one)
against CELERY_BROKER_URL (Redis). It publishes the e-mail rows as the outbox does
(`outbox.dispatch`, one task per DISPATCH_CHUNK ids), times until all are `sent`, then the
same for SMS, and prints messages/s per channel. Then it checks, at the servers, that
every row arrived exactly once (counted by notification id) and that none was lost, and
deletes its rows (unless --keep).

Run it on a scratch database (bench/run does). Outside office hours the worker's clock
is moved to the next office moment (time-machine, a dev dependency), else every row
would wait for the morning.
"""

from __future__ import annotations

import datetime
import http.server
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from cases.models import Notification
from cases.outbox import QUEUES, dispatch
from cases.workdays import next_office_moment

ROOT = Path(__file__).resolve().parents[3]
LABELS = {"email": "e-mails", "sms": "text messages"}
_NOTIFICATION = re.compile(rb"X-Woonrust-Notification: (\d+)")


class MailSink:
    """aiosmtpd on loopback: counts each message by its notification id."""

    def __init__(self, port: int) -> None:
        from aiosmtpd.controller import Controller

        self.received: Counter[int] = Counter()
        self.controller = Controller(self, hostname="127.0.0.1", port=port or free_port())
        self.port = self.controller.port

    async def handle_DATA(self, server, session, envelope) -> str:
        found = _NOTIFICATION.search(envelope.content)
        self.received[int(found.group(1)) if found else 0] += 1
        return "250 Message accepted for delivery"


class SmsSink(http.server.ThreadingHTTPServer):
    """A provider's send endpoint on loopback: counts each call by idempotency key."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, port: int) -> None:
        self.received: Counter[int] = Counter()
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", port), SmsHandler)


class SmsHandler(http.server.BaseHTTPRequestHandler):
    server: SmsSink

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        key = self.headers.get("Idempotency-Key", "")
        pk = int(key.rpartition("-")[2]) if key[-1:].isdigit() else 0
        with self.server.lock:
            self.server.received[pk] += 1
        reply = json.dumps({"id": f"m{pk}"}).encode()
        self.send_response(202)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def cpu_seconds(group: int) -> float:
    """CPU time (user + system) of the live processes in this process group: the
    worker's main process and its pool process."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[2]) == group:  # fields[2] is the process group (field 5 of stat)
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


# The worker, its clock moved to an office moment when the bench runs outside one.
WORKER = """
import datetime, sys, time_machine
from celery.__main__ import main
clock, sys.argv = datetime.datetime.fromisoformat(sys.argv[1]), ["celery", *sys.argv[2:]]
with time_machine.travel(clock, tick=True):
    main()
"""


class Command(BaseCommand):
    help = "Time one real delivery worker sending N e-mails and N text messages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=20_000, help="rows per channel")
        parser.add_argument("--smtp-port", type=int, default=0, help="default: a free port")
        parser.add_argument("--sms-port", type=int, default=0, help="default: a free port")
        parser.add_argument("--timeout", type=int, default=600, help="seconds per channel")
        parser.add_argument(
            "--channel", choices=["email", "sms"], default=None, help="default: both"
        )
        parser.add_argument("--keep", action="store_true", help="Leave the rows.")

    def handle(self, *args: Any, **options: Any) -> None:
        broker = settings.CELERY_BROKER_URL
        if not broker.startswith("redis://"):
            raise CommandError("Set CELERY_BROKER_URL to a Redis database of your own.")
        count = options["count"]
        now = timezone.now()
        moment = next_office_moment(now)
        tag = f"bench-delivery-{uuid.uuid4().hex[:8]}"
        # aiosmtpd logs every SMTP command at INFO: that would be the bench's own load.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        mail = MailSink(options["smtp_port"])
        sms = SmsSink(options["sms_port"])
        threading.Thread(target=sms.serve_forever, daemon=True).start()
        mail.controller.start()
        self._purge(broker)
        worker = None
        log = Path(tempfile.mkstemp(prefix="bench-delivery-", suffix=".log")[1])
        try:
            ids = self._seed(tag, count, moment)
            worker = self._worker(log, mail, sms, moment if moment > now else None)
            figures = {}
            for channel, sink in (("email", mail.received), ("sms", sms.received)):
                if options["channel"] in (None, channel):
                    figures[channel] = self._run(
                        channel, ids[channel], sink, options["timeout"], worker.pid
                    )
            sinks = {"email": mail.received, "sms": sms.received}
            self._check({channel: ids[channel] for channel in figures}, sinks)
            self.stdout.write(
                "; ".join(
                    f"{count:,} {LABELS[channel]}: {rate:.0f} messages/s"
                    for channel, rate in figures.items()
                )
                + " (one worker process)"
            )
        finally:
            if worker is not None:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
                    worker.wait()
            mail.controller.stop()
            sms.shutdown()
            sms.server_close()
            self._purge(broker)
            if not options["keep"]:
                Notification.objects.filter(key__startswith=f"{tag}/").delete()
            self.stdout.write(f"worker log: {log}")

    def _seed(self, tag: str, count: int, moment: datetime.datetime) -> dict[str, list[int]]:
        due = moment - datetime.timedelta(minutes=1)
        for channel in ("email", "sms"):
            rows = [
                Notification(
                    key=f"{tag}/{i}/{channel}",
                    purpose="claim_received",
                    channel=channel,
                    to=f"bewoner{i}@example.nl" if channel == "email" else f"06{i:08d}",
                    subject="Uw melding is ontvangen",
                    body="Wij hebben uw melding ontvangen en nemen binnen twee werkdagen "
                    "contact met u op.",
                    created_at=due,
                    send_after=due,
                )
                for i in range(count)
            ]
            Notification.objects.bulk_create(rows, batch_size=5000)
        found = Notification.objects.filter(key__startswith=f"{tag}/").order_by("pk")
        ids: dict[str, list[int]] = {"email": [], "sms": []}
        for pk, channel in found.values_list("pk", "channel"):
            ids[channel].append(pk)
        return ids

    def _worker(
        self, log: Path, mail: MailSink, sms: SmsSink, clock: datetime.datetime | None
    ) -> subprocess.Popen:
        env = {
            **os.environ,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(mail.port),
            "SMS_BACKEND": "cases.sms.HttpSmsBackend",
            "SMS_API_URL": f"http://127.0.0.1:{sms.server_port}/v1/messages",
            "SMS_API_TOKEN": "bench",
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
        }
        celery = [
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            f"--queues={','.join(QUEUES.values())}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
            f"--hostname=bench-delivery-{uuid.uuid4().hex[:6]}@%h",
        ]
        if clock is None:
            command = [sys.executable, "-m", "celery", *celery]
        else:
            command = [sys.executable, "-c", WORKER, clock.isoformat(), *celery]
        worker = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while " ready." not in log.read_text(errors="replace"):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise CommandError(f"The worker did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        return worker

    def _run(
        self, channel: str, ids: list[int], sink: Counter[int], timeout: int, worker: int
    ) -> float:
        rows = Notification.objects.filter(pk__in=ids)
        cpu = cpu_seconds(worker)
        load = Path("/proc/loadavg").read_text().split()[0]
        started = time.monotonic()
        published = dispatch(ids)
        if published != len(ids):
            raise CommandError(f"Only {published} of {len(ids)} {channel} rows were published.")
        deadline = started + timeout
        while True:
            done = rows.exclude(status=Notification.Status.PENDING).count()
            if done == len(ids):
                break
            if time.monotonic() > deadline:
                waiting = Counter(
                    answer[:60]
                    for answer in rows.filter(status=Notification.Status.PENDING).values_list(
                        "provider_answer", flat=True
                    )
                )
                raise CommandError(
                    f"{channel}: {done} of {len(ids)} done after {timeout}s; "
                    f"the others say: {dict(waiting.most_common(5))}"
                )
            time.sleep(0.1)
        seconds = time.monotonic() - started
        cpu = cpu_seconds(worker) - cpu
        connection.close()
        rate = len(ids) / seconds
        # On a shared machine the wall-clock rate says as much about the neighbours as
        # about delivery; the worker's own CPU time per message says what one core gives.
        self.stdout.write(
            f"{channel}: {len(ids):,} in {seconds:.1f}s = {rate:.0f} messages/s; "
            f"worker CPU {cpu:.1f}s = {1000 * cpu / len(ids):.2f} ms/message = "
            f"{len(ids) / cpu if cpu else 0:.0f} messages per CPU-second "
            f"(load {load} -> {Path('/proc/loadavg').read_text().split()[0]})"
        )
        return rate

    def _check(self, ids: dict[str, list[int]], sinks: dict[str, Counter[int]]) -> None:
        problems = []
        for channel, sent in ids.items():
            received = sinks[channel]
            statuses = Counter(
                Notification.objects.filter(pk__in=sent).values_list("status", flat=True)
            )
            lost = [pk for pk in sent if received[pk] == 0]
            twice = [pk for pk in sent if received[pk] > 1]
            known = set(sent)
            strays = sum(n for pk, n in received.items() if pk not in known)
            self.stdout.write(
                f"{channel}: {dict(statuses)}; at the server: {sum(received.values()):,} "
                f"received, {len(lost)} lost, {len(twice)} more than once, {strays} unknown"
            )
            if lost or twice or strays or statuses != Counter({"sent": len(sent)}):
                problems.append(channel)
        if problems:
            raise CommandError(f"Not every row was sent exactly once: {', '.join(problems)}")

    @staticmethod
    def _purge(broker: str) -> None:
        import redis

        redis.Redis.from_url(broker).delete(*QUEUES.values())
