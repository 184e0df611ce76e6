"""The damage-claim lifecycle: every transition, its deadline, its record, its refusals."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest

from cases import services
from cases.models import DamageClaim, Notification, TimelineEvent
from cases.services import CLAIM_TRANSITIONS, IllegalTransition, InvalidInput, NotAllowed
from cases.workdays import local

from .conftest import TUESDAY, ams, make_claim

S = DamageClaim.Status
pytestmark = pytest.mark.usefixtures("clock")

# One way to call every claim transition with valid input.
CALL = {
    "start_assessment": lambda c, by: services.claim_start_assessment(claim=c, by=by),
    "ask_resident": lambda c, by: services.claim_ask_resident(
        claim=c, by=by, question="Heeft u de bon van de vaas?"
    ),
    "resident_answered": lambda c, by: services.claim_resident_answered(claim=c, by=by),
    "request_expert": lambda c, by: services.claim_request_expert(
        claim=c, by=by, expert_name="J. Expert", expert_email="expert@verzekeraar.nl"
    ),
    "expert_reported": lambda c, by: services.claim_expert_reported(claim=c, by=by),
    "accept": lambda c, by: services.claim_accept(claim=c, by=by),
    "partly_accept": lambda c, by: services.claim_partly_accept(
        claim=c, by=by, reason="De lamp was al kapot."
    ),
    "reject": lambda c, by: services.claim_reject(claim=c, by=by, reason="Geen schade gezien."),
    "object": lambda c, by: services.claim_object(claim=c, by=by, reason="Ik heb foto's."),
    "plan_repair": lambda c, by: services.claim_plan_repair(
        claim=c, by=by, repair_date=datetime.date(2026, 6, 16)
    ),
    "offer_compensation": lambda c, by: services.claim_offer_compensation(
        claim=c, by=by, amount=Decimal("120.00")
    ),
    "accept_offer": lambda c, by: services.claim_resident_answer(claim=c, by=by, accepted=True),
    "decline_offer": lambda c, by: services.claim_resident_answer(claim=c, by=by, accepted=False),
    "accept_repair_date": lambda c, by: services.claim_resident_answer(
        claim=c, by=by, accepted=True
    ),
    "decline_repair_date": lambda c, by: services.claim_resident_answer(
        claim=c, by=by, accepted=False
    ),
    "mark_repaired": lambda c, by: services.claim_mark_repaired(claim=c, by=by),
    "mark_paid": lambda c, by: services.claim_mark_paid(claim=c, by=by, amount_paid=Decimal(120)),
    "settle": lambda c, by: services.claim_settle(claim=c, by=by),
    "withdraw": lambda c, by: services.claim_withdraw(claim=c, by=by, reason="Zelf opgelost."),
}

# Every state a claim can be in, plus a rejection whose objection period is over.
STATES = [*S.values, "rejected+closed"]


A = DamageClaim.Answer
ANSWERS = {"accept_offer", "decline_offer", "accept_repair_date", "decline_repair_date"}


def claim_in(world, state: str, action: str = "") -> DamageClaim:
    """A claim in `state`, with the resident's answer that makes `action` possible."""
    if state == "rejected+closed":
        return make_claim(world, S.REJECTED, closed_at=TUESDAY, next_chase_at=None)
    answer = ""
    if action in ANSWERS:
        answer = A.AWAITED
    elif (action, state) in {
        ("offer_compensation", S.COMPENSATION_OFFERED),
        ("offer_compensation", S.REPAIR_PLANNED),
        ("plan_repair", S.COMPENSATION_OFFERED),
    }:
        answer = A.DECLINED  # a new proposal after the resident said no
    return make_claim(world, state, resident_answer=answer)


def test_every_transition_has_a_caller():
    assert set(CALL) == set(CLAIM_TRANSITIONS)


ILLEGAL = [
    (state, action)
    for state in STATES
    for action, t in CLAIM_TRANSITIONS.items()
    if state == "rejected+closed" or state not in t.sources
]
LEGAL = [
    (state, action)
    for state in S.values
    for action, t in CLAIM_TRANSITIONS.items()
    if state in t.sources
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_illegal_transitions_are_refused_and_change_nothing(chase_world, state, action):
    claim = claim_in(chase_world, state)
    before = DamageClaim.objects.values().get(pk=claim.pk)
    with pytest.raises(IllegalTransition) as refused:
        CALL[action](claim, chase_world.handler)
    assert "nu niet mogelijk" in refused.value.message  # Dutch unless the user chose English
    assert DamageClaim.objects.values().get(pk=claim.pk) == before
    assert not TimelineEvent.objects.filter(claim=claim).exists()
    assert not Notification.objects.filter(claim=claim).exists()


@pytest.mark.parametrize(("state", "action"), LEGAL)
def test_legal_transitions_go_where_the_table_says(chase_world, state, action):
    claim = claim_in(chase_world, state, action)
    if action in {"accept", "partly_accept", "reject"}:
        claim.amount_claimed = Decimal(50)
        claim.save()
    CALL[action](claim, chase_world.handler)
    claim.refresh_from_db()
    assert claim.status == CLAIM_TRANSITIONS[action].target
    event = TimelineEvent.objects.get(claim=claim, kind=TimelineEvent.Kind.STATUS_CHANGED)
    assert (event.from_status, event.to_status) == (state, claim.status)
    assert event.actor == chase_world.handler
    assert event.at == TUESDAY
    assert event.data["action"] == action
    assert claim.step_seq == 2
    assert (claim.next_chase_at is None) == (not claim.is_open)


def test_report_tells_the_resident_and_schedules_the_contact_deadline(chase_world, clock):
    clock.move_to(ams(2026, 4, 24, 10))  # Friday before King's Day
    claim = services.claim_report(
        dwelling=chase_world.dwelling,
        by=chase_world.supervisor,
        resident=chase_world.resident,
        description="Vaas gebroken door trilling",
        amount_claimed=Decimal("80.00"),
    )
    assert claim.status == S.REPORTED
    assert local(claim.step_due_at) == ams(2026, 4, 29, 10)  # King's Day skipped
    assert claim.next_chase_at == claim.step_due_at
    created = TimelineEvent.objects.get(claim=claim, kind=TimelineEvent.Kind.CREATED)
    assert created.actor == chase_world.supervisor
    ack = Notification.objects.get(claim=claim)
    assert (ack.purpose, ack.channel, ack.to) == ("claim_received", "sms", "06 12345678")
    assert (
        ack.key == f"claim-{claim.pk}/s1/claim_received/L0/resident-{chase_world.resident.pk}/sms"
    )
    assert "29-04-2026" in ack.body
    assert TimelineEvent.objects.filter(
        claim=claim, kind=TimelineEvent.Kind.RESIDENT_INFORMED
    ).exists()


def test_a_replayed_submission_returns_the_same_claim(chase_world):
    submission = uuid.uuid4()
    first = services.claim_report(
        dwelling=chase_world.dwelling, by=chase_world.supervisor, submission_id=submission
    )
    again = services.claim_report(
        dwelling=chase_world.dwelling, by=chase_world.supervisor, submission_id=submission
    )
    assert again.pk == first.pk
    assert DamageClaim.objects.count() == 1


def test_the_whole_way_to_settlement(chase_world, clock):
    w = chase_world
    claim = services.claim_report(dwelling=w.dwelling, by=w.supervisor, resident=w.resident)
    services.claim_start_assessment(claim=claim, by=w.handler, note="Gebeld met bewoner")
    assert claim.handler == w.handler  # whoever starts becomes the handler
    assert local(claim.step_due_at) == ams(2026, 6, 16, 10)  # 5 working days
    services.claim_accept(claim=claim, by=w.handler, reason="Schade door onze trilling")
    assert claim.decided_at == TUESDAY
    assert local(claim.settle_due_at) == ams(2026, 7, 7, 10)  # 20 working days
    services.claim_plan_repair(claim=claim, by=w.handler, repair_date=datetime.date(2026, 6, 12))
    # Chased the working morning after the repair date (Friday -> Monday).
    assert local(claim.step_due_at) == ams(2026, 6, 15, 8)
    services.claim_mark_repaired(claim=claim, by=w.supervisor)
    assert claim.step_due_at == claim.settle_due_at
    services.claim_settle(claim=claim, by=w.handler, note="Bewoner tevreden")
    assert claim.status == S.SETTLED
    assert (claim.next_chase_at, claim.step_due_at) == (None, None)
    assert not DamageClaim.objects.open().filter(pk=claim.pk).exists()
    steps = list(
        TimelineEvent.objects.filter(claim=claim, kind__in=["created", "status_changed"])
        .order_by("id")
        .values_list("to_status", "actor__email", "text")
    )
    assert steps == [
        (S.REPORTED, w.supervisor.email, ""),
        (S.ASSESSING, w.handler.email, "Gebeld met bewoner"),
        (S.ACCEPTED, w.handler.email, ""),
        (S.REPAIR_PLANNED, w.handler.email, ""),
        (S.REPAIRED, w.supervisor.email, ""),
        (S.SETTLED, w.handler.email, "Bewoner tevreden"),
    ]
    purposes = list(Notification.objects.filter(claim=claim).values_list("purpose", flat=True))
    assert sorted(purposes) == sorted(
        ["claim_received", "claim_decision", "claim_repair_planned", "claim_settled"]
    )


def test_waiting_for_the_resident_pauses_the_handlers_clock(chase_world, clock):
    w = chase_world
    claim = make_claim(w, S.REPORTED, handler=w.handler)
    services.claim_start_assessment(claim=claim, by=w.handler)
    assert local(claim.step_due_at) == ams(2026, 6, 16, 10)
    services.claim_ask_resident(claim=claim, by=w.handler, question="Wanneer gebeurde het?")
    assert claim.paused_due_at == ams(2026, 6, 16, 10)
    assert local(claim.step_due_at) == ams(2026, 6, 11, 10)  # the resident: 2 working days
    question = Notification.objects.get(claim=claim, purpose="claim_question")
    assert "Wanneer gebeurde het?" in question.body
    clock.move_to(ams(2026, 6, 12, 14))  # Friday: 3 working days later
    services.claim_resident_answered(claim=claim, by=w.handler)
    assert claim.status == S.ASSESSING
    # Waited Wed, Thu, Fri: the decision deadline moves by 3 working days.
    assert local(claim.step_due_at) == ams(2026, 6, 19, 10)
    assert claim.paused_due_at is None


def test_claims_above_the_threshold_need_the_expert_before_a_decision(chase_world, clock):
    w = chase_world
    claim = make_claim(w, S.ASSESSING, handler=w.handler, amount_claimed=Decimal("12500"))
    with pytest.raises(InvalidInput, match="expert"):
        services.claim_accept(claim=claim, by=w.handler)
    services.claim_request_expert(
        claim=claim, by=w.handler, expert_name="Ir. Bos", expert_email="bos@expertise.nl"
    )
    assert claim.status == S.WAITING_EXPERT
    request = Notification.objects.get(claim=claim, purpose="expert_request")
    assert (request.to, request.channel) == ("bos@expertise.nl", "email")
    assert local(claim.step_due_at) == ams(2026, 6, 23, 10)  # 10 working days
    clock.move_to(ams(2026, 6, 15, 9))
    services.claim_expert_reported(claim=claim, by=w.handler)
    services.claim_partly_accept(claim=claim, by=w.handler, reason="Deels eigen schuld")
    assert claim.status == S.PARTLY_ACCEPTED


def test_a_rejection_may_be_objected_to_once_then_it_is_final(chase_world, clock):
    w = chase_world
    claim = make_claim(w, S.ASSESSING, handler=w.handler)
    services.claim_reject(claim=claim, by=w.handler, reason="Schade bestond al")
    assert local(claim.objection_deadline) == ams(2026, 7, 21, 10)  # 30 working days
    assert claim.next_chase_at == claim.objection_deadline
    assert "21-07-2026" in Notification.objects.get(claim=claim, purpose="claim_decision").body
    services.claim_object(claim=claim, by=w.supervisor, reason="Bewoner heeft foto's van ervoor")
    assert (claim.status, claim.objection_used) == (S.ASSESSING, True)
    services.claim_reject(claim=claim, by=w.handler, reason="Ook op de foto's al zichtbaar")
    assert claim.closed_at == TUESDAY
    assert claim.next_chase_at is None
    assert not claim.is_open
    assert not DamageClaim.objects.open().filter(pk=claim.pk).exists()
    with pytest.raises(IllegalTransition):
        services.claim_object(claim=claim, by=w.supervisor, reason="Nog een keer")


def test_an_objection_after_the_period_is_refused(chase_world, clock):
    w = chase_world
    claim = make_claim(w, S.ASSESSING, handler=w.handler)
    services.claim_reject(claim=claim, by=w.handler, reason="Schade bestond al")
    clock.move_to(ams(2026, 7, 21, 10, 1))
    with pytest.raises(InvalidInput, match="bezwaartermijn"):
        services.claim_object(claim=claim, by=w.supervisor, reason="Te laat")
    claim.refresh_from_db()
    assert claim.status == S.REJECTED


@pytest.mark.parametrize("action", ["start_assessment", "accept", "reject", "settle", "mark_paid"])
def test_supervisors_do_not_decide(chase_world, action):
    source = next(iter(CLAIM_TRANSITIONS[action].sources))
    claim = claim_in(chase_world, source)
    with pytest.raises(NotAllowed):
        CALL[action](claim, chase_world.supervisor)
    assert not TimelineEvent.objects.filter(claim=claim).exists()


@pytest.mark.parametrize("actor", ["supervisor", "handler", "corporation_admin"])
def test_recording_steps_are_open_to_everyone_on_the_project(chase_world, actor):
    claim = make_claim(chase_world, S.REPAIR_PLANNED)
    services.claim_mark_repaired(claim=claim, by=getattr(chase_world, actor))
    assert claim.status == S.REPAIRED


@pytest.mark.parametrize(
    "actor", ["corporation_admin", "contractor_admin", "manager", "handler", "staff"]
)
def test_deciders(chase_world, actor):
    claim = make_claim(chase_world, S.ASSESSING)
    services.claim_accept(claim=claim, by=getattr(chase_world, actor))
    assert claim.status == S.ACCEPTED


@pytest.mark.parametrize(
    "outsider", ["other_handler", "other_admin", "other_supervisor", "colleague_off_team"]
)
def test_people_who_cannot_see_the_claim_cannot_touch_it(chase_world, outsider):
    claim = make_claim(chase_world, S.REPAIR_PLANNED)
    with pytest.raises(NotAllowed, match="geen toegang"):
        services.claim_mark_repaired(claim=claim, by=getattr(chase_world, outsider))
    with pytest.raises(NotAllowed):
        services.claim_report(dwelling=chase_world.dwelling, by=getattr(chase_world, outsider))


def test_only_allowed_transitions_are_offered(chase_world):
    claim = make_claim(chase_world, S.ASSESSING)
    assert services.allowed_actions(claim, chase_world.handler, CLAIM_TRANSITIONS) == [
        "ask_resident",
        "request_expert",
        "accept",
        "partly_accept",
        "reject",
        "withdraw",
    ]
    assert services.allowed_actions(claim, chase_world.supervisor, CLAIM_TRANSITIONS) == [
        "withdraw"
    ]
    assert services.allowed_actions(claim, chase_world.other_handler, CLAIM_TRANSITIONS) == []


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c, by: services.claim_reject(claim=c, by=by, reason="  "), "reason"),
        (lambda c, by: services.claim_partly_accept(claim=c, by=by, reason=""), "reason"),
        (lambda c, by: services.claim_ask_resident(claim=c, by=by, question=""), "question"),
    ],
)
def test_a_decision_without_its_reason_is_refused(chase_world, call, field):
    claim = make_claim(chase_world, S.ASSESSING)
    with pytest.raises(InvalidInput) as refused:
        call(claim, chase_world.handler)
    assert refused.value.field == field


def test_a_repair_date_in_the_past_is_refused(chase_world):
    claim = make_claim(chase_world, S.ACCEPTED)
    with pytest.raises(InvalidInput):
        services.claim_plan_repair(
            claim=claim, by=chase_world.handler, repair_date=datetime.date(2026, 6, 1)
        )


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "Deze schademelding is “Afgehandeld”: “Toekennen” is nu niet mogelijk."),
        ("en", "This damage claim is “Settled”: “Accept” is not possible now."),
    ],
)
def test_refusals_are_translated(chase_world, language, text):
    from django.utils import translation

    claim = make_claim(chase_world, S.SETTLED)
    with translation.override(language), pytest.raises(IllegalTransition) as refused:
        services.claim_accept(claim=claim, by=chase_world.handler)
    assert refused.value.message == text


@pytest.mark.parametrize("call", ["claim_accept", "claim_partly_accept"])
def test_a_negative_offer_is_refused_before_the_database_sees_it(chase_world, call):
    claim = make_claim(chase_world, S.ASSESSING)
    with pytest.raises(InvalidInput) as refused:
        getattr(services, call)(
            claim=claim, by=chase_world.handler, reason="Deels", amount_offered=Decimal("-5")
        )
    assert refused.value.field == "amount_offered"
    claim.refresh_from_db()
    assert claim.status == S.ASSESSING


def test_the_past_is_judged_by_the_amsterdam_date(chase_world, clock):
    # 00:30 in Amsterdam is still the previous day in UTC: yesterday is past all the same.
    clock.move_to(ams(2026, 6, 10, 0, 30))
    claim = make_claim(chase_world, S.ACCEPTED)
    with pytest.raises(InvalidInput):
        services.claim_plan_repair(
            claim=claim, by=chase_world.handler, repair_date=datetime.date(2026, 6, 9)
        )
    services.claim_plan_repair(
        claim=claim, by=chase_world.handler, repair_date=datetime.date(2026, 6, 10)
    )
