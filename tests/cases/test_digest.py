"""The morning digest, with time travel: a handler on the digest gets no reminder of
their own but one message on the working morning with each due case once and its link,
written once however often the digest runs; escalations still come at once."""

from __future__ import annotations

import datetime

from django.core import mail

from accounts.models import User
from cases import services
from cases.digest import NOTHING_DUE, digest_key, send_digests
from cases.models import Notification, TimelineEvent
from cases.tasks import deliver_notifications, morning_digest
from tests.conftest import make_user

from .conftest import ams, make_claim, run_chase_until

SITE = "https://woonrust.example.nl"


def test_a_handler_on_the_digest_gets_one_morning_message_with_each_due_case(
    chase_world, clock, settings
):
    settings.SITE_URL = SITE
    w = chase_world
    anna, kees = w.handler, w.manager
    anna.email_delivery = ""  # her role's default: the morning digest
    anna.save(update_fields=["email_delivery"])
    kees.email_delivery = User.Delivery.DIGEST  # a manager who chose the digest
    kees.save(update_fields=["email_delivery"])
    assert anna.delivery("email") == "digest"

    # Tuesday 9 June 10:00: a claim (contact due Thu 11-06) and a complaint
    # (acknowledgement due Tue 16-06), both unassigned: the project's handler is reminded.
    claim = services.claim_report(dwelling=w.dwelling, by=w.supervisor, resident=w.resident)
    complaint = services.complaint_record(
        dwelling=w.dwelling, by=w.supervisor, resident=w.resident, description="Stof"
    )
    # Someone else's claim, overdue too: not Anna's work.
    other = make_user("tweede@woonstede.nl", w.corporation, User.Role.HANDLER)
    foreign = make_claim(w, handler=other, step_due_at=ams(2026, 6, 8, 10))

    run_chase_until(clock, ams(2026, 6, 17, 10, 30))

    # The chase reminded Anna three times about the claim and once about the complaint,
    # but wrote her no message: the reminders are in her digest.
    assert not Notification.objects.filter(recipient_user=anna, purpose="reminder").exists()
    reminders = TimelineEvent.objects.filter(claim=claim, kind=TimelineEvent.Kind.REMINDER_SENT)
    assert reminders.count() == 3
    assert all("in het ochtendoverzicht" in e.text for e in reminders)
    assert all(e.data["digest"] == [f"user-{anna.pk}/email"] for e in reminders)
    # Two reminders missed: the manager is told at once, on digest or not.
    [escalation] = Notification.objects.filter(claim=claim, purpose="escalation")
    assert escalation.recipient_user == kees
    assert escalation.created_at == ams(2026, 6, 17, 10)
    assert escalation.send_after == escalation.created_at

    # Before opening on Thursday morning: no digest yet.
    clock.move_to(ams(2026, 6, 18, 7, 59))
    assert send_digests(dispatch=False).day is None
    assert not Notification.objects.filter(purpose="digest").exists()

    # 08:00: the digest, however often beat and the workers run it.
    clock.move_to(ams(2026, 6, 18, 8))
    send_digests(dispatch=False)
    send_digests(dispatch=False)
    morning_digest()
    day = datetime.date(2026, 6, 18)
    [digest] = Notification.objects.filter(recipient_user=anna, purpose="digest")
    assert digest.key == digest_key(anna, "email", day)
    assert digest.status == "pending" and digest.channel == "email"
    body = digest.body
    for case, kind in ((claim, "claim"), (complaint, "complaint")):
        assert body.count(case.number) == 1, body
        assert body.count(f"{SITE}/office/{kind}/{case.pk}/") == 1, body
    assert foreign.number not in body
    assert "Rivierenbuurt" in body
    # Most delayed first: the claim was due a week ago, the complaint two days ago.
    assert body.index(claim.number) < body.index(complaint.number)
    assert f"{SITE}/office/mine/" in body
    assert "5 werkdagen te laat" in body  # Anna reads Dutch

    # The manager on the digest: his escalation came at once and is in his digest too.
    [kees_digest] = Notification.objects.filter(recipient_user=kees, purpose="digest")
    assert claim.number in kees_digest.body

    # Delivered once, even when the delivery task runs twice.
    deliver_notifications([digest.pk])
    deliver_notifications([digest.pk])
    to_anna = [m for m in mail.outbox if m.to == [anna.email]]
    assert len(to_anna) == 1
    assert claim.number in to_anna[0].body

    # Saturday: no digest. Monday: the next one.
    clock.move_to(ams(2026, 6, 20, 9))
    assert send_digests(dispatch=False).day is None
    clock.move_to(ams(2026, 6, 22, 8, 1))
    send_digests(dispatch=False)
    assert Notification.objects.filter(recipient_user=anna, purpose="digest").count() == 2


def test_nobody_on_the_digest_with_nothing_due_is_written_a_message(chase_world, clock):
    w = chase_world
    w.handler.email_delivery = ""
    w.handler.save(update_fields=["email_delivery"])
    report = send_digests(dispatch=False)
    assert (report.written, report.empty) == (0, 1)
    note = Notification.objects.get(recipient_user=w.handler, purpose="digest")
    assert (note.status, note.provider_answer) == ("cancelled", NOTHING_DUE)
    # The day is done for her: the next run writes nothing.
    again = send_digests(dispatch=False)
    assert (again.written, again.empty, again.already) == (0, 0, 1)


def test_a_supervisor_on_the_digest_by_text_message_is_sent_to_the_promise_list(
    chase_world, clock, settings
):
    settings.SITE_URL = SITE
    w = chase_world
    piet = w.supervisor
    piet.phone, piet.sms_delivery = "06 11112222", User.Delivery.DIGEST
    piet.save(update_fields=["phone", "sms_delivery"])
    promise = services.promise_record(
        dwelling=w.dwelling, by=piet, description="Deurbel", due_on=datetime.date(2026, 6, 9)
    )
    run_chase_until(clock, ams(2026, 6, 9, 11))
    # His e-mail stays immediate: the promise reminder went to him at once, by e-mail
    # only (his text messages are the digest's).
    reminders = Notification.objects.filter(promise=promise, purpose="reminder")
    assert set(reminders.values_list("channel", flat=True)) == {"email"}
    report = send_digests(dispatch=False)
    assert report.written == 1
    note = Notification.objects.get(recipient_user=piet, purpose="digest")
    assert note.channel == "sms" and note.to == "06 11112222"
    assert f"{SITE}/m/promises/" in note.body
    assert "1 zaak" in note.body


def test_a_digest_held_up_past_its_day_is_not_sent_beside_the_next(chase_world, clock):
    w = chase_world
    w.handler.email_delivery = ""
    w.handler.save(update_fields=["email_delivery"])
    make_claim(w, handler=w.handler, step_due_at=ams(2026, 6, 8, 10))
    send_digests(dispatch=False)
    note = Notification.objects.get(purpose="digest")
    clock.move_to(ams(2026, 6, 10, 9))  # the mail worker was down until the next morning
    deliver_notifications([note.pk])
    note.refresh_from_db()
    assert note.status == "cancelled" and "earlier day" in note.provider_answer
    assert not mail.outbox


def test_escalations_to_managers_link_to_the_case(chase_world, clock, settings):
    settings.SITE_URL = SITE
    w = chase_world
    claim = services.claim_report(dwelling=w.dwelling, by=w.supervisor, resident=w.resident)
    run_chase_until(clock, ams(2026, 6, 23, 10, 30))
    staff_notes = Notification.objects.filter(
        claim=claim, purpose__in=["reminder", "escalation"]
    ).select_related("recipient_user")
    assert {n.purpose for n in staff_notes} == {"reminder", "escalation"}
    for note in staff_notes:
        assert f"{SITE}/office/claim/{claim.pk}/" in note.body, note.body


def test_a_handler_who_chose_text_messages_gets_reminders_by_both(chase_world, clock, settings):
    settings.SITE_URL = SITE
    w = chase_world
    anna = w.handler
    anna.phone, anna.sms_delivery = "06 33334444", User.Delivery.IMMEDIATE
    anna.save(update_fields=["phone", "sms_delivery"])
    claim = services.claim_report(dwelling=w.dwelling, by=w.supervisor, resident=w.resident)
    run_chase_until(clock, ams(2026, 6, 11, 10, 30))
    reminders = Notification.objects.filter(claim=claim, purpose="reminder", recipient_user=anna)
    assert sorted(reminders.values_list("channel", flat=True)) == ["email", "sms"]
    sms = reminders.get(channel="sms")
    assert sms.to == "06 33334444" and f"{SITE}/office/claim/{claim.pk}/" in sms.body
    event = TimelineEvent.objects.get(claim=claim, kind=TimelineEvent.Kind.REMINDER_SENT)
    assert event.text.count("Anna Bakker") == 1 and event.data["to"] == [f"user-{anna.pk}"]
    # Other news to staff stays e-mail: the resident's own text is not sent by SMS.
    services.claim_start_assessment(claim=claim, by=anna)
    services.claim_ask_resident(claim=claim, by=anna, question="Foto?")
    services.claim_resident_answered(claim=claim, by=None, note="Hier is de foto")
    replied = Notification.objects.filter(claim=claim, purpose="resident_replied")
    assert set(replied.values_list("channel", flat=True)) == {"email"}
