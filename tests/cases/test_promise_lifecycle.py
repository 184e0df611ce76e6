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


def test_recording_schedules_the_due_date_at_opening_time(chase_world):
    promise = services.promise_record(
        dwelling=chase_world.dwelling,
        by=chase_world.supervisor,
        description="Deurstopper vastzetten",
        due_on=datetime.date(2026, 6, 13),  # a Saturday
    )
    assert promise.status == S.OPEN
    assert local(promise.step_due_at) == ams(2026, 6, 15, 8)  # the next working morning
    assert promise.next_chase_at == promise.step_due_at
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
