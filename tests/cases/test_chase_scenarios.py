"""Time travel: claims walked from report to settlement while the chase runs.

`run_chase_until` plays the beat job: it jumps to every moment a case falls due and
sweeps there (and a minute before, to prove nothing goes out early). Each scenario then
compares every message written — what, to whom, when — with the full expected list.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from cases import services
from cases.models import Notification

from .conftest import ams, chase_log, run_chase_until


def test_a_claim_across_kings_day_ascension_and_whitsun(chase_world, clock, people):
    w, p = chase_world, people
    clock.move_to(ams(2026, 4, 24, 10))  # Friday; Monday 27 April is King's Day
    claim = services.claim_report(
        dwelling=w.dwelling, by=w.supervisor, resident=w.resident, description="Vaas gebroken"
    )
    run_chase_until(clock, ams(2026, 5, 12, 9))
    services.claim_start_assessment(claim=claim, by=w.handler)
    run_chase_until(clock, ams(2026, 5, 18, 11))
    services.claim_ask_resident(claim=claim, by=w.handler, question="Heeft u een foto?")
    run_chase_until(clock, ams(2026, 5, 21, 14))
    services.claim_resident_answered(claim=claim, by=w.handler)
    run_chase_until(clock, ams(2026, 5, 27, 10))
    services.claim_accept(claim=claim, by=w.handler)
    run_chase_until(clock, ams(2026, 5, 28, 10))
    services.claim_plan_repair(claim=claim, by=w.handler, repair_date=datetime.date(2026, 6, 2))
    run_chase_until(clock, ams(2026, 5, 29, 12))
    # The resident agrees to the date on their status link.
    services.claim_resident_answer(claim=claim, by=None, accepted=True, step_seq=claim.step_seq)
    run_chase_until(clock, ams(2026, 6, 3, 15))
    services.claim_mark_repaired(claim=claim, by=w.supervisor)
    run_chase_until(clock, ams(2026, 6, 4, 9))
    services.claim_settle(claim=claim, by=w.handler)
    run_chase_until(clock, ams(2026, 12, 31, 12))  # settled: never chased again

    assert chase_log(claim=claim) == [
        ("Fri 24-04-2026 10:00", "claim_received", p["truus"], "sms"),
        # Contact due Wed 29-04 (King's Day skipped); reminders every 2 working days.
        ("Wed 29-04-2026 10:00", "reminder", p["anna"], "email"),
        ("Fri 01-05-2026 10:00", "reminder", p["anna"], "email"),
        # Two reminders missed: the project manager is told.
        ("Tue 05-05-2026 10:00", "reminder", p["anna"], "email"),
        ("Tue 05-05-2026 10:00", "escalation", p["kees"], "email"),
        ("Thu 07-05-2026 10:00", "reminder", p["anna"], "email"),
        # Four missed: the corporation. Ten working days without news: the resident.
        ("Mon 11-05-2026 10:00", "reminder", p["anna"], "email"),
        ("Mon 11-05-2026 10:00", "escalation", p["corp"], "email"),
        ("Mon 11-05-2026 10:00", "resident_update", p["truus"], "sms"),
        # Assessment from Tue 12-05: decision due Wed 20-05 (Ascension skipped) ...
        ("Mon 18-05-2026 11:00", "claim_question", p["truus"], "sms"),
        # ... but the handler's clock pauses while the resident is asked.
        ("Wed 20-05-2026 11:00", "resident_reminder", p["truus"], "sms"),
        # Answered Thu 21-05 after 3 working days: 20-05 09:00 + 3 (Whit Monday skipped).
        ("Tue 26-05-2026 09:00", "reminder", p["anna"], "email"),
        ("Wed 27-05-2026 10:00", "claim_decision", p["truus"], "sms"),
        ("Thu 28-05-2026 10:00", "claim_repair_planned", p["truus"], "sms"),
        ("Fri 29-05-2026 12:00", "resident_answer", p["anna"], "email"),
        # Repair on Tue 02-06: confirm it the next working morning.
        ("Wed 03-06-2026 08:00", "reminder", p["anna"], "email"),
        ("Thu 04-06-2026 09:00", "claim_settled", p["truus"], "sms"),
    ]
    claim.refresh_from_db()
    assert claim.next_chase_at is None
    assert all(n.send_after == n.created_at for n in Notification.objects.filter(claim=claim)), (
        "everything happened within office hours"
    )


def test_a_claim_across_christmas_and_new_year(chase_world, clock, people):
    w, p = chase_world, people
    w.resident.email, w.resident.contact_channel = "truus@example.nl", "email"
    w.resident.save()
    clock.move_to(ams(2026, 12, 21, 15))
    claim = services.claim_report(dwelling=w.dwelling, by=w.supervisor, resident=w.resident)
    run_chase_until(clock, ams(2026, 12, 23, 9))
    services.claim_start_assessment(claim=claim, by=w.handler)
    run_chase_until(clock, ams(2027, 1, 7, 20, 30))
    services.claim_accept(claim=claim, by=w.handler, reason="Duidelijk onze schade")
    run_chase_until(clock, ams(2027, 1, 8, 10))
    services.claim_offer_compensation(claim=claim, by=w.handler, amount=Decimal("150.00"))
    run_chase_until(clock, ams(2027, 1, 18, 9, 30))
    services.claim_resident_answer(claim=claim, by=None, accepted=True, step_seq=claim.step_seq)
    run_chase_until(clock, ams(2027, 1, 18, 10))
    services.claim_mark_paid(claim=claim, by=w.handler)
    run_chase_until(clock, ams(2027, 2, 8, 9))
    services.claim_settle(claim=claim, by=w.handler)
    run_chase_until(clock, ams(2027, 4, 30, 12))

    assert chase_log(claim=claim) == [
        ("Mon 21-12-2026 15:00", "claim_received", p["truus"], "email"),
        # Assessment from Wed 23-12: 5 working days skip Christmas -> Thu 31-12.
        ("Thu 31-12-2026 09:00", "reminder", p["anna"], "email"),
        # New Year's Day and the weekend are skipped.
        ("Tue 05-01-2027 09:00", "reminder", p["anna"], "email"),
        # Ten working days after the report, nothing new for the resident.
        ("Wed 06-01-2027 15:00", "resident_update", p["truus"], "email"),
        ("Thu 07-01-2027 09:00", "reminder", p["anna"], "email"),
        ("Thu 07-01-2027 09:00", "escalation", p["kees"], "email"),
        # Decided in the evening: written at once, sent the next working morning.
        ("Thu 07-01-2027 20:30", "claim_decision", p["truus"], "email"),
        ("Fri 08-01-2027 10:00", "claim_compensation_offered", p["truus"], "email"),
        # No answer within 5 working days: the resident is reminded once, then accepts.
        ("Fri 15-01-2027 10:00", "resident_answer_reminder", p["truus"], "email"),
        ("Mon 18-01-2027 09:30", "resident_answer", p["anna"], "email"),
        ("Mon 18-01-2027 10:00", "claim_paid", p["truus"], "email"),
        ("Mon 01-02-2027 10:00", "resident_update", p["truus"], "email"),
        # Settle deadline: 20 working days from Fri 08-01 08:00 (the decision's morning).
        ("Fri 05-02-2027 08:00", "reminder", p["anna"], "email"),
        ("Mon 08-02-2027 09:00", "claim_settled", p["truus"], "email"),
    ]
    decision = Notification.objects.get(claim=claim, purpose="claim_decision")
    assert decision.send_after == ams(2027, 1, 8, 8)
