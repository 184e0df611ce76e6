"""Delivery looks again: a message the case no longer wants is not sent, and one held up
past closing time waits for the next office morning."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from cases import services
from cases.delivery import deliver
from cases.models import Notification
from cases.outbox import stale
from cases.sms import MemorySmsBackend
from cases.sweep import sweep

from .conftest import TUESDAY, ams

pytestmark = pytest.mark.usefixtures("clock")


def report(world):
    return services.claim_report(
        dwelling=world.dwelling, by=world.supervisor, resident=world.resident
    )


def overdue_reminder(world, clock):
    """A claim past its first deadline, its reminder written by the sweep, not yet sent."""
    claim = report(world)
    services.case_assign(case=claim, by=world.handler, handler=world.handler)
    claim.refresh_from_db()
    clock.move_to(claim.next_chase_at)
    sweep(dispatch=False)
    return claim, Notification.objects.get(claim=claim, purpose="reminder")


def test_a_reminder_about_a_claim_withdrawn_since_is_not_sent(chase_world, clock):
    claim, reminder = overdue_reminder(chase_world, clock)
    services.claim_withdraw(claim=claim, by=chase_world.handler, reason="Zelf opgelost")
    mail.outbox.clear()
    assert deliver(notification_id=reminder.pk) == "cancelled"
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.sent_at) == ("cancelled", 0, None)
    assert "withdrawn" in reminder.provider_answer
    # A second task for the row finds nothing to do.
    assert deliver(notification_id=reminder.pk) == "skipped"
    # What the resident is told about the withdrawal itself still goes out.
    withdrawn = Notification.objects.get(claim=claim, purpose="case_withdrawn")
    assert deliver(notification_id=withdrawn.pk) == "sent"


def test_a_reminder_for_a_step_the_claim_has_left_is_not_sent(chase_world, clock):
    claim, reminder = overdue_reminder(chase_world, clock)
    services.claim_start_assessment(claim=claim, by=chase_world.handler)
    assert deliver(notification_id=reminder.pk) == "cancelled"
    reminder.refresh_from_db()
    assert reminder.status == "cancelled"
    assert "step" in reminder.provider_answer


def test_a_message_held_up_past_closing_goes_out_the_next_working_morning(chase_world, clock):
    clock.move_to(ams(2026, 6, 9, 17, 55))
    claim = report(chase_world)  # its publish failed: the broker was down
    note = Notification.objects.get(claim=claim)
    assert note.send_after == ams(2026, 6, 9, 17, 55)
    evening = ams(2026, 6, 9, 19, 30)
    clock.move_to(evening)
    assert deliver(notification_id=note.pk) == "later"
    assert MemorySmsBackend.outbox == [] and mail.outbox == []
    note.refresh_from_db()
    assert (note.status, note.attempts, note.send_after) == ("pending", 0, ams(2026, 6, 10, 8))
    assert "office hours" in note.provider_answer
    assert list(stale(evening + datetime.timedelta(hours=1))) == []
    morning = ams(2026, 6, 10, 8)
    clock.move_to(morning)
    assert list(stale(morning)) == [note]
    assert deliver(notification_id=note.pk) == "sent"
    note.refresh_from_db()
    assert (note.sent_at, note.attempts) == (morning, 1)
    assert len(MemorySmsBackend.outbox) == 1


def test_a_message_due_within_office_hours_goes_out_as_before(chase_world, clock):
    claim = report(chase_world)
    note = Notification.objects.get(claim=claim)
    clock.move_to(TUESDAY + datetime.timedelta(hours=2))
    assert deliver(notification_id=note.pk) == "sent"
