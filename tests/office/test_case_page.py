"""The case page: what it shows, only the allowed steps, each form's bad input, notes,
reassignment, and its query count."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.models import DamageClaim, TimelineEvent

from .conftest import claim, complaint, promise


def url(case, suffix: str = "") -> str:
    kind = {"S": "claim", "K": "complaint", "T": "promise"}[case.PREFIX]
    return f"/office/{kind}/{case.pk}/{suffix}"


def test_shows_the_case_and_offers_only_the_allowed_steps(client, world):
    c = claim(world, status=DamageClaim.Status.ASSESSING, description="Kras in de vloer")
    TimelineEvent.objects.create(
        dwelling=world.dwelling, claim=c, kind=TimelineEvent.Kind.REMINDER_SENT, text="herinnering"
    )
    client.force_login(world.handler)
    page = client.get(url(c))
    assert page.status_code == 200
    text = page.text
    assert "Kras in de vloer" in text and "Truus Jansen" in text and "Rijnstraat 12-A" in text
    assert "herinnering" in text
    for action in (
        "accept",
        "partly_accept",
        "reject",
        "ask_resident",
        "request_expert",
        "withdraw",
    ):
        assert f"/do/{action}/" in text
    for action in ("settle", "mark_paid", "start_assessment", "object"):
        assert f"/do/{action}/" not in text


def test_accept_with_compensation_then_settle(client, world):
    c = claim(world, status=DamageClaim.Status.ASSESSING, amount_claimed=200)
    client.force_login(world.handler)
    r = client.post(
        url(c, "do/accept/"), {"accept-reason": "Duidelijk", "accept-amount_offered": "150,50"}
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == "accepted" and str(c.amount_offered) == "150.50"
    r = client.post(url(c, "do/offer_compensation/"), {"offer_compensation-amount": "150,50"})
    assert r.status_code == 302
    r = client.post(url(c, "do/mark_paid/"), {"mark_paid-amount_paid": ""})
    assert r.status_code == 302
    r = client.post(url(c, "do/settle/"), {"settle-resident_accepted": "yes"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == "settled"
    page = client.get(url(c))
    assert "Afgehandeld" in page.text


@pytest.mark.parametrize(
    ("status", "action", "data", "message"),
    [
        ("compensation_offered", "mark_paid", {"mark_paid-amount_paid": "-5"}, "negatief"),
        ("accepted", "offer_compensation", {"offer_compensation-amount": "-10"}, "negatief"),
        ("accepted", "offer_compensation", {"offer_compensation-amount": "tien"}, "125,50"),
        ("accepted", "offer_compensation", {"offer_compensation-amount": ""}, "bedrag"),
        ("assessing", "accept", {"accept-amount_offered": "-1"}, "negatief"),
        ("assessing", "reject", {"reject-reason": "  "}, "afgewezen"),
        ("assessing", "partly_accept", {"partly_accept-reason": ""}, "reden"),
        ("accepted", "plan_repair", {"plan_repair-repair_date": "2020-01-01"}, "verleden"),
        ("accepted", "plan_repair", {"plan_repair-repair_date": "31-02-2099"}, "dd-mm-jjjj"),
        (
            "assessing",
            "request_expert",
            {"request_expert-expert_name": "X", "request_expert-expert_email": "nee"},
            "e-mailadres",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(
    client, world, status, action, data, message
):
    c = claim(world, status=status, amount_offered=100 if status != "assessing" else None)
    client.force_login(world.handler)
    r = client.post(url(c, f"do/{action}/"), data)
    assert r.status_code == 400
    assert message.lower() in r.text.lower()
    assert 'aria-invalid="true"' in r.text
    for value in data.values():
        if value.strip():
            assert f'value="{value}"' in r.text or f">{value}</textarea>" in r.text
    c.refresh_from_db()
    assert c.status == status


def test_a_step_that_is_no_longer_allowed_is_refused_with_a_message(client, world):
    c = claim(world, status=DamageClaim.Status.REPORTED)
    client.force_login(world.handler)
    r = client.post(url(c, "do/settle/"), {"settle-resident_accepted": "yes"})
    assert r.status_code == 409
    assert "niet mogelijk" in r.text
    c.refresh_from_db()
    assert c.status == "reported"


def test_service_refusal_is_shown_on_the_form(client, world):
    # Above the expert threshold, a decision needs the expert's report first.
    c = claim(world, status=DamageClaim.Status.ASSESSING, amount_claimed=20_000)
    client.force_login(world.handler)
    r = client.post(url(c, "do/accept/"), {"accept-reason": "ok"})
    assert r.status_code == 400
    assert "expert" in r.text.lower()


def test_complaint_and_promise_steps(client, world):
    k = complaint(world)
    p = promise(world)
    client.force_login(world.handler)
    assert client.post(url(k, "do/acknowledge/"), {}).status_code == 302
    r = client.post(url(k, "do/extend/"), {"extend-days": "0", "extend-reason": "drukte"})
    assert r.status_code == 400 and "minstens 1" in r.text
    assert client.post(url(k, "do/answer/"), {"answer-resolution": "Opgelost"}).status_code == 302
    k.refresh_from_db()
    assert k.status == "answered"
    r = client.post(url(p, "do/cancel/"), {"cancel-reason": ""})
    assert r.status_code == 400
    assert client.post(url(p, "do/done/"), {}).status_code == 302
    p.refresh_from_db()
    assert p.status == "done"


def test_note_and_reassign(client, world):
    c = claim(world, status=DamageClaim.Status.ASSESSING, handler=world.handler)
    client.force_login(world.handler)
    assert client.post(url(c, "note/"), {"note-text": ""}).status_code == 400
    assert client.post(url(c, "note/"), {"note-text": "Gebeld, niet thuis"}).status_code == 302
    assert TimelineEvent.objects.filter(claim=c, kind="note", text="Gebeld, niet thuis").exists()
    r = client.post(url(c, "assign/"), {"assign-handler": str(world.other_handler.pk)})
    assert r.status_code == 400  # not a handler on this project: not even a choice
    r = client.post(url(c, "assign/"), {"assign-handler": str(world.manager.pk)})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.handler == world.manager


def test_query_count_does_not_grow_with_the_timeline(client, world, django_assert_num_queries):
    c = claim(world, status=DamageClaim.Status.ASSESSING)
    client.force_login(world.handler)

    def count() -> None:
        # 1 session, 2 user, 3 the case with project, organisations, dwelling, resident,
        # handler and recorder, 4 handlers of the project (forms), 5 may see (allowed
        # steps), 6 is a decider, 7 photos, 8 call tasks with their callers, 9 letters,
        # 10 timeline with actors, 11 messages sent with their recipients
        with django_assert_num_queries(11):
            assert client.get(url(c)).status_code == 200

    # The first page stamps the session (idle clock) and notes the second factor.
    client.get(url(c))
    count()
    for i in range(20):
        TimelineEvent.objects.create(
            dwelling=world.dwelling, claim=c, kind="note", text=f"n{i}", actor=world.handler
        )
    client.post(f"/office/claim/{c.pk}/do/accept/", {"accept-reason": "ok"})
    assert c.notifications.exists()
    count()


def test_repair_date_today_is_fine(client, world):
    c = claim(world, status=DamageClaim.Status.ACCEPTED)
    client.force_login(world.handler)
    today = timezone.localdate() + datetime.timedelta(days=1)
    r = client.post(url(c, "do/plan_repair/"), {"plan_repair-repair_date": today.isoformat()})
    assert r.status_code == 302
