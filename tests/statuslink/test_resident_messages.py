"""Messages to the resident at each step that matters, exactly once, in their language,
each with their status link; progress updates only while they want them."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

import pytest

from cases.messages.link import body_for_sending
from cases.models import Notification
from cases.services import (
    claim_accept,
    claim_mark_paid,
    claim_mark_repaired,
    claim_offer_compensation,
    claim_plan_repair,
    claim_settle,
    claim_start_assessment,
)
from cases.sweep import sweep
from tests.cases.conftest import run_chase_until

from .conftest import ams, report_claim, token_sent

pytestmark = pytest.mark.django_db


def resident_messages(claim) -> list[Notification]:
    return list(
        Notification.objects.filter(claim=claim, recipient_resident__isnull=False).order_by("id")
    )


def walk_to_settled(world, claim, clock, *, repair: bool) -> None:
    claim_start_assessment(claim=claim, by=world.handler)
    clock.shift(datetime.timedelta(days=1))
    claim_accept(claim=claim, by=world.handler, reason="Schade door de werkzaamheden")
    clock.shift(datetime.timedelta(days=1))
    if repair:
        claim_plan_repair(claim=claim, by=world.handler, repair_date=datetime.date(2026, 6, 16))
        clock.move_to(ams(2026, 6, 17, 10))
        claim_mark_repaired(claim=claim, by=world.supervisor)
    else:
        claim_offer_compensation(claim=claim, by=world.handler, amount=Decimal("125.50"))
        clock.shift(datetime.timedelta(days=1))
        claim_mark_paid(claim=claim, by=world.handler)
    clock.shift(datetime.timedelta(hours=2))
    claim_settle(claim=claim, by=world.handler)


def test_each_step_once_with_the_link_in_dutch(world, clock):
    claim = report_claim(world)
    token = token_sent(claim)
    walk_to_settled(world, claim, clock, repair=True)
    # Sweeps, retries and a second worker write nothing new for steps already told.
    for _ in range(3):
        sweep(dispatch=False)
    messages = resident_messages(claim)
    assert [m.purpose for m in messages] == [
        "claim_received",
        "claim_decision",
        "claim_repair_planned",
        "claim_settled",
    ]
    assert len({m.key for m in messages}) == len(messages)
    for message in messages:
        assert message.language == "nl" and message.channel == "sms"
        assert f"https://woonrust.example.nl/s/{token}/" in body_for_sending(message)
    assert "Hier ziet u hoe het ervoor staat:" in messages[0].body
    settled = body_for_sending(messages[-1])
    assert "Hoe tevreden bent u over hoe wij uw schademelding hebben behandeld?" in settled
    assert settled.count(token) == 1


def test_paid_path_in_english_by_e_mail(world, clock):
    world.resident.language = "en"
    world.resident.contact_channel = "email"
    world.resident.email = "truus@example.nl"
    world.resident.save()
    claim = report_claim(world)
    token = token_sent(claim)
    walk_to_settled(world, claim, clock, repair=False)
    messages = resident_messages(claim)
    assert [m.purpose for m in messages] == [
        "claim_received",
        "claim_decision",
        "claim_compensation_offered",
        "claim_paid",
        "claim_settled",
    ]
    for message in messages:
        assert message.language == "en" and message.channel == "email"
        assert f"/s/{token}/" in body_for_sending(message)
    assert "See how it stands:" in messages[0].body
    assert "How satisfied are you with how your claim was handled?" in messages[-1].body


def test_we_have_not_forgotten_you_updates_carry_the_link_once_each(world, clock):
    claim = report_claim(world)
    token = token_sent(claim)
    claim_start_assessment(claim=claim, by=world.handler)
    run_chase_until(clock, ams(2026, 8, 31, 18))
    updates = [m for m in resident_messages(claim) if m.purpose == "resident_update"]
    assert updates, "the chase keeps the resident informed"
    for update in updates:
        sent = body_for_sending(update)
        assert "We zijn uw schademelding" in sent or "niet vergeten" in sent
        assert f"/s/{token}/" in sent
    # Running the same sweeps again (a retry, a second worker) adds nothing.
    before = Counter(m.key for m in resident_messages(claim))
    sweep(dispatch=False)
    assert Counter(m.key for m in resident_messages(claim)) == before
    assert max(before.values()) == 1


def test_no_updates_after_opting_out_but_decisions_still_come(client, world, clock):
    claim = report_claim(world)
    token = token_sent(claim)
    claim_start_assessment(claim=claim, by=world.handler)
    response = client.post(f"/s/{token}/updates/", {"updates": "off", "lang": "nl"})
    assert response.status_code == 303
    assert "done=updates-off" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "U krijgt geen tussentijdse berichten meer." in page
    assert "Wel weer tussentijdse berichten" in page
    run_chase_until(clock, ams(2026, 8, 31, 18))
    purposes = [m.purpose for m in resident_messages(claim)]
    assert "resident_update" not in purposes
    claim_accept(claim=claim, by=world.handler)
    assert resident_messages(claim)[-1].purpose == "claim_decision"
    # And back in.
    client.post(f"/s/{token}/updates/", {"updates": "on"})
    world.resident.refresh_from_db()
    assert world.resident.non_essential_messages is True


def test_staff_messages_never_carry_the_link(world, clock):
    claim = report_claim(world, resident=world.resident)
    token = token_sent(claim)
    claim_start_assessment(claim=claim, by=world.handler)
    run_chase_until(clock, ams(2026, 7, 31, 18))
    staff = Notification.objects.filter(claim=claim, recipient_user__isnull=False)
    assert staff.exists()
    assert not any(token in body_for_sending(m) for m in staff)


def test_a_resident_without_a_written_channel_gets_a_call_note_without_the_link(world, clock):
    world.resident.contact_channel = "phone"
    world.resident.save()
    claim = report_claim(world)
    assert not resident_messages(claim)
    claim.refresh_from_db()
    assert claim.status_token  # the link exists; staff can send it by reissuing
    note = claim.timeline.get(kind="call_due")
    assert "/s/" not in note.text
    assert "/s/" not in claim.calltasks.get().body
