"""Helpers for the chase tests: a frozen clock, cases in any state, the chase log."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from cases.models import Complaint, DamageClaim, Notification, Promise
from cases.sms import MemorySmsBackend
from cases.sweep import CASE_MODELS, sweep
from cases.workdays import AMSTERDAM, local


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: starts real Celery workers (seconds each); part of `make test`"
    )


# Tuesday 9 June 2026, 10:00 in Amsterdam: an ordinary working morning.
TUESDAY = datetime.datetime(2026, 6, 9, 10, 0, tzinfo=AMSTERDAM)


def ams(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=AMSTERDAM)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    """Time stands still at TUESDAY until a test moves it (`clock.move_to(...)`)."""
    with time_machine.travel(TUESDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def chase_world(world):
    """The named world with the last rung of the ladder filled in."""
    world.project.corporation_contact = world.corporation_admin
    world.project.save(update_fields=["corporation_contact"])
    return world


@pytest.fixture(autouse=True)
def _memory_sms(settings) -> Iterator[None]:
    # E-mail already goes to django.core.mail.outbox in tests.
    settings.SMS_BACKEND = "cases.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    yield
    MemorySmsBackend.outbox.clear()


def make_claim(world, status: str = DamageClaim.Status.REPORTED, **fields: Any) -> DamageClaim:
    """A claim put straight into `status` (test set-up; real code uses the services)."""
    now = datetime.datetime.now(tz=datetime.UTC)
    values: dict[str, Any] = {
        "project": world.project,
        "dwelling": world.dwelling,
        "resident": world.resident,
        "created_by": world.supervisor,
        "status": status,
        "step_seq": 1,
        "step_due_at": now + datetime.timedelta(days=2),
        "next_chase_at": now + datetime.timedelta(days=2),
        "resident_news_at": now,
    }
    if status == DamageClaim.Status.REJECTED:
        values["decided_at"] = now
        values["objection_deadline"] = now + datetime.timedelta(days=20)
    values.update(fields)
    return DamageClaim.objects.create(**values)


def make_complaint(world, status: str = Complaint.Status.RECEIVED, **fields: Any) -> Complaint:
    now = datetime.datetime.now(tz=datetime.UTC)
    values: dict[str, Any] = {
        "project": world.project,
        "dwelling": world.dwelling,
        "resident": world.resident,
        "created_by": world.supervisor,
        "description": "Stof in de woonkamer",
        "status": status,
        "step_seq": 1,
        "step_due_at": now + datetime.timedelta(days=2),
        "next_chase_at": now + datetime.timedelta(days=2),
        "resident_news_at": now,
    }
    values.update(fields)
    return Complaint.objects.create(**values)


def make_promise(world, status: str = Promise.Status.OPEN, **fields: Any) -> Promise:
    now = datetime.datetime.now(tz=datetime.UTC)
    values: dict[str, Any] = {
        "project": world.project,
        "dwelling": world.dwelling,
        "resident": world.resident,
        "created_by": world.supervisor,
        "description": "Deurstopper vastzetten",
        "status": status,
        "step_seq": 1,
        "step_due_at": now + datetime.timedelta(days=2),
        "next_chase_at": now + datetime.timedelta(days=2),
    }
    if status == Promise.Status.CANCELLED:
        values["cancel_reason"] = "Niet meer nodig"
    values.update(fields)
    return Promise.objects.create(**values)


def who(notification: Notification) -> str:
    """A readable name for a message's recipient."""
    if notification.recipient_user_id:
        return notification.recipient_user.email
    if notification.recipient_resident_id:
        return f"resident:{notification.recipient_resident.first_name}"
    return notification.to


def chase_log(**case: Any) -> list[tuple[str, str, str, str]]:
    """Every message written for a case: (local moment, purpose, to whom, channel)."""
    rows = (
        Notification.objects.filter(**case)
        .select_related("recipient_user", "recipient_resident")
        .order_by("created_at", "id")
    )
    return [
        (local(n.created_at).strftime("%a %d-%m-%Y %H:%M"), n.purpose, who(n), n.channel)
        for n in rows
    ]


ONE_MINUTE = datetime.timedelta(minutes=1)


def next_due() -> datetime.datetime | None:
    """The earliest next chase moment of any open case."""
    moments = [
        m
        for model in CASE_MODELS
        if (
            m := model.objects.open()
            .order_by("next_chase_at")
            .values_list("next_chase_at", flat=True)
            .first()
        )
        is not None
    ]
    return min(moments) if moments else None


def run_chase_until(clock, until: datetime.datetime) -> None:
    """Play the beat job up to `until`: sweep at every moment a case falls due, and a
    minute before it to prove nothing goes out early."""
    while (due := next_due()) is not None and due <= until:
        clock.move_to(due - ONE_MINUTE)
        assert sweep(dispatch=False).tally.cases == 0, "something was due early"
        clock.move_to(due)
        sweep(dispatch=False)
    clock.move_to(until)


@pytest.fixture
def people(chase_world):
    w = chase_world
    return {
        "anna": w.handler.email,
        "kees": w.manager.email,
        "corp": w.corporation_admin.email,
        "truus": "resident:Truus",
    }
