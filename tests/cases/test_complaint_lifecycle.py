"""The two-stage complaint lifecycle, its deadlines and its refusals."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from cases import services
from cases.models import Complaint, Notification, TimelineEvent
from cases.services import COMPLAINT_TRANSITIONS, IllegalTransition, InvalidInput, NotAllowed
from cases.workdays import local

from .conftest import TUESDAY, ams, make_complaint

S = Complaint.Status
pytestmark = pytest.mark.usefixtures("clock")

CALL = {
    "acknowledge": lambda c, w: services.complaint_acknowledge(
        complaint=c, by=w.handler if c.stage == 1 else w.manager
    ),
    "extend": lambda c, w: services.complaint_extend(
        complaint=c, by=w.handler, days=5, reason="We wachten op de aannemer."
    ),
    "answer": lambda c, w: services.complaint_answer(
        complaint=c, by=w.manager, resolution="We zetten een stofscherm neer."
    ),
    "escalate": lambda c, w: services.complaint_escalate(
        complaint=c, by=w.supervisor, reason="Bewoner is het er niet mee eens."
    ),
    "close": lambda c, w: services.complaint_close(complaint=c, by=w.handler),
    "withdraw": lambda c, w: services.complaint_withdraw(
        complaint=c, by=w.supervisor, reason="Opgelost op de bouwplaats."
    ),
}

# (name, status, other fields) for every situation a complaint can be in.
SITUATIONS = {
    "received, stage 1": (S.RECEIVED, {}),
    "acknowledged, stage 1": (S.ACKNOWLEDGED, {}),
    "acknowledged, stage 1, extended": (
        S.ACKNOWLEDGED,
        {"extended": True, "extension_reason": "Drukte"},
    ),
    "answered, stage 1": (S.ANSWERED, {}),
    "received, stage 2": (S.RECEIVED, {"stage": 2}),
    "acknowledged, stage 2": (S.ACKNOWLEDGED, {"stage": 2}),
    "answered, stage 2": (S.ANSWERED, {"stage": 2}),
    "closed": (S.CLOSED, {"next_chase_at": None}),
    "withdrawn": (S.WITHDRAWN, {"next_chase_at": None}),
}


def complaint_in(world, situation: str) -> Complaint:
    status, fields = SITUATIONS[situation]
    if fields.get("stage") == 2:
        fields = {**fields, "stage_one_handler": world.handler, "handler": world.manager}
    else:
        fields = {"handler": world.handler, **fields}
    return make_complaint(world, status, **fields)


def legal(situation: str, action: str) -> bool:
    status, fields = SITUATIONS[situation]
    t = COMPLAINT_TRANSITIONS[action]
    if status not in t.sources:
        return False
    if action == "escalate":
        return fields.get("stage", 1) == 1
    if action == "extend":
        return fields.get("stage", 1) == 1 and not fields.get("extended")
    return True


PAIRS = [(s, a) for s in SITUATIONS for a in COMPLAINT_TRANSITIONS]


def test_every_transition_has_a_caller():
    assert set(CALL) == set(COMPLAINT_TRANSITIONS)


@pytest.mark.parametrize(("situation", "action"), [p for p in PAIRS if not legal(*p)])
def test_illegal_transitions_are_refused_and_change_nothing(chase_world, situation, action):
    complaint = complaint_in(chase_world, situation)
    before = Complaint.objects.values().get(pk=complaint.pk)
    with pytest.raises(IllegalTransition):
        CALL[action](complaint, chase_world)
    assert Complaint.objects.values().get(pk=complaint.pk) == before
    assert not TimelineEvent.objects.filter(complaint=complaint).exists()
    assert not Notification.objects.filter(complaint=complaint).exists()


@pytest.mark.parametrize(("situation", "action"), [p for p in PAIRS if legal(*p)])
def test_legal_transitions_go_where_the_table_says(chase_world, situation, action):
    complaint = complaint_in(chase_world, situation)
    CALL[action](complaint, chase_world)
    complaint.refresh_from_db()
    assert complaint.status == COMPLAINT_TRANSITIONS[action].target
    assert TimelineEvent.objects.filter(
        complaint=complaint, kind="status_changed", data__action=action, at=TUESDAY
    ).exists()


def test_stage_one_and_two_deadlines_and_messages(chase_world, clock):
    w = chase_world
    complaint = services.complaint_record(
        dwelling=w.dwelling,
        by=w.supervisor,
        resident=w.resident,
        description="Elke ochtend om 7 uur boorgeluid",
        category=Complaint.Category.NOISE,
    )
    assert local(complaint.step_due_at) == ams(2026, 6, 16, 10)  # acknowledge in 5 days
    clock.move_to(ams(2026, 6, 11, 9))
    services.complaint_acknowledge(complaint=complaint, by=w.handler)
    assert complaint.handler == w.handler
    assert local(complaint.step_due_at) == ams(2026, 6, 25, 9)  # answer in 10 days
    services.complaint_extend(complaint=complaint, by=w.handler, days=10, reason="Meting nodig")
    assert local(complaint.step_due_at) == ams(2026, 7, 9, 9)  # at most 10 more
    extended = Notification.objects.get(complaint=complaint, purpose="complaint_extended")
    assert "Meting nodig" in extended.body and "09-07-2026" in extended.body
    with pytest.raises(IllegalTransition):
        services.complaint_extend(complaint=complaint, by=w.handler, days=1, reason="Nog eens")
    clock.move_to(ams(2026, 7, 1, 11))
    services.complaint_answer(complaint=complaint, by=w.handler, resolution="Vanaf nu om 8 uur.")
    assert local(complaint.step_due_at) == ams(2026, 7, 29, 11)  # 20 days to ask for stage 2
    clock.move_to(ams(2026, 7, 6, 11))
    services.complaint_escalate(complaint=complaint, by=w.supervisor, reason="Nog steeds 7 uur")
    assert (complaint.stage, complaint.status) == (2, S.RECEIVED)
    assert complaint.stage_one_handler == w.handler and complaint.handler is None
    with pytest.raises(InvalidInput, match="iemand anders"):
        services.complaint_acknowledge(complaint=complaint, by=w.handler)
    services.complaint_acknowledge(complaint=complaint, by=w.manager)
    assert local(complaint.step_due_at) == ams(2026, 8, 3, 11)  # stage 2: 20 days
    services.complaint_answer(complaint=complaint, by=w.manager, resolution="Geluidsscherm.")
    stage2 = Notification.objects.get(
        complaint=complaint, purpose="complaint_answered", key__contains="/s7/"
    )
    assert "Woonstede" in stage2.body  # names the corporation's complaints committee
    services.complaint_close(complaint=complaint, by=w.manager)
    assert complaint.status == S.CLOSED and complaint.next_chase_at is None


def test_an_extension_is_at_most_the_policy_days(chase_world):
    complaint = complaint_in(chase_world, "acknowledged, stage 1")
    with pytest.raises(InvalidInput) as refused:
        services.complaint_extend(
            complaint=complaint, by=chase_world.handler, days=11, reason="Lang verhaal"
        )
    assert refused.value.field == "days"


def test_stage_two_needs_a_different_handler(chase_world):
    complaint = complaint_in(chase_world, "answered, stage 1")
    with pytest.raises(InvalidInput):
        services.complaint_escalate(
            complaint=complaint,
            by=chase_world.supervisor,
            reason="Oneens",
            handler=chase_world.handler,  # the stage 1 handler
        )
    # The database refuses it too, whatever writes the row.
    complaint.stage, complaint.stage_one_handler = 2, chase_world.handler
    with pytest.raises(IntegrityError), transaction.atomic():
        complaint.save()


def test_escalating_after_the_period_is_refused(chase_world, clock):
    complaint = complaint_in(chase_world, "answered, stage 1")
    clock.move_to(ams(2026, 6, 12, 10))  # step_due_at was TUESDAY + 2 days
    with pytest.raises(InvalidInput, match="voorbij"):
        CALL["escalate"](complaint, chase_world)


def test_supervisors_record_but_do_not_answer(chase_world):
    complaint = complaint_in(chase_world, "acknowledged, stage 1")
    with pytest.raises(NotAllowed):
        services.complaint_answer(complaint=complaint, by=chase_world.supervisor, resolution="x")


def test_outsiders_are_refused(chase_world):
    complaint = complaint_in(chase_world, "received, stage 1")
    with pytest.raises(NotAllowed):
        services.complaint_acknowledge(complaint=complaint, by=chase_world.other_handler)


def test_escalating_an_answered_complaint_without_a_deadline_works(chase_world):
    # Imported or older complaints may carry no deadline; that must not crash the step.
    complaint = complaint_in(chase_world, "answered, stage 1")
    complaint.step_due_at = None
    complaint.save(update_fields=["step_due_at"])
    CALL["escalate"](complaint, chase_world)
    complaint.refresh_from_db()
    assert complaint.stage == 2
