"""Delivery in batches: one claim for the batch, one mail connection, concurrent text
messages, per-row outcomes; against a real SMTP server (aiosmtpd) and a real HTTP SMS
endpoint on loopback where a provider matters."""

from __future__ import annotations

import asyncio
import datetime
import email
import http.server
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import delivery, services
from cases.delivery import deliver_batch
from cases.models import DamageClaim, Notification
from cases.sms import MemorySmsBackend

from .conftest import TUESDAY, make_claim

WRITTEN = TUESDAY - datetime.timedelta(minutes=5)


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def news(claim: DamageClaim, count: int, *, channel: str = "email", start: int = 0) -> list[int]:
    """`count` due messages about the claim (news: always wanted), their ids in order."""
    keys = [f"claim-{claim.pk}/s1/test-{start + i}/L0/resident-{i}/{channel}" for i in range(count)]
    Notification.objects.bulk_create(
        Notification(
            key=keys[i],
            claim=claim,
            purpose="claim_received",
            channel=channel,
            to=f"person{start + i}@example.nl" if channel == "email" else f"06{start + i:08d}",
            subject="Uw melding is ontvangen",
            body="Wij hebben uw melding ontvangen.",
            created_at=WRITTEN,
            send_after=WRITTEN,
        )
        for i in range(count)
    )
    return list(
        Notification.objects.filter(key__in=keys).order_by("pk").values_list("pk", flat=True)
    )


class Inbox:
    """A real SMTP server on loopback: records every message by notification id and
    every connection (EHLO); refuses the addresses in `refuse` with 450 (try later)."""

    def __init__(self) -> None:
        self.received: list[int] = []
        self.connections = 0
        self.refuse: set[str] = set()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.refuse:
            return "450 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content)
        self.received.append(int(message["X-Woonrust-Notification"]))
        await asyncio.sleep(0)
        return "250 Message accepted for delivery"


def smtp_to(settings, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


@pytest.fixture
def inbox(settings) -> Iterator[Inbox]:
    box = Inbox()
    box.controller.start()
    smtp_to(settings, box.port)
    yield box
    box.controller.stop()


@pytest.fixture
def claim(chase_world) -> DamageClaim:
    return make_claim(chase_world)


pytestmark = pytest.mark.usefixtures("clock")


def statuses(ids: list[int]) -> Counter:
    return Counter(Notification.objects.filter(pk__in=ids).values_list("status", flat=True))


@pytest.mark.parametrize("size", [1, 25, 100])
def test_a_batch_takes_the_same_number_of_queries_whatever_its_size(claim, monkeypatch, size):
    emails = news(claim, size)
    texts = news(claim, size, channel="sms", start=size)
    monkeypatch.setattr(delivery, "FLUSH_EVERY", 3600.0)  # one write of the outcomes
    with CaptureQueriesContext(connection) as queries:
        outcomes = deliver_batch(emails + texts)
    # SAVEPOINT; claim (UPDATE … SKIP LOCKED RETURNING); the rows with their cases; the
    # projects' policies; mark `sending`; RELEASE; the outcomes (SAVEPOINT, UPDATE … FROM
    # VALUES, RELEASE).
    assert len(queries) == 9, "\n".join(q["sql"][:120] for q in queries.captured_queries)
    assert Counter(outcomes.values()) == Counter({"sent": 2 * size})
    assert len(mail.outbox) == size and len(MemorySmsBackend.outbox) == size
    assert {(n.status, n.attempts) for n in Notification.objects.filter(pk__in=emails)} == {
        ("sent", 1)
    }


def test_a_batch_sends_its_mail_over_a_few_reused_connections(claim, inbox):
    ids = news(claim, 100)
    assert Counter(deliver_batch(ids).values()) == {"sent": 100}
    assert Counter(inbox.received) == Counter(dict.fromkeys(ids, 1))
    assert inbox.connections <= 4  # not one per message
    inbox.connections = 0
    small = news(claim, 10, start=100)
    deliver_batch(small)
    assert inbox.connections == 1


def test_one_refused_recipient_does_not_stop_the_rest_and_is_retried(claim, inbox):
    ids = news(claim, 30)
    refused = Notification.objects.get(pk=ids[7])
    inbox.refuse.add(refused.to)
    outcomes = deliver_batch(ids)
    assert outcomes[refused.pk] == "retry"
    assert Counter(outcomes.values()) == {"sent": 29, "retry": 1}
    assert sorted(inbox.received) == sorted(set(ids) - {refused.pk})
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == ("pending", 1)
    assert refused.send_after == TUESDAY + datetime.timedelta(minutes=1)
    assert "450" in refused.provider_answer and refused.dispatched_at is None
    # Its retry, a minute later, goes through once the mailbox takes mail again.
    inbox.refuse.clear()
    assert deliver_batch(ids) == {**dict.fromkeys(ids, "skipped")}  # not due yet
    assert delivery.deliver_batch(ids, now=refused.send_after)[refused.pk] == "sent"
    assert Counter(inbox.received)[refused.pk] == 1


def test_a_mail_server_that_is_down_puts_the_whole_batch_on_retry(claim, settings):
    smtp_to(settings, free_port())  # nobody listens
    ids = news(claim, 40)
    assert Counter(deliver_batch(ids).values()) == {"retry": 40}
    rows = Notification.objects.filter(pk__in=ids)
    assert {(n.status, n.attempts, n.send_after) for n in rows} == {
        ("pending", 1, TUESDAY + datetime.timedelta(minutes=1))
    }
    assert all("Connection refused" in n.provider_answer for n in rows)


def test_messages_the_case_no_longer_wants_are_cancelled_inside_the_batch(chase_world, clock):
    claim = services.claim_report(
        dwelling=chase_world.dwelling, by=chase_world.supervisor, resident=chase_world.resident
    )
    services.case_assign(case=claim, by=chase_world.handler, handler=chase_world.handler)
    claim.refresh_from_db()
    clock.move_to(claim.next_chase_at)
    from cases.sweep import sweep

    sweep(dispatch=False)
    reminder = Notification.objects.get(claim=claim, purpose="reminder")
    services.claim_withdraw(claim=claim, by=chase_world.handler, reason="Zelf opgelost")
    others = news(claim, 5)
    mail.outbox.clear()
    outcomes = deliver_batch([reminder.pk, *others])
    assert outcomes[reminder.pk] == "cancelled"
    assert [outcomes[pk] for pk in others] == ["sent"] * 5
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("cancelled", 0)
    assert "withdrawn" in reminder.provider_answer
    assert sorted(int(m.extra_headers["X-Woonrust-Notification"]) for m in mail.outbox) == others


def test_a_batch_out_of_time_puts_the_rest_back_and_publishes_it_again(
    claim, monkeypatch, settings
):
    monkeypatch.setattr(delivery, "BATCH_SECONDS", 0.0)
    published: list[list[int]] = []
    monkeypatch.setattr("cases.outbox.dispatch", lambda ids, **_: published.append(ids))
    ids = news(claim, 5)
    assert Counter(deliver_batch(ids).values()) == {"requeued": 5}
    assert published == [ids]
    assert mail.outbox == []
    rows = Notification.objects.filter(pk__in=ids)
    assert {(n.status, n.attempts, n.send_after) for n in rows} == {("pending", 0, TUESDAY)}


class SlowProvider(http.server.ThreadingHTTPServer):
    """An SMS provider on loopback that answers at once, except for `slow_number`, which
    it holds for `hold` seconds; records what was in flight when each answer went."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(self, slow_number: str, hold: float) -> None:
        self.slow_number, self.hold = slow_number, hold
        self.answered: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.slow_in_flight = False
        self.answered_while_slow: list[str] = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), SlowHandler)


class SlowHandler(http.server.BaseHTTPRequestHandler):
    server: SlowProvider

    def do_POST(self) -> None:
        sent = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server = self.server
        slow = sent["to"] == server.slow_number
        with server.lock:
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
            server.slow_in_flight |= slow
        time.sleep(server.hold if slow else 0.05)
        with server.lock:
            server.in_flight -= 1
            if slow:
                server.slow_in_flight = False
            elif server.slow_in_flight:
                server.answered_while_slow.append(self.headers["Idempotency-Key"])
        try:
            self.send_response(202)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")
        except OSError:
            return  # the client gave up waiting (the slow one)
        with server.lock:
            server.answered.append(self.headers["Idempotency-Key"])

    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture
def slow_provider(settings) -> Iterator[SlowProvider]:
    server = SlowProvider(slow_number="0600000003", hold=3.0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SMS_BACKEND = "cases.sms.HttpSmsBackend"
    settings.SMS_API_URL = f"http://127.0.0.1:{server.server_port}/v1/messages"
    settings.SMS_API_TOKEN = "token"
    settings.SMS_TIMEOUT_SECONDS = 1
    yield server
    server.shutdown()
    server.server_close()


def test_text_messages_go_out_concurrently_and_a_slow_one_times_out_alone(claim, slow_provider):
    ids = news(claim, 40, channel="sms")
    slow = Notification.objects.get(pk=ids[3])
    assert slow.to == slow_provider.slow_number
    outcomes = deliver_batch(ids)
    assert outcomes[slow.pk] == "retry"
    assert Counter(outcomes.values()) == {"sent": 39, "retry": 1}
    # Calls overlapped, and the others were answered while the slow one was held.
    assert slow_provider.most_in_flight > 1
    assert len(slow_provider.answered_while_slow) > 0
    slow.refresh_from_db()
    assert (slow.status, slow.attempts) == ("pending", 1)
    assert "could not be reached" in slow.provider_answer  # the client's timeout
    assert f"woonrust-notification-{slow.pk}" not in slow_provider.answered
    sent = Notification.objects.filter(pk__in=ids, status="sent")
    assert all("accepted by 127.0.0.1 (HTTP 202)" in n.provider_answer for n in sent)


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_racing_on_the_same_batch_send_each_row_once(world):
    claim = make_claim(world)
    ids = news(claim, 60, channel="sms")
    results: list[dict[int, str]] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait()
            results.append(deliver_batch(ids))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent_by = Counter(pk for result in results for pk, o in result.items() if o == "sent")
    assert sent_by == Counter(dict.fromkeys(ids, 1))
    keys = Counter(m["key"] for m in MemorySmsBackend.outbox)
    assert keys == Counter({f"woonrust-notification-{pk}": 1 for pk in ids})


@pytest.mark.parametrize(
    "subject, body, to, sender",
    [
        ("Uw melding is ontvangen", "Wij hebben uw melding ontvangen.", "a@example.nl", None),
        (
            "Schade aan uw vloer: reactie binnen één week",
            "Beste mevrouw Öztürk,\n\nUw claim is goedgekeurd: € 250.\nمرحبا\n" + "x" * 120,
            "b.de.vries@example.nl",
            "Woonrust — Bouwbedrijf Één <noreply@woonrust.nl>",
        ),
    ],
)
def test_the_fast_message_is_the_message_django_builds(settings, claim, subject, body, to, sender):
    from email.policy import default

    from cases.sending import email_message, message_domain, mime_bytes

    if sender:
        settings.DEFAULT_FROM_EMAIL = sender
    [pk] = news(claim, 1)
    note = Notification.objects.get(pk=pk)
    note.subject, note.body, note.to = subject, body, to
    ours = email.message_from_bytes(
        mime_bytes(note, settings.DEFAULT_FROM_EMAIL, message_domain()), policy=default
    )
    built = email_message(note).message().as_bytes()
    django_built = email.message_from_bytes(built, policy=default)
    for header in ("Subject", "From", "To", "Message-ID", "X-Woonrust-Notification"):
        assert str(ours[header]) == str(django_built[header]), header
    assert ours.get_content_type() == "text/plain"
    assert ours.get_content_charset() == "utf-8"
    assert ours.get_content().rstrip("\n") == django_built.get_content().rstrip("\n")
    assert ours["Date"] is not None


def test_a_subject_with_a_line_break_is_refused_by_both_builders(claim, settings):
    from cases.sending import email_message, message_domain, mime_bytes

    [pk] = news(claim, 1)
    note = Notification.objects.get(pk=pk)
    note.subject = "Two\nBcc: someone@example.org"
    with pytest.raises(ValueError):
        mime_bytes(note, settings.DEFAULT_FROM_EMAIL, message_domain())
    with pytest.raises(ValueError):
        email_message(note).message()
