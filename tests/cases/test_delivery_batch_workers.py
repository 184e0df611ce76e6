"""Delivery in batches with real Celery workers, real Redis, PostgreSQL and a real SMTP
server on loopback: two workers racing on the same rows send each once; a worker killed
in the middle of a batch loses nothing, and what it repeats is bounded and carries the
same Message-ID, so the recipient's mail system can drop it."""

from __future__ import annotations

import asyncio
import datetime
import email
import socket
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from celery import Celery
from kombu import Connection

from cases.delivery import FLUSH_EVERY
from cases.models import Notification
from cases.sending import MAIL_CONNECTIONS

from . import test_worker_faults as faults
from .conftest import TUESDAY
from .test_worker_faults import wait_for, worker_broker_url

processes = faults.processes  # real workers in their own session, killed after the test

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

START = TUESDAY + datetime.timedelta(minutes=1)


class Inbox:
    """aiosmtpd: every accepted message's notification id and Message-ID, in order;
    `delay` seconds before each "250", so a batch is still sending when a test acts."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.received: list[tuple[int, str]] = []
        with socket.create_server(("127.0.0.1", 0)) as probe:
            self.port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content)
        self.received.append((int(message["X-Woonrust-Notification"]), message["Message-ID"]))
        await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def env(self) -> dict[str, str]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_TIMEOUT": "5",
        }

    def arrivals(self) -> Counter[int]:
        return Counter(pk for pk, _ in self.received)


@pytest.fixture
def inbox(request) -> Iterator[Inbox]:
    box = Inbox(delay=request.param)
    box.controller.start()
    yield box
    box.controller.stop()


def due_news(count: int) -> list[int]:
    """`count` due e-mails that always go out (news, no case), their ids in order."""
    written = TUESDAY - datetime.timedelta(minutes=5)
    Notification.objects.bulk_create(
        Notification(
            key=f"batch-workers/{i}/email",
            purpose="claim_received",
            channel="email",
            to=f"bewoner{i}@example.nl",
            subject="Uw melding is ontvangen",
            body="Wij hebben uw melding ontvangen.",
            created_at=written,
            send_after=written,
        )
        for i in range(count)
    )
    return list(Notification.objects.order_by("pk").values_list("pk", flat=True))


def publish(chunks: list[list[int]]) -> None:
    """Delivery tasks on the workers' broker, as outbox.dispatch publishes them."""
    probe = Celery("probe")
    with Connection(worker_broker_url()) as broker:
        for chunk in chunks:
            probe.send_task(
                "cases.tasks.deliver_notifications",
                args=[chunk],
                queue="deliver",
                connection=broker,
            )
    probe.close()


def chunked(ids: list[int], size: int, offset: int = 0) -> list[list[int]]:
    head = [ids[:offset]] if offset else []
    return head + [ids[i : i + size] for i in range(offset, len(ids), size)]


def sent() -> int:
    return Notification.objects.filter(status="sent").count()


@pytest.mark.parametrize("inbox", [0.0], indirect=True)
def test_two_workers_given_the_same_rows_twice_send_each_once(world, processes, inbox):
    """Every row is published twice, in batches that overlap differently, to two
    workers taking tasks at once: each message reaches the server exactly once."""
    ids = due_news(600)
    first = processes.worker("racer-1", clock=START, queues="deliver", **inbox.env())
    second = processes.worker("racer-2", clock=START, queues="deliver", **inbox.env())
    aligned, shifted = chunked(ids, 100), chunked(ids, 100, 50)
    interleaved = [chunk for pair in zip(aligned, shifted, strict=False) for chunk in pair]
    publish(interleaved + shifted[len(aligned) :])
    wait_for(lambda: sent() == len(ids), 120, "not every row was sent", first, second)
    time.sleep(1)  # anything sent twice would have arrived by now
    assert inbox.arrivals() == Counter(dict.fromkeys(ids, 1))
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
    both = [w for w in (first, second) if "Delivered a batch of" in w.output()]
    assert len(both) == 2, "both workers took batches"
    assert "skipped" in first.output() + second.output(), "the second copies found nothing"


@pytest.mark.parametrize("inbox", [0.05], indirect=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_only_the_unrecorded(
    world, processes, inbox
):
    """SIGKILL of the whole worker while a batch is on the wire; a fresh worker and a real
    beat take over after the lease. Every message arrives; a message arrives twice only
    if the dead worker had handed it over without its outcome written yet (at most
    FLUSH_EVERY seconds' worth on each of the batch's connections, plus the one on each
    wire), and the repeat carries the same Message-ID."""
    ids = due_news(300)
    began = time.monotonic()
    first = processes.worker("doomed", clock=START, queues="deliver", **inbox.env())
    publish(chunked(ids, 100))
    wait_for(lambda: len(inbox.received) >= 50, 60, "the mail did not start going", first)
    first.kill_everything()
    killed = time.monotonic()
    assert Notification.objects.filter(status="pending").count() > 0

    later = START + datetime.timedelta(seconds=time.monotonic() - began)
    second = processes.worker("heir", clock=later, queues="celery,chase,deliver", **inbox.env())
    beat = processes.beat("beat", clock=later)
    wait_for(lambda: sent() == len(ids), 180, "the held rows were not sent", second, beat)
    recovered = time.monotonic() - killed
    arrivals = inbox.arrivals()
    repeated = sorted(pk for pk, n in arrivals.items() if n > 1)
    print(
        f"\nworker killed mid-batch: {len(repeated)} of {len(ids)} messages arrived twice; "
        f"the rest once; all sent {recovered:.0f}s after the kill"
    )
    assert set(arrivals) == set(ids)
    assert max(arrivals.values()) <= 2
    per_connection = FLUSH_EVERY / inbox.delay + 1
    assert len(repeated) <= MAIL_CONNECTIONS * per_connection
    message_ids = {pk: {mid for p, mid in inbox.received if p == pk} for pk in repeated}
    assert all(len(mids) == 1 for mids in message_ids.values()), "a repeat has its own id"
    for note in Notification.objects.filter(pk__in=repeated):
        assert note.attempts == 2
    if repeated:
        assert "ended without an answer" in second.output()
