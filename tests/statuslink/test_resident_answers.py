"""The resident answers on their status link: an offer, a repair date, an appointment.

Walked with time travel through the real services and the chase: who got what, when,
and what the timeline says; answering twice is harmless; a wrong, expired or other
resident's link sees and changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import DamageClaim, Notification, Promise, TimelineEvent
from cases.schedule import Party, step_plan
from cases.services import (
    CLAIM_TRANSITIONS,
    allowed_actions,
    claim_accept,
    claim_offer_compensation,
    claim_plan_repair,
    claim_start_assessment,
)
from projects.models import WorkWindow
from tests.cases.conftest import chase_log, run_chase_until

from .conftest import ams, report_claim, token_sent

pytestmark = pytest.mark.django_db
A = DamageClaim.Answer


def page(token: str) -> str:
    return reverse("status", args=[token])


def reply(client, token: str, answer: str, step, **extra):
    return client.post(
        reverse("status_reply", args=[token]), {"answer": answer, "step": step, **extra}
    )


def offered(world, amount: str = "150.00") -> DamageClaim:
    claim = report_claim(world)
    claim_start_assessment(claim=claim, by=world.handler)
    claim_accept(claim=claim, by=world.handler, reason="Onze schade")
    claim_offer_compensation(claim=claim, by=world.handler, amount=Decimal(amount))
    return claim


def test_offer_reminded_once_then_accepted_on_the_status_page(client, world, clock):
    clock.move_to(ams(2026, 6, 9, 10))  # Tuesday
    claim = offered(world)
    token = token_sent(claim)
    offer = Notification.objects.get(claim=claim, purpose="claim_compensation_offered")
    assert "€ 150,00" in offer.body and "Gaat u akkoord? Laat het ons weten vóór" in offer.body
    assert claim.awaits_resident_answer and step_plan(claim).awaited == Party.RESIDENT

    # Five working days of silence: one reminder to the resident, then she answers.
    run_chase_until(clock, ams(2026, 6, 17, 11))
    assert [row[1:3] for row in chase_log(claim=claim)][-2:] == [
        ("claim_compensation_offered", "resident:Truus"),
        ("resident_answer_reminder", "resident:Truus"),
    ]
    assert chase_log(claim=claim)[-1][0] == "Tue 16-06-2026 10:00"

    shown = client.get(page(token)).content.decode()
    assert "Gaat u akkoord?" in shown and "Ja, ik ga akkoord" in shown
    assert "We bieden u €\xa0150,00 voor de schade." in shown
    claim.refresh_from_db()
    response = reply(client, token, "yes", claim.step_seq)
    assert response.status_code == 303 and "done=reply-yes" in response["Location"]
    done = client.get(response["Location"]).content.decode()
    assert "We hebben uw antwoord ontvangen: u gaat akkoord." in done
    assert "Ja, ik ga akkoord" not in done  # the question is gone

    claim.refresh_from_db()
    assert claim.resident_answer == A.ACCEPTED and claim.status == "compensation_offered"
    assert claim.step_due_at == claim.settle_due_at  # the handler pays by the settle date
    assert step_plan(claim).awaited == Party.HANDLER
    event = TimelineEvent.objects.get(claim=claim, data__action="accept_offer")
    assert event.actor is None and event.by_resident
    told = Notification.objects.get(claim=claim, purpose="resident_answer")
    assert told.recipient_user == world.handler
    assert "De bewoner gaat akkoord met het aanbod" in told.body
    assert "mark_paid" in allowed_actions(claim, world.handler, CLAIM_TRANSITIONS)

    # The timeline in the office names the resident, not the chase.
    client.force_login(world.handler)
    office = client.get(reverse("office:case", args=["claim", claim.pk])).content.decode()
    assert "Bewoner accepteert het aanbod · de bewoner" in office or "· de bewoner" in office

    # Answering again (a second tap, an old tab): nothing changes, and it says so.
    again = reply(client, token, "no", claim.step_seq - 1, reason="Toch niet")
    assert again.status_code == 303 and "done=already" in again["Location"]
    assert "We hebben uw antwoord al ontvangen." in client.get(again["Location"]).content.decode()
    claim.refresh_from_db()
    assert claim.resident_answer == A.ACCEPTED
    assert TimelineEvent.objects.filter(claim=claim, data__by="resident").count() == 1


def test_declined_offer_goes_back_to_the_handler_with_the_reason(client, world, clock):
    claim = offered(world)
    token = token_sent(claim)
    seen_step = claim.step_seq
    response = reply(client, token, "no", seen_step, reason="Het parket kost € 300")
    assert "done=reply-no" in response["Location"]
    claim.refresh_from_db()
    assert claim.resident_answer == A.DECLINED
    assert claim.resident_answer_reason == "Het parket kost € 300"
    assert step_plan(claim).awaited == Party.HANDLER
    event = TimelineEvent.objects.get(claim=claim, data__action="decline_offer")
    assert event.text == "Het parket kost € 300" and event.by_resident
    told = Notification.objects.get(claim=claim, purpose="resident_answer")
    assert "Het parket kost € 300" in told.body and told.recipient_user == world.handler
    may = allowed_actions(claim, world.handler, CLAIM_TRANSITIONS)
    assert {"offer_compensation", "plan_repair"} <= set(may) and "mark_paid" not in may
    assert "nieuw voorstel" in client.get(page(token)).content.decode()

    # A new offer waits again; the answer from the old page does not answer it.
    claim_offer_compensation(claim=claim, by=world.handler, amount=Decimal("300"))
    assert claim.awaits_resident_answer
    assert "done=already" in reply(client, token, "yes", seen_step)["Location"]
    claim.refresh_from_db()
    assert claim.resident_answer == A.AWAITED


def test_repair_date_agreed_and_the_handler_then_confirms_the_repair(client, world, clock):
    claim = report_claim(world)
    claim_start_assessment(claim=claim, by=world.handler)
    claim_accept(claim=claim, by=world.handler)
    claim_plan_repair(claim=claim, by=world.handler, repair_date=datetime.date(2026, 6, 19))
    token = token_sent(claim)
    assert (
        "We willen de schade herstellen op 19-06-2026." in client.get(page(token)).content.decode()
    )
    reply(client, token, "yes", claim.step_seq)
    claim.refresh_from_db()
    assert claim.resident_answer == A.ACCEPTED
    assert claim.step_due_at == ams(2026, 6, 22, 8)  # the working morning after the repair


def test_form_errors_are_translated_and_keep_the_question(client, world, clock):
    claim = offered(world)
    token = token_sent(claim)
    bad = reply(client, token, "misschien", claim.step_seq)
    assert bad.status_code == 400
    assert "Kies ja of nee." in bad.content.decode()
    long = reply(client, token, "no", claim.step_seq, reason="x" * 1001)
    assert long.status_code == 400
    text = long.content.decode()
    assert "Schrijf hoogstens 1000 tekens." in text and "Ja, ik ga akkoord" in text
    english = reply(client, token, "maybe", claim.step_seq, lang="en")
    assert "Choose yes or no." in english.content.decode()
    claim.refresh_from_db()
    assert claim.resident_answer == A.AWAITED


def test_wrong_or_expired_links_see_nothing_and_cannot_answer(client, world, clock, settings):
    claim = offered(world)
    for token in ("A" * 43, "nope"):
        assert client.get(page(token)).status_code == 404
        refused = reply(client, token, "yes", claim.step_seq)
        assert refused.status_code == 404 and "150" not in refused.content.decode()
    token = token_sent(claim)
    DamageClaim.objects.filter(pk=claim.pk).update(status="withdrawn")
    clock.shift(datetime.timedelta(days=settings.STATUS_LINK_DAYS_AFTER_CLOSE + 1))
    assert reply(client, token, "yes", claim.step_seq).status_code == 404
    claim.refresh_from_db()
    assert claim.resident_answer == A.AWAITED


def test_one_residents_link_cannot_answer_another_residents_case(client, world, clock):
    mine = offered(world)
    theirs = report_claim(
        world,
        dwelling=world.other_dwelling,
        resident=world.other_resident,
        by=world.other_supervisor,
    )
    window = WorkWindow.objects.create(
        dwelling=world.dwelling,
        description="Keuken",
        starts_on=datetime.date(2026, 6, 15),
        ends_on=datetime.date(2026, 6, 16),
        needs_access=True,
    )
    their_token = token_sent(theirs)
    url = reverse("status_appointment", args=[their_token, window.pk])
    assert client.post(url, {"answer": "confirm"}).status_code == 404
    assert "Keuken" not in client.get(page(their_token)).content.decode()
    # Their link (a claim without an offer) cannot answer my offer either.
    reply(client, their_token, "yes", mine.step_seq)
    mine.refresh_from_db()
    window.refresh_from_db()
    assert mine.resident_answer == A.AWAITED and window.resident_answer == ""


def test_appointments_confirmed_or_asked_to_move_and_the_chase_follows(client, world, clock):
    claim = report_claim(world)
    token = token_sent(claim)
    kitchen = WorkWindow.objects.create(
        dwelling=world.dwelling,
        description="Keuken vervangen",
        starts_on=datetime.date(2026, 6, 15),
        ends_on=datetime.date(2026, 6, 17),
        needs_access=True,
    )
    roof = WorkWindow.objects.create(
        dwelling=world.dwelling,
        description="Dakisolatie",
        starts_on=datetime.date(2026, 6, 22),
        ends_on=datetime.date(2026, 6, 22),
        needs_access=True,
    )
    WorkWindow.objects.create(
        dwelling=world.dwelling,
        description="Steigerbouw",
        starts_on=datetime.date(2026, 6, 10),
        ends_on=datetime.date(2026, 6, 12),
    )
    shown = client.get(page(token)).content.decode()
    assert "Geplande werkzaamheden bij u thuis" in shown
    assert "Keuken vervangen" in shown and "Steigerbouw" in shown
    assert shown.count("Ja, dat past mij") == 2  # only where someone must come in

    url = reverse("status_appointment", args=[token, kitchen.pk])
    done = client.post(url, {"answer": "confirm"})
    assert "done=appointment-confirm" in done["Location"]
    assert "done=already" in client.post(url, {"answer": "move"})["Location"]
    kitchen.refresh_from_db()
    assert kitchen.resident_answer == WorkWindow.Answer.CONFIRMED
    confirmed = TimelineEvent.objects.get(data__work_window=kitchen.pk)
    assert confirmed.by_resident and confirmed.claim_id is None

    bad = client.post(
        reverse("status_appointment", args=[token, roof.pk]), {"answer": "", "note": "x"}
    )
    assert bad.status_code == 400 and "Kies of de datum u past." in bad.content.decode()
    client.post(
        reverse("status_appointment", args=[token, roof.pk]),
        {"answer": "move", "note": "Liever in de middag"},
    )
    promise = Promise.objects.get(dwelling=world.dwelling)
    assert promise.is_open and promise.resident == world.resident
    assert "Dakisolatie" in promise.description
    assert TimelineEvent.objects.get(promise=promise).by_resident
    asked = Notification.objects.get(promise=promise, purpose="appointment_move_asked")
    assert asked.recipient_user == world.handler and "Liever in de middag" in asked.body
    # Nobody handles the request: the chase reminds the handler on its due date.
    run_chase_until(clock, ams(2026, 6, 12, 9))
    assert ("promise", "reminder") in {
        ("promise", n.purpose) for n in Notification.objects.filter(promise=promise)
    }
    page_text = client.get(page(token)).content.decode()
    assert (
        "U hebt deze afspraak bevestigd." in page_text
        and "U vroeg om een andere datum" in page_text
    )


def test_the_status_page_needs_few_queries(client, world, clock, django_assert_max_num_queries):
    claim = offered(world)
    token = token_sent(claim)
    for day in range(5):
        WorkWindow.objects.create(
            dwelling=world.dwelling,
            description=f"Werk {day}",
            starts_on=datetime.date(2026, 6, 15 + day),
            ends_on=datetime.date(2026, 6, 15 + day),
            needs_access=True,
        )
    # The claim by its token, the complaint by its token (always both), the works.
    with django_assert_max_num_queries(3):
        response = client.get(page(token))
    assert response.content.decode().count("Ja, dat past mij") == 5


def test_erasing_the_resident_erases_what_she_wrote_in_her_answers(client, world, clock):
    from privacy.erase import ERASED, resident_erase

    claim = offered(world)
    token = token_sent(claim)
    reply(client, token, "no", claim.step_seq, reason="Bel mijn zoon Kees op 0612345678")
    window = WorkWindow.objects.create(
        dwelling=world.dwelling,
        description="Keuken",
        starts_on=datetime.date(2026, 6, 15),
        ends_on=datetime.date(2026, 6, 16),
        needs_access=True,
    )
    client.post(
        reverse("status_appointment", args=[token, window.pk]),
        {"answer": "move", "note": "Niet op dinsdag, dan ben ik bij de dokter"},
    )
    resident_erase(resident=world.resident, by=world.staff, requested_by="resident", reason="x")
    claim.refresh_from_db()
    window.refresh_from_db()
    assert claim.resident_answer_reason == ERASED and window.resident_answer_note == ERASED
    for event in TimelineEvent.objects.filter(claim=claim):
        assert "zoon" not in event.text
    assert TimelineEvent.objects.get(claim=claim, data__action="decline_offer").by_resident


def test_an_answer_given_on_the_phone_is_recorded_on_the_case_page(client, world, clock):
    claim = offered(world)
    client.force_login(world.manager)  # heard it on the phone: anyone on the project
    response = client.post(
        reverse("office:case_action", args=["claim", claim.pk, "decline_offer"]),
        {"decline_offer-reason": "Wil liever dat het parket hersteld wordt"},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.resident_answer == A.DECLINED
    event = TimelineEvent.objects.get(claim=claim, data__action="decline_offer")
    assert event.actor == world.manager and not event.by_resident
    # The handler is told, since someone else took the answer.
    assert Notification.objects.get(claim=claim, purpose="resident_answer").recipient_user == (
        world.handler
    )


def test_the_case_page_shows_the_residents_answer(client, world, clock):
    claim = offered(world)
    reply(client, token_sent(claim), "no", claim.step_seq, reason="Te weinig voor het parket")
    client.force_login(world.handler)
    page = client.get(reverse("office:case", args=["claim", claim.pk])).content.decode()
    assert "Antwoord van de bewoner" in page and "Door de bewoner afgewezen" in page
    assert "Te weinig voor het parket" in page
    assert "/do/offer_compensation/" in page and "/do/mark_paid/" not in page
