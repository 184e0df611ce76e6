"""Promises: open → done, or cancelled with a reason."""

from __future__ import annotations

import datetime

import pytest

from cases import services
from cases.models import Promise, TimelineEvent
from cases.services import PROMISE_TRANSITIONS, IllegalTransition, InvalidInput, NotAllowed
from cases.workdays import local

from .conftest import TUESDAY, ams, make_promise

S = Promise.Status
pytestmark = pytest.mark.usefixtures("clock")

CALL = {
    "done": lambda p, by: services.promise_done(promise=p, by=by),
    "cancel": lambda p, by: services.promise_cancel(promise=p, by=by, reason="Bewoner wil niet"),
}


def test_every_transition_has_a_caller():
    assert set(CALL) == set(PROMISE_TRANSITIONS)


def test_recording_makes_it_due_at_closing_and_reminds_at_opening(chase_world):
    promise = services.promise_record(
        dwelling=chase_world.dwelling,
        by=chase_world.supervisor,
        description="Deurstopper vastzetten",
        due_on=datetime.date(2026, 6, 13),  # a Saturday
    )
    assert promise.status == S.OPEN
    # Due at the end of the next working day; reminded at its opening.
    assert local(promise.step_due_at) == ams(2026, 6, 15, 18)
    assert local(promise.next_chase_at) == ams(2026, 6, 15, 8)
    assert promise.created_by == chase_world.supervisor


@pytest.mark.parametrize("action", PROMISE_TRANSITIONS)
@pytest.mark.parametrize("state", [S.DONE, S.CANCELLED])
def test_a_finished_promise_cannot_change(chase_world, state, action):
    promise = make_promise(chase_world, state, next_chase_at=None)
    with pytest.raises(IllegalTransition):
        CALL[action](promise, chase_world.supervisor)
    assert not TimelineEvent.objects.filter(promise=promise).exists()


@pytest.mark.parametrize("actor", ["supervisor", "handler", "manager", "contractor_admin"])
def test_whoever_is_on_the_project_marks_a_promise_done(chase_world, actor):
    promise = make_promise(chase_world)
    services.promise_done(promise=promise, by=getattr(chase_world, actor))
    assert promise.status == S.DONE
    assert promise.done_at == TUESDAY
    assert promise.next_chase_at is None


def test_cancelling_needs_a_reason(chase_world):
    promise = make_promise(chase_world)
    with pytest.raises(InvalidInput):
        services.promise_cancel(promise=promise, by=chase_world.supervisor, reason=" ")
    services.promise_cancel(promise=promise, by=chase_world.supervisor, reason="Dubbel")
    assert (promise.status, promise.cancel_reason) == (S.CANCELLED, "Dubbel")
    event = TimelineEvent.objects.get(promise=promise)
    assert (event.actor, event.text, event.to_status) == (
        chase_world.supervisor,
        "Dubbel",
        S.CANCELLED,
    )


def test_outsiders_are_refused(chase_world):
    promise = make_promise(chase_world)
    with pytest.raises(NotAllowed):
        services.promise_done(promise=promise, by=chase_world.other_supervisor)


def test_a_promise_due_today_is_late_only_after_the_working_day(chase_world, clock):
    """Noted at 10:00 for today: not overdue at 10:01 nor at 17:59, reminded at once (the
    day's opening has passed), overdue after closing time."""
    promise = services.promise_record(
        dwelling=chase_world.dwelling,
        by=chase_world.supervisor,
        description="Kit langs het raam",
        due_on=TUESDAY.date(),
    )
    clock.move_to(ams(2026, 6, 9, 10, 1))
    assert not promise.is_overdue(ams(2026, 6, 9, 10, 1))
    assert not Promise.objects.filter(pk=promise.pk, step_due_at__lt=ams(2026, 6, 9, 17, 59))
    assert promise.next_chase_at <= TUESDAY  # the reminder of the due date is due now
    assert promise.is_overdue(ams(2026, 6, 9, 18, 0, 1))
    # Moving the date gives a new end of day.
    moved = services.promise_move(
        promise=promise,
        by=chase_world.supervisor,
        due_on=datetime.date(2026, 6, 12),
        reason="Regen",
    )
    assert local(moved.step_due_at) == ams(2026, 6, 12, 18)
    assert local(moved.next_chase_at) == ams(2026, 6, 12, 8)
    assert moved.reminders_sent == 0


def test_promises_stored_at_opening_time_move_to_closing_time(chase_world):
    import importlib

    from django.apps import apps

    promise = make_promise(chase_world)
    Promise.objects.filter(pk=promise.pk).update(step_due_at=ams(2026, 6, 12, 8))
    done = make_promise(chase_world, S.DONE, next_chase_at=None)
    Promise.objects.filter(pk=done.pk).update(step_due_at=ams(2026, 6, 12, 8))
    importlib.import_module("cases.migrations.0008_promise_due_at_closing").due_at_closing(
        apps, None
    )
    promise.refresh_from_db()
    done.refresh_from_db()
    assert local(promise.step_due_at) == ams(2026, 6, 12, 18)
    assert local(done.step_due_at) == ams(2026, 6, 12, 8)  # finished promises stay as they were
