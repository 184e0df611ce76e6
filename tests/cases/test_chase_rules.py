"""The chase's rules one at a time: whom it follows, when it closes, when it keeps still.

Like the scenarios, these jump the clock from one due moment to the next and sweep
there (`run_chase_until`), then compare every message written with the expected list.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from cases import services
from cases.models import Complaint, DamageClaim, Notification, Promise
from cases.sweep import sweep

from .conftest import ams, chase_log, run_chase_until


def test_waiting_for_the_expert_chases_the_expert_then_the_handler(chase_world, clock, people):
    w, p = chase_world, people
    claim = services.claim_report(
        dwelling=w.dwelling, by=w.supervisor, resident=w.resident, amount_claimed=Decimal(15000)
    )
    services.claim_start_assessment(claim=claim, by=w.handler)
    clock.move_to(ams(2026, 6, 10, 11))
    services.claim_request_expert(
        claim=claim, by=w.handler, expert_name="Ir. Bos", expert_email="bos@expertise.nl"
    )
    w.resident.non_essential_messages = False  # essential messages only from here on
    w.resident.save()
    run_chase_until(clock, ams(2026, 7, 10, 12))
    assert chase_log(claim=claim) == [
        ("Tue 09-06-2026 10:00", "claim_received", p["truus"], "sms"),
        ("Wed 10-06-2026 11:00", "expert_request", "bos@expertise.nl", "email"),
        ("Wed 10-06-2026 11:00", "claim_expert", p["truus"], "sms"),
        # The report is due in 10 working days; then the expert is reminded.
        ("Wed 24-06-2026 11:00", "expert_reminder", "bos@expertise.nl", "email"),
        ("Fri 26-06-2026 11:00", "expert_reminder", "bos@expertise.nl", "email"),
        # Two reminders missed: the handler must call the expert.
        ("Tue 30-06-2026 11:00", "expert_reminder", "bos@expertise.nl", "email"),
        ("Tue 30-06-2026 11:00", "escalation", p["anna"], "email"),
        ("Thu 02-07-2026 11:00", "expert_reminder", "bos@expertise.nl", "email"),
        # Four missed: the project manager. (No resident updates: she asked for none.)
        ("Mon 06-07-2026 11:00", "expert_reminder", "bos@expertise.nl", "email"),
        ("Mon 06-07-2026 11:00", "escalation", p["kees"], "email"),
        ("Wed 08-07-2026 11:00", "expert_reminder", "bos@expertise.nl", "email"),
        ("Fri 10-07-2026 11:00", "expert_reminder", "bos@expertise.nl", "email"),
    ]


def test_a_promise_is_reminded_on_its_day_and_escalated_two_days_later(chase_world, clock, people):
    w, p = chase_world, people
    promise = services.promise_record(
        dwelling=w.dwelling,
        by=w.supervisor,
        description="Deurbel vastzetten",
        due_on=datetime.date(2026, 6, 12),
    )
    run_chase_until(clock, ams(2026, 6, 17, 9))
    services.promise_done(promise=promise, by=w.supervisor)
    run_chase_until(clock, ams(2026, 9, 1, 9))
    assert chase_log(promise=promise) == [
        ("Fri 12-06-2026 08:00", "reminder", w.supervisor.email, "email"),
        ("Tue 16-06-2026 08:00", "reminder", w.supervisor.email, "email"),
        ("Tue 16-06-2026 08:00", "escalation", p["kees"], "email"),
    ]


def test_an_unacknowledged_complaint_and_its_automatic_closing(chase_world, clock, people):
    w, p = chase_world, people
    complaint = services.complaint_record(
        dwelling=w.dwelling, by=w.supervisor, resident=w.resident, description="Stof"
    )
    run_chase_until(clock, ams(2026, 6, 17, 10))
    services.complaint_acknowledge(complaint=complaint, by=w.handler)
    services.complaint_answer(complaint=complaint, by=w.handler, resolution="Stofschermen.")
    run_chase_until(clock, ams(2026, 8, 31, 10))
    assert chase_log(complaint=complaint) == [
        ("Tue 09-06-2026 10:00", "complaint_received", p["truus"], "sms"),
        ("Tue 16-06-2026 10:00", "reminder", p["anna"], "email"),
        ("Wed 17-06-2026 10:00", "complaint_acknowledged", p["truus"], "sms"),
        ("Wed 17-06-2026 10:00", "complaint_answered", p["truus"], "sms"),
    ]
    complaint.refresh_from_db()
    # Nobody asked for stage 2 within 20 working days: closed by the chase on 15-07.
    assert complaint.status == Complaint.Status.CLOSED
    assert complaint.closed_at == ams(2026, 7, 15, 10)
    assert complaint.timeline.filter(to_status="closed", actor=None).count() == 1


def test_a_rejected_claim_closes_when_the_objection_period_passes(chase_world, clock):
    w = chase_world
    claim = services.claim_report(dwelling=w.dwelling, by=w.supervisor, resident=w.resident)
    services.claim_start_assessment(claim=claim, by=w.handler)
    services.claim_reject(claim=claim, by=w.handler, reason="Geen verband met de werken")
    run_chase_until(clock, ams(2026, 12, 31, 10))
    claim.refresh_from_db()
    assert claim.status == DamageClaim.Status.REJECTED  # the decision stays readable
    assert claim.closed_at == ams(2026, 7, 21, 10)  # 30 working days
    assert (claim.next_chase_at, claim.is_open) == (None, False)
    assert not DamageClaim.objects.open().filter(pk=claim.pk).exists()
    assert [purpose for _, purpose, _, _ in chase_log(claim=claim)] == [
        "claim_received",
        "claim_decision",
    ]


def test_a_resident_who_wants_phone_calls_gets_no_text_but_staff_are_asked_to_call(
    chase_world, clock
):
    w = chase_world
    w.resident.contact_channel = "phone"
    w.resident.save()
    claim = services.claim_report(dwelling=w.dwelling, by=w.supervisor, resident=w.resident)
    run_chase_until(clock, ams(2026, 6, 24, 10))
    # Contact due Thu 11-06; reminders 11, 15, 17 (+ manager), 19, 23-06 (+ corporation).
    assert [e[1] for e in chase_log(claim=claim)] == [
        "reminder",
        "reminder",
        "reminder",
        "escalation",
        "reminder",
        "reminder",
        "escalation",
    ]
    notes = claim.timeline.filter(kind="call_due", data__call_resident__isnull=False)
    assert [n.data["purpose"] for n in notes.order_by("at")] == [
        "claim_received",
        "resident_update",
    ]


def test_settled_withdrawn_and_closed_cases_are_never_chased(chase_world, clock):
    w = chase_world
    past = ams(2026, 6, 1, 10)
    DamageClaim.objects.create(
        project=w.project, dwelling=w.dwelling, status="settled", next_chase_at=past
    )
    DamageClaim.objects.create(
        project=w.project, dwelling=w.dwelling, status="withdrawn", next_chase_at=past
    )
    DamageClaim.objects.create(
        project=w.project, dwelling=w.dwelling, status="rejected", next_chase_at=past,
        closed_at=past,
    )  # fmt: skip
    Complaint.objects.create(
        project=w.project, dwelling=w.dwelling, status="closed", next_chase_at=past
    )
    Promise.objects.create(
        project=w.project, dwelling=w.dwelling, status="done", next_chase_at=past
    )
    report = sweep(dispatch=False)
    assert report.tally.cases == 0 and report.adopted == 0
    assert not Notification.objects.exists()


def test_outside_office_hours_nothing_is_sent_and_the_case_waits_for_the_morning(
    chase_world, clock
):
    w = chase_world
    claim = services.claim_report(dwelling=w.dwelling, by=w.supervisor)
    # Data from elsewhere made it due on a Saturday night.
    DamageClaim.objects.filter(pk=claim.pk).update(next_chase_at=ams(2026, 6, 13, 1))
    clock.move_to(ams(2026, 6, 13, 23))
    report = sweep(dispatch=False)
    assert (report.tally.cases, report.tally.rescheduled, report.notifications) == (1, 1, 0)
    claim.refresh_from_db()
    assert claim.next_chase_at == ams(2026, 6, 15, 8)


def test_a_daylight_saving_weekend_sends_nothing_twice(chase_world, clock, people):
    w = chase_world
    clock.move_to(ams(2026, 10, 21, 10))  # Wednesday; DST ends Sunday 25-10
    claim = services.claim_report(dwelling=w.dwelling, by=w.supervisor)
    # Beat every 15 minutes (UTC) from Thursday to Tuesday, through the extra hour.
    moment = datetime.datetime(2026, 10, 22, 6, tzinfo=datetime.UTC)
    while moment < datetime.datetime(2026, 10, 27, 12, tzinfo=datetime.UTC):
        clock.move_to(moment)
        sweep(dispatch=False)
        moment += datetime.timedelta(minutes=15)
    assert chase_log(claim=claim) == [
        ("Fri 23-10-2026 10:00", "reminder", people["anna"], "email"),
        # Fri 10:00 CEST (08:00 UTC) + 2 working days = Tue 10:00 CET (09:00 UTC).
        ("Tue 27-10-2026 10:00", "reminder", people["anna"], "email"),
    ]


def test_an_unscheduled_open_case_is_picked_up(chase_world, clock):
    claim = DamageClaim.objects.create(
        project=chase_world.project, dwelling=chase_world.dwelling, next_chase_at=None
    )
    assert sweep(dispatch=False).adopted == 1
    claim.refresh_from_db()
    assert claim.next_chase_at is not None
    assert sweep(dispatch=False).tally.reminders == 1


def test_a_case_that_cannot_be_processed_is_pushed_an_hour_and_does_not_block(
    chase_world, clock, monkeypatch
):
    from cases import messages

    w = chase_world
    good = services.claim_report(dwelling=w.dwelling, by=w.supervisor)
    bad = services.claim_report(dwelling=w.dwelling, by=w.supervisor)
    real = messages.RENDERERS["reminder"]

    def broken_for_one(context):
        if context["number"] == bad.number:
            raise RuntimeError("template bug")
        return real(context)

    monkeypatch.setitem(messages.RENDERERS, "reminder", broken_for_one)
    clock.move_to(ams(2026, 6, 11, 10))
    report = sweep(dispatch=False)
    assert (report.tally.cases, report.errors, report.tally.reminders) == (2, 1, 1)
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.next_chase_at == ams(2026, 6, 11, 11)
    assert bad.reminders_sent == 0 and not bad.notifications.exists()
    assert good.reminders_sent == 1 and good.notifications.count() == 1
