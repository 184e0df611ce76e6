"""The outbox: unique keys, written with the change, sent once, retried, within office hours."""

from __future__ import annotations

import base64
import datetime
import json
import threading

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, connection, transaction

from cases import services
from cases.delivery import MAX_ATTEMPTS, deliver
from cases.messages.link import body_for_sending
from cases.models import DamageClaim, Notification, TimelineEvent
from cases.outbox import redispatch_stale, stale
from cases.sms import MemorySmsBackend

from .conftest import TUESDAY, ams, make_claim

pytestmark = pytest.mark.usefixtures("clock")


def report(world, **extra) -> DamageClaim:
    return services.claim_report(
        dwelling=world.dwelling, by=world.supervisor, resident=world.resident, **extra
    )


def test_the_key_is_unique_in_the_database(chase_world):
    claim = report(chase_world)
    existing = Notification.objects.get(claim=claim)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(key=existing.key, purpose="x", channel="sms", to="1", body="x")


def test_writing_the_same_message_again_is_a_no_op(chase_world):
    from cases.outbox import Changes
    from cases.recipients import of_resident
    from cases.schedule import policies_for

    claim = report(chase_world)
    policy = policies_for([claim.project_id])[claim.project_id]
    for _ in range(3):
        changes = Changes(TUESDAY)
        changes.tell(
            claim,
            policy,
            purpose="claim_received",
            what="claim_received",
            recipients=[of_resident(chase_world.resident)],
            extra={"days": 2, "date": TUESDAY},
        )
        changes.save()
    assert Notification.objects.filter(claim=claim).count() == 1


def test_the_message_is_written_in_the_same_transaction_as_the_claim(chase_world):
    with pytest.raises(RuntimeError), transaction.atomic():
        report(chase_world)
        raise RuntimeError("the request fails after the claim was saved")
    assert not DamageClaim.objects.exists()
    assert not Notification.objects.exists()
    assert not TimelineEvent.objects.exists()


@pytest.fixture
def broker():
    """The test broker's Redis database, with the delivery queues emptied around the test."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("deliver", "deliver-sms")
    yield client
    client.delete("deliver", "deliver-sms")


def queued_ids(client: redis.Redis, queue: str = "deliver-sms") -> list[int]:
    """The notification ids in a delivery queue (default: the resident's SMS), in order
    (a task carries a list)."""
    ids = []
    for raw in reversed(client.lrange(queue, 0, -1)):  # kombu LPUSHes, workers BRPOP
        message = json.loads(raw)
        assert message["headers"]["task"] == "cases.tasks.deliver_notifications"
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        ids += args[0]
    return ids


def test_delivery_is_published_after_commit_not_before(
    chase_world, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        claim = report(chase_world)
    assert queued_ids(broker) == []  # nothing left before the commit
    for callback in callbacks:
        callback()
    note = Notification.objects.get(claim=claim)
    assert queued_ids(broker) == [note.pk]
    assert note.dispatched_at == TUESDAY


def test_sms_is_sent_once_and_the_answer_recorded(chase_world):
    claim = report(chase_world)
    note = Notification.objects.get(claim=claim)
    assert deliver(notification_id=note.pk) == "sent"
    assert deliver(notification_id=note.pk) == "skipped"  # a duplicate task does nothing
    note.refresh_from_db()
    assert (note.status, note.attempts, note.sent_at) == ("sent", 1, TUESDAY)
    assert note.provider_answer == "stored in memory as message 1"
    assert MemorySmsBackend.outbox == [
        {
            "to": "06 12345678",
            "body": body_for_sending(note),
            "key": f"woonrust-notification-{note.pk}",
        }
    ]


def test_email_carries_the_notification_id_for_deduplication(chase_world):
    claim = make_claim(chase_world, DamageClaim.Status.ASSESSING)
    services.claim_request_expert(
        claim=claim, by=chase_world.handler, expert_name="Bos", expert_email="bos@expertise.nl"
    )
    note = Notification.objects.get(claim=claim, purpose="expert_request")
    assert deliver(notification_id=note.pk) == "sent"
    [email] = mail.outbox
    assert email.to == ["bos@expertise.nl"]
    assert email.extra_headers["X-Woonrust-Notification"] == str(note.pk)
    assert email.extra_headers["Message-ID"] == f"<woonrust-notification-{note.pk}@woonrust.nl>"
    note.refresh_from_db()
    assert note.provider_answer.startswith("accepted by django.core.mail.backends.locmem")


def test_a_failing_provider_is_retried_with_backoff_then_given_up(chase_world, settings, clock):
    settings.SMS_BACKEND = "cases.sms.FailingSmsBackend"
    claim = report(chase_world)
    note = Notification.objects.get(claim=claim)
    moments = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert deliver(notification_id=note.pk) == ("retry" if attempt < MAX_ATTEMPTS else "failed")
        note.refresh_from_db()
        assert note.attempts == attempt
        assert "provider unavailable" in note.provider_answer
        if note.status == "pending":
            assert deliver(notification_id=note.pk) == "skipped"  # not due yet
            moments.append(note.send_after)
            clock.move_to(note.send_after)
    assert note.status == "failed"
    # 1, 2, 4, 8, 16, 32 and 60 minutes (capped) after each failure.
    gaps = [b - a for a, b in zip([TUESDAY, *moments], moments, strict=False)]
    assert gaps == [datetime.timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60)]
    failed = TimelineEvent.objects.get(claim=claim, kind=TimelineEvent.Kind.MESSAGE_FAILED)
    assert "06 12345678" in failed.text


def test_a_retry_that_falls_after_closing_time_waits_for_the_morning(chase_world, settings, clock):
    settings.SMS_BACKEND = "cases.sms.FailingSmsBackend"
    clock.move_to(ams(2026, 6, 12, 17, 59, 30))  # Friday, half a minute before closing
    claim = report(chase_world)
    note = Notification.objects.get(claim=claim)
    assert deliver(notification_id=note.pk) == "retry"
    note.refresh_from_db()
    assert note.send_after == ams(2026, 6, 15, 8)


def test_messages_written_outside_office_hours_wait_for_the_morning(chase_world, clock):
    clock.move_to(ams(2026, 6, 13, 11))  # Saturday
    claim = report(chase_world)
    note = Notification.objects.get(claim=claim)
    assert note.send_after == ams(2026, 6, 15, 8)
    assert deliver(notification_id=note.pk) == "skipped"
    assert list(stale(ams(2026, 6, 15, 7, 59))) == []
    clock.move_to(ams(2026, 6, 15, 8, 1))
    assert list(stale(ams(2026, 6, 15, 8, 1))) == [note]
    assert deliver(notification_id=note.pk) == "sent"


def test_the_sweep_republishes_only_what_no_task_carries(chase_world, clock, broker):
    claim = report(chase_world)
    note = Notification.objects.get(claim=claim)
    assert note.dispatched_at is None  # the on-commit publish never ran (broker down)

    def at(seconds: int) -> datetime.datetime:
        clock.move_to(TUESDAY + datetime.timedelta(seconds=seconds))
        return TUESDAY + datetime.timedelta(seconds=seconds)

    assert redispatch_stale(at(29)) == 0  # too young: its own publish may be under way
    assert redispatch_stale(at(31)) == 1
    assert queued_ids(broker) == [note.pk]
    # Published a moment ago: the task is on its way, do not publish it again ...
    assert redispatch_stale(at(50)) == 0
    # ... unless it is still pending and unleased half a minute on (the task was lost).
    assert redispatch_stale(at(62)) == 1
    assert queued_ids(broker) == [note.pk, note.pk]
    assert deliver(notification_id=note.pk) == "sent"
    assert deliver(notification_id=note.pk) == "skipped"
    assert redispatch_stale(at(3600)) == 0


def test_a_row_leased_by_a_process_that_died_is_republished_after_the_lease(chase_world, clock):
    from cases.delivery import claim as take_lease
    from cases.lease import LEASE, Keeper

    claim = report(chase_world)
    note = Notification.objects.get(claim=claim)
    Notification.objects.filter(pk=note.pk).update(dispatched_at=TUESDAY)
    assert take_lease(note.pk, TUESDAY)  # ... and the process holding it is killed
    assert list(stale(TUESDAY + LEASE - datetime.timedelta(seconds=1))) == []
    assert list(stale(TUESDAY + LEASE)) == [note]
    # While the holder lives its keeper renews the lease, naming its own attempt only.
    clock.move_to(TUESDAY + datetime.timedelta(seconds=20))
    Keeper.renew([(note.pk, 1)])
    note.refresh_from_db()
    assert note.send_after == TUESDAY + datetime.timedelta(seconds=20) + LEASE
    clock.move_to(TUESDAY + datetime.timedelta(seconds=25))
    Keeper.renew([(note.pk, 7)])  # an attempt that no longer holds it changes nothing
    note.refresh_from_db()
    assert note.send_after == TUESDAY + datetime.timedelta(seconds=20) + LEASE


@pytest.mark.parametrize(("language", "words"), [("nl", "schademelding"), ("en", "damage report")])
def test_residents_are_written_to_in_their_language(chase_world, language, words):
    chase_world.resident.language = language
    chase_world.resident.save()
    claim = report(chase_world)
    note = Notification.objects.get(claim=claim)
    assert note.language == language
    assert words in note.body
    assert "Truus" not in note.body and "Rijnstraat" not in note.body  # no name, no address


@pytest.mark.django_db(transaction=True)
def test_eight_deliveries_at_once_send_one_message(world):
    import time_machine

    from .conftest import TUESDAY as moment

    with time_machine.travel(moment, tick=False):
        claim = report(world)
    note = Notification.objects.get(claim=claim)
    results: list[str] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        try:
            barrier.wait()
            results.append(deliver(notification_id=note.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["sent"] + ["skipped"] * 7
    assert len(MemorySmsBackend.outbox) == 1
