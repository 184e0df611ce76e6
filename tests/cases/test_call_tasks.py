"""Time travel: a resident without a phone number or e-mail address is called, never
"sent" a message, and the timeline says what really happened."""

from __future__ import annotations

import pytest

from cases import services
from cases.models import CallTask, Letter, Notification, TimelineEvent
from cases.sweep import sweep

from .conftest import ams, run_chase_until


def call_keys(claim) -> list[tuple[str, str]]:
    return list(
        CallTask.objects.filter(claim=claim)
        .order_by("created_at", "pk")
        .values_list("purpose", "key")
    )


def test_a_resident_without_phone_or_email_is_called_and_the_timeline_says_so(
    chase_world, clock, client
):
    w = chase_world
    w.resident.phone, w.resident.email = "", ""
    w.resident.save()
    claim = services.claim_report(
        dwelling=w.dwelling, by=w.supervisor, resident=w.resident, description="Vaas gebroken"
    )
    services.case_assign(case=claim, by=w.handler, handler=w.handler)

    # No message to the resident: a call for the handler, with the message's text.
    assert not Notification.objects.filter(claim=claim, recipient_resident__isnull=False)
    received = CallTask.objects.get(claim=claim)
    assert (received.purpose, received.assigned_to, received.resident) == (
        "claim_received",
        w.handler,
        w.resident,
    )
    assert received.key == f"claim-{claim.pk}/s1/claim_received/L0/resident-{w.resident.pk}/call"
    assert claim.number in received.body and "/s/" not in received.body

    # Ten working days without news: the update becomes a second call, exactly once,
    # however often the chase runs at that moment.
    run_chase_until(clock, ams(2026, 6, 24, 10))
    sweep(dispatch=False)
    sweep(dispatch=False)
    assert [purpose for purpose, _ in call_keys(claim)] == ["claim_received", "resident_update"]
    assert not Notification.objects.filter(claim=claim, recipient_resident__isnull=False)
    assert not claim.timeline.filter(kind=TimelineEvent.Kind.RESIDENT_INFORMED).exists()

    # The handler finds both under "Te bellen" and works the first: reached.
    client.force_login(w.handler)
    page = client.get("/office/calls/").content.decode()
    assert page.count(f'id="call-{received.pk}"') == 1
    assert "Te bellen" in page and "Wat u vertelt" in page
    response = client.post(
        f"/office/calls/{received.pk}/done/",
        {f"call-{received.pk}-outcome": "reached", f"call-{received.pk}-note": "Komt goed"},
    )
    assert response.status_code == 302
    received.refresh_from_db()
    assert (received.outcome, received.done_by, received.note) == (
        "reached",
        w.handler,
        "Komt goed",
    )
    assert f'id="call-{received.pk}"' not in client.get("/office/calls/").content.decode()

    # A second click changes nothing and says so.
    again = client.post(
        f"/office/calls/{received.pk}/done/", {f"call-{received.pk}-outcome": "not_reached"}
    )
    assert again.status_code == 409
    assert "al als gedaan gemarkeerd" in again.content.decode()
    assert claim.timeline.filter(kind=TimelineEvent.Kind.CALLED).count() == 1

    # The timeline: "te bellen" twice, then "gebeld, bereikt"; never "resident informed".
    kinds = list(claim.timeline.order_by("at", "id").values_list("kind", flat=True))
    assert kinds.count("call_due") == 2 and "resident_informed" not in kinds
    case_page = client.get(f"/office/claim/{claim.pk}/").content.decode()
    assert "Te bellen" in case_page
    assert "Gebeld" in case_page and "Bereikt. Komt goed" in case_page
    assert "Bewoner geïnformeerd" not in case_page


def test_not_reached_puts_the_call_on_the_next_working_days_list(chase_world, clock, client):
    w = chase_world
    w.resident.contact_channel = "phone"
    w.resident.save()
    clock.move_to(ams(2026, 6, 12, 16))  # a Friday afternoon
    claim = services.claim_report(dwelling=w.dwelling, by=w.supervisor, resident=w.resident)
    services.case_assign(case=claim, by=w.handler, handler=w.handler)
    task = CallTask.objects.get(claim=claim)
    client.force_login(w.handler)
    response = client.post(
        f"/office/calls/{task.pk}/done/",
        {
            f"call-{task.pk}-outcome": "not_reached",
            f"call-{task.pk}-note": "Voicemail",
            f"call-{task.pk}-again": "on",
            "from": "case",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#h-calls")
    retry = CallTask.objects.open().get(claim=claim)
    assert (retry.attempt, retry.due_at, retry.body) == (2, ams(2026, 6, 15, 8), task.body)
    assert retry.key == f"{task.key}/again-2"
    # Not on Friday's list; on Monday's.
    assert f'id="call-{retry.pk}"' not in client.get("/office/calls/").content.decode()
    clock.move_to(ams(2026, 6, 15, 9))
    client.logout()  # the weekend ended the office session
    client.force_login(w.handler)
    assert f'id="call-{retry.pk}"' in client.get("/office/calls/").content.decode()
    event = claim.timeline.get(kind=TimelineEvent.Kind.CALLED)
    assert event.text.startswith("Niet bereikt. Voicemail") and "15-06-2026" in event.text


def test_a_letter_resident_gets_a_letter_not_a_message(chase_world, clock):
    w = chase_world
    w.resident.contact_channel = "letter"
    w.resident.save()
    clock.move_to(ams(2026, 6, 12, 19))  # Friday evening: Monday's batch
    claim = services.claim_report(dwelling=w.dwelling, by=w.supervisor, resident=w.resident)
    assert not Notification.objects.filter(claim=claim, recipient_resident__isnull=False)
    assert not CallTask.objects.filter(claim=claim).exists()
    letter = Letter.objects.get(claim=claim)
    assert (letter.purpose, letter.due_on.isoformat()) == ("claim_received", "2026-06-15")
    assert claim.timeline.filter(kind=TimelineEvent.Kind.LETTER_DUE).count() == 1


def test_a_new_handler_takes_over_the_open_calls(chase_world, clock):
    w = chase_world
    w.resident.contact_channel = "phone"
    w.resident.save()
    claim = services.claim_report(dwelling=w.dwelling, by=w.supervisor, resident=w.resident)
    assert CallTask.objects.get(claim=claim).assigned_to is None
    services.case_assign(case=claim, by=w.manager, handler=w.manager)
    assert CallTask.objects.get(claim=claim).assigned_to == w.manager


@pytest.mark.parametrize("outcome", ["", "maybe"])
def test_an_outcome_must_be_given(chase_world, clock, outcome):
    from cases.services import InvalidInput, call_task_done

    w = chase_world
    w.resident.contact_channel = "phone"
    w.resident.save()
    claim = services.claim_report(dwelling=w.dwelling, by=w.supervisor, resident=w.resident)
    with pytest.raises(InvalidInput):
        call_task_done(task=CallTask.objects.get(claim=claim), by=w.handler, outcome=outcome)
