"""`manage.py chase --at`: tomorrow's sweep now, for a newcomer on the demo database only.

Reminders and escalations land on the timelines at that moment and their messages are
delivered then; any other database is refused, and so is a moment that is not later."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.models import User
from cases import services
from cases.models import Notification, TimelineEvent

from .conftest import TUESDAY, ams


def chase_at(when: str) -> str:
    out = StringIO()
    call_command("chase", at=when, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_database(chase_world, settings):
    settings.DEBUG = True
    User.objects.create_user("handler@demo.woonrust.nl", "x", role=User.Role.HANDLER)
    return chase_world


def test_a_later_sweep_writes_reminders_and_sends_them_at_that_moment(demo_database, clock):
    w = demo_database
    claim = services.claim_report(
        dwelling=w.dwelling, by=w.supervisor, resident=w.resident, amount_claimed=Decimal(200)
    )
    mail.outbox.clear()
    # Tuesday 9 June; two weeks later nobody has looked at the claim.
    out = chase_at("2026-06-23 09:00")
    assert "The chase at Tuesday 23-06-2026 09:00" in out
    reminders = TimelineEvent.objects.filter(claim=claim, kind=TimelineEvent.Kind.REMINDER_SENT)
    assert reminders.exists()
    assert all(event.at == ams(2026, 6, 23, 9) for event in reminders)
    sent = Notification.objects.filter(claim=claim, purpose="reminder")
    assert sent.exists() and all(n.status == Notification.Status.SENT for n in sent)
    assert {m.to[0] for m in mail.outbox} >= {w.handler.email}
    assert "messages delivered at that moment:" in out and "sent" in out
    # The clock stood still: the same moment again finds nothing more to do.
    again = chase_at("2026-06-23 09:00")
    assert "0 cases due" in again


def test_outside_office_hours_it_says_so_and_sends_nothing_yet(demo_database, clock):
    w = demo_database
    services.claim_report(dwelling=w.dwelling, by=w.supervisor, resident=w.resident)
    out = chase_at("2026-06-27 09:00")  # a Saturday
    assert "outside office hours" in out
    assert not Notification.objects.filter(
        status=Notification.Status.SENT, created_at__gt=TUESDAY
    ).exists()


def test_next_working_day_skips_the_weekend(demo_database, clock):
    clock.move_to(ams(2026, 6, 12, 16))  # a Friday afternoon
    assert "The chase at Monday 15-06-2026 09:00" in chase_at("next-working-day 09:00")


def test_any_other_database_is_refused(chase_world, settings, clock):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="demo database only"):
        chase_at("tomorrow 09:00")
    settings.DEBUG = False
    User.objects.create_user("handler@demo.woonrust.nl", "x", role=User.Role.HANDLER)
    with pytest.raises(CommandError, match="demo database only"):
        chase_at("tomorrow 09:00")


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("yesterday 09:00", "give a day"),
        ("tomorrow", "give a day"),
        ("tomorrow 25:00", "hour must be in"),
        ("2026-02-30 09:00", "day is out of range"),
        ("today 08:00", "not later than now"),
    ],
)
def test_a_moment_it_cannot_use_is_explained(demo_database, clock, when, message):
    with pytest.raises(CommandError, match=message):
        chase_at(when)
