"""An appointment at home that the resident neither confirms nor moves is chased.

Walked with time travel: asked once by the resident's own channel (with the status link
she can answer on), the handlers reminded to call when she stays silent, the manager
after them; her answer on the link closes it; a resident who cannot be written to gets
a call or a letter instead, never a message that pretends.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases import appointments, tasks
from cases.appointments import ask_due, ask_to_confirm
from cases.messages.link import body_for_sending
from cases.models import CallTask, ChasePolicy, Letter, Notification, Promise, TimelineEvent
from cases.models.promises import Appointment
from projects.models import WorkWindow
from residents.models import Resident
from tests.cases.conftest import chase_log, run_chase_until

from .conftest import ams, report_claim, token_sent

pytestmark = pytest.mark.django_db
D = datetime.date


def kitchen(world, **fields) -> WorkWindow:
    values = {
        "dwelling": world.dwelling,
        "description": "Keuken vervangen",
        "starts_on": D(2026, 6, 22),  # a Monday
        "ends_on": D(2026, 6, 24),
        "needs_access": True,
    }
    values.update(fields)
    return WorkWindow.objects.create(**values)


def test_asked_once_five_working_days_before_then_the_handlers_then_the_manager(
    client, world, clock
):
    claim = report_claim(world)
    window = kitchen(world)
    # The Monday before is five working days before: not on Friday the 12th.
    clock.move_to(ams(2026, 6, 12, 16))
    assert ask_due().asked == 0
    clock.move_to(ams(2026, 6, 15, 7, 30))  # before the office opens
    assert ask_due().asked == 1
    assert ask_due().asked == 0  # once, whoever sweeps again

    promise = Promise.objects.get(work_window=window, appointment=Appointment.CONFIRM)
    assert promise.is_open and promise.resident == world.resident
    assert promise.due_on == D(2026, 6, 18)  # two working days before the works
    assert "Keuken vervangen" in promise.description and promise.created_by is None
    created = TimelineEvent.objects.get(promise=promise, kind=TimelineEvent.Kind.CREATED)
    assert created.data["appointment"] == "confirm_asked"

    # Asked on the claim whose status link she can answer on, by SMS, in office hours.
    asked = Notification.objects.get(purpose="appointment_confirm")
    assert asked.claim == claim and asked.recipient_resident == world.resident
    assert asked.channel == "sms" and asked.send_after == ams(2026, 6, 15, 8)
    body = body_for_sending(asked)
    assert f"/s/{token_sent(claim)}/" in body
    assert "22-06-2026 – 24-06-2026" in body and "Keuken vervangen" in body
    assert "Bevestig de afspraak of vraag een andere datum aan via de link" in body
    informed = TimelineEvent.objects.get(
        claim=claim, kind=TimelineEvent.Kind.RESIDENT_INFORMED, data__purpose="appointment_confirm"
    )
    assert informed.text == asked.subject

    # She stays silent: the handlers are reminded on the due date, the manager after.
    run_chase_until(clock, ams(2026, 6, 24, 12))
    log = chase_log(promise=promise)
    assert log[0][:3] == ("Thu 18-06-2026 08:00", "reminder", world.handler.email)
    assert ("escalation", world.manager.email) in {(row[1], row[2]) for row in log}
    reminder = Notification.objects.filter(promise=promise, purpose="reminder").first()
    # The office handles it: the link opens the promise's office page for the handler.
    link = f"https://woonrust.example.nl/office/promise/{promise.pk}/"
    assert link in reminder.body
    client.force_login(world.handler)
    assert "Keuken vervangen" in client.get(link).content.decode()
    client.logout()
    # The resident's page still asks her: the link keeps working until she answers.
    assert (
        "Ja, dat past mij"
        in client.get(reverse("status", args=[token_sent(claim)])).content.decode()
    )


def test_her_answer_on_the_link_closes_it_and_the_chase_stops(client, world, clock):
    claim = report_claim(world)
    window = kitchen(world)
    clock.move_to(ams(2026, 6, 15, 10))
    ask_due()
    promise = Promise.objects.get(work_window=window)
    token = token_sent(claim)

    response = client.post(
        reverse("status_appointment", args=[token, window.pk]), {"answer": "confirm"}
    )
    assert "done=appointment-confirm" in response["Location"]
    promise.refresh_from_db()
    assert promise.status == Promise.Status.DONE and promise.next_chase_at is None
    closed = TimelineEvent.objects.get(promise=promise, to_status="done")
    assert closed.by_resident and closed.text == "De bewoner heeft de afspraak bevestigd."
    run_chase_until(clock, ams(2026, 6, 24, 12))
    assert not Notification.objects.filter(promise=promise).exists()
    assert ask_due().asked == 0  # answered: never asked again


def test_asking_for_another_date_closes_it_and_opens_the_request(client, world, clock):
    claim = report_claim(world)
    window = kitchen(world)
    clock.move_to(ams(2026, 6, 15, 10))
    ask_due()
    client.post(
        reverse("status_appointment", args=[token_sent(claim), window.pk]),
        {"answer": "move", "note": "Liever de week erna"},
    )
    confirm = Promise.objects.get(work_window=window, appointment=Appointment.CONFIRM)
    move = Promise.objects.get(work_window=window, appointment=Appointment.MOVE)
    assert confirm.status == Promise.Status.DONE and move.is_open
    assert TimelineEvent.objects.get(promise=confirm, to_status="done").text == (
        "De bewoner vraagt om een andere datum."
    )


def test_a_resident_without_a_case_is_asked_to_call_and_one_without_channel_is_called(world, clock):
    clock.move_to(ams(2026, 6, 15, 10))
    # Truus has no claim or complaint: no link to answer on, so the message says call.
    kitchen(world)
    # Henk wants a call: a call task for the handlers, not a message.
    Resident.objects.filter(pk=world.other_resident.pk).update(
        contact_channel=Resident.Channel.PHONE, phone="020 1234567"
    )
    kitchen(world, dwelling=world.other_dwelling, description="Badkamer")
    assert ask_due().asked == 2

    to_truus = Notification.objects.get(purpose="appointment_confirm")
    assert to_truus.recipient_resident == world.resident and to_truus.promise_id is not None
    body = body_for_sending(to_truus)
    assert "/s/" not in body and "Bel ons om de afspraak te bevestigen" in body

    call = CallTask.objects.get(purpose="appointment_confirm")
    assert call.resident == world.other_resident and "Badkamer" in call.body
    henks = Promise.objects.get(dwelling=world.other_dwelling)
    assert TimelineEvent.objects.filter(promise=henks, kind=TimelineEvent.Kind.CALL_DUE).exists()
    assert not Notification.objects.filter(recipient_resident=world.other_resident).exists()


def test_a_resident_who_wants_letters_gets_a_letter(world, clock):
    clock.move_to(ams(2026, 6, 15, 10))
    Resident.objects.filter(pk=world.resident.pk).update(contact_channel=Resident.Channel.LETTER)
    kitchen(world)
    ask_due()
    letter = Letter.objects.get(purpose="appointment_confirm")
    assert letter.resident == world.resident and "Keuken vervangen" in letter.body
    assert not Notification.objects.filter(purpose="appointment_confirm").exists()


def test_what_is_never_asked(world, clock):
    clock.move_to(ams(2026, 6, 15, 10))
    kitchen(world, description="al bevestigd", resident_answer=WorkWindow.Answer.CONFIRMED)
    kitchen(world, description="steiger", needs_access=False)
    kitchen(world, description="vandaag", starts_on=D(2026, 6, 15), ends_on=D(2026, 6, 15))
    kitchen(world, description="voorbij", starts_on=D(2026, 6, 1), ends_on=D(2026, 6, 2))
    kitchen(world, description="later", starts_on=D(2026, 6, 29), ends_on=D(2026, 6, 29))
    assert ask_due().asked == 0
    assert not Promise.objects.exists()


def test_late_planned_works_are_asked_at_once_and_due_today(world, clock):
    clock.move_to(ams(2026, 6, 15, 10))
    window = kitchen(world, starts_on=D(2026, 6, 16), ends_on=D(2026, 6, 16))
    assert ask_due().asked == 1
    assert Promise.objects.get(work_window=window).due_on == D(2026, 6, 15)


def test_the_projects_policy_sets_the_day(world, clock):
    ChasePolicy.objects.create(project=world.project, appointment_confirm_days=10)
    kitchen(world)
    clock.move_to(ams(2026, 6, 8, 10))  # ten working days before the 22nd
    assert ask_due().asked == 1


def test_a_second_sweep_with_an_old_list_asks_nothing_and_the_table_refuses_twins(world, clock):
    clock.move_to(ams(2026, 6, 15, 10))
    window = kitchen(world)
    stale = list(appointments.unanswered(D(2026, 6, 15)))
    assert ask_due().asked == 1
    policy = ChasePolicy.for_project(world.project)
    assert ask_to_confirm(stale[0], policy, ams(2026, 6, 15, 10)) is False
    assert Promise.objects.filter(work_window=window).count() == 1
    assert Notification.objects.filter(purpose="appointment_confirm").count() == 1
    twin = Promise.objects.get(work_window=window)
    twin.pk = None
    twin._state.adding = True
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save(force_insert=True)


def test_the_beat_sweep_asks(world, clock):
    clock.move_to(ams(2026, 6, 15, 10))
    kitchen(world)
    assert "1 appointments asked to confirm" in tasks.sweep.run()
    assert Promise.objects.filter(appointment=Appointment.CONFIRM).count() == 1


def test_an_office_open_around_the_clock(client, world, clock):
    ChasePolicy.objects.create(project=world.project, office_opens_hour=0, office_closes_hour=24)
    window = kitchen(world)
    clock.move_to(ams(2026, 6, 15, 23, 30))
    assert ask_due().asked == 1
    promise = Promise.objects.get(work_window=window)
    assert promise.step_due_at == ams(2026, 6, 19, 0, 0)  # the end of Thursday the 18th
    assert Notification.objects.get(purpose="appointment_confirm").send_after == ams(
        2026, 6, 15, 23, 30
    )
    run_chase_until(clock, ams(2026, 6, 19, 1))
    assert Notification.objects.filter(promise=promise, purpose="reminder").exists()
