"""The four forms: quick with defaults, clear Dutch messages next to the field that keep
what was typed, a 4xx (never a 500) for bad input, and each submission id accepted once."""

from __future__ import annotations

import datetime
import re
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases.models import Complaint, DamageClaim, Promise, TimelineEvent
from residents.models import Resident, Visit

KINDS = {
    "visit": (Visit, {}),
    "promise": (Promise, {"description": "Deurstopper vervangen", "due": "tomorrow"}),
    "complaint": (Complaint, {"description": "Geluid na 18 uur", "category": "noise"}),
    "claim": (DamageClaim, {"damage_kind": "floor", "room": "kitchen"}),
}
DEFAULTS = {
    "visit": {"kind": "round", "outcome": "spoken", "mood": ""},
    "promise": {},
    "complaint": {},
    "claim": {"damage_kind": "other", "room": "other"},
}


def url(world, kind: str) -> str:
    return f"/m/d/{world.dwelling.pk}/{kind}/"


def post(client, world, form_kind: str, sid=None, headers=None, **fields):
    data = {**DEFAULTS[form_kind], **KINDS[form_kind][1], **fields}
    if sid is not False:
        data["submission_id"] = str(sid or uuid.uuid4())
    return client.post(url(world, form_kind), data, headers=headers or {})


@pytest.fixture
def phone(client, world):
    client.force_login(world.supervisor)
    return client


@pytest.mark.parametrize("kind", KINDS)
def test_form_renders_with_defaults_and_a_fresh_submission_id(phone, world, kind):
    html = phone.get(url(world, kind)).text
    assert 'name="submission_id" value="' in html
    uuid.UUID(html.split('name="submission_id" value="')[1].split('"')[0])
    assert "data-outbox" in html
    if kind == "visit":
        assert 'value="round" id="id_kind_0" checked' in html or "checked" in html
        assert f'value="{timezone.localdate():%Y-%m-%d}"' in html
    if kind in ("promise", "complaint", "claim"):
        # Tap to choose the resident; the main contact is chosen already.
        assert "Truus" in html


@pytest.mark.parametrize("kind", KINDS)
def test_plain_post_creates_one_record_and_returns_to_the_address(phone, world, kind):
    model = KINDS[kind][0]
    response = post(phone, world, kind)
    assert response.status_code == 303
    assert response["Location"] == f"/m/d/{world.dwelling.pk}/"
    record = model.objects.get()
    assert record.dwelling == world.dwelling
    assert TimelineEvent.objects.filter(dwelling=world.dwelling).exists()
    page = phone.get(response["Location"]).text
    assert {"visit": "Bezoek vastgelegd", "promise": "Toezegging genoteerd"}.get(kind, "") in page


@pytest.mark.parametrize("kind", KINDS)
def test_same_submission_id_creates_nothing_new(phone, world, kind):
    model = KINDS[kind][0]
    sid = uuid.uuid4()
    first = post(phone, world, kind, sid=sid, headers={"X-Outbox": "1"})
    assert first.status_code == 201
    record_id = first.json()["id"]
    for headers in ({"X-Outbox": "1"}, {}, {"X-Outbox": "1"}):
        again = post(phone, world, kind, sid=sid, headers=headers)
        assert again.status_code in (200, 303)
        if headers:
            assert again.json() == {
                "ok": True,
                "id": record_id,
                "url": f"/m/d/{world.dwelling.pk}/",
                "created": False,
                "message": again.json()["message"],
            }
    assert model.objects.count() == 1


def test_submission_id_reused_for_another_address_is_refused(phone, world):
    from projects.models import Dwelling

    sid = uuid.uuid4()
    post(phone, world, "visit", sid=sid)
    elsewhere = Dwelling.objects.create(
        project=world.project, street="Rijnstraat", number=14, postcode="3522 AB", city="Utrecht"
    )
    response = phone.post(
        f"/m/d/{elsewhere.pk}/visit/", {**DEFAULTS["visit"], "submission_id": str(sid)}
    )
    assert response.status_code == 422
    assert Visit.objects.count() == 1


def test_submission_id_header_works_and_missing_id_is_a_400(phone, world):
    sid = uuid.uuid4()
    response = post(phone, world, "visit", sid=False, headers={"Idempotency-Key": str(sid)})
    assert response.status_code == 303
    assert Visit.objects.get().submission_id == sid
    response = post(phone, world, "visit", sid=False)
    assert response.status_code == 400
    assert "opnieuw" in response.text
    response = post(phone, world, "visit", sid="not-a-uuid")
    assert response.status_code == 400
    assert Visit.objects.count() == 1


BAD_INPUT = [
    ("promise", {"description": ""}, "description", "Dit veld is verplicht."),
    ("promise", {"description": "   "}, "description", "Dit veld is verplicht."),
    ("promise", {"description": "x" * 501}, "description", "niet meer dan 500 tekens"),
    ("promise", {"due": "someday"}, "due", "Selecteer een geldige keuze"),
    ("promise", {"due": "date", "due_on": ""}, "due_on", "Kies de datum"),
    ("promise", {"due": "date", "due_on": "morgen"}, "due_on", "Voer een geldige datum in."),
    ("promise", {"due": "date", "due_on": "2001-01-01"}, "due_on", "voorbij"),
    ("complaint", {"description": ""}, "description", "Dit veld is verplicht."),
    ("complaint", {"category": "weather"}, "category", "Selecteer een geldige keuze"),
    ("complaint", {"description": "x" * 2001}, "description", "niet meer dan 2000 tekens"),
    ("visit", {"kind": ""}, "kind", "Dit veld is verplicht."),
    ("visit", {"outcome": "teleported"}, "outcome", "Selecteer een geldige keuze"),
    ("visit", {"note": "y" * 2001}, "note", "niet meer dan 2000 tekens"),
    ("visit", {"visited_on": "2999-01-01"}, "visited_on", "toekomst"),
    ("visit", {"visited_on": "31-02-2026"}, "visited_on", "Voer een geldige datum in."),
    ("claim", {"amount_claimed": "veel"}, "amount_claimed", "Voer een getal in."),
    ("claim", {"amount_claimed": "-5"}, "amount_claimed", "minstens 0"),
    ("claim", {"amount_claimed": "123456789012"}, "amount_claimed", ""),
    ("claim", {"room": "cellar"}, "room", "Selecteer een geldige keuze"),
    ("claim", {"occurred_on": "2999-12-31"}, "occurred_on", "toekomst"),
    ("claim", {"resident": "999999"}, "resident", "Selecteer een geldige keuze"),
]


@pytest.mark.parametrize(("kind", "fields", "field", "message"), BAD_INPUT)
def test_bad_input_is_a_422_with_the_message_at_the_field(
    phone, world, kind, fields, field, message
):
    model = KINDS[kind][0]
    sid = uuid.uuid4()
    for headers in ({}, {"X-Outbox": "1"}):
        response = post(phone, world, kind, sid=sid, headers=headers, **fields)
        assert response.status_code == 422
        html = response.text
        assert f'id="err_{field}"' in html
        assert message in html.split(f'id="err_{field}"')[1].split("</p>")[0]
        assert f'aria-describedby="err_{field}' in html
        assert 'role="alert"' in html
        # The same submission id comes back, so a corrected form is still one submission.
        assert str(sid) in html
        if headers:
            assert "<html" not in html  # the form fragment, for the page to swap in
    assert model.objects.count() == 0


def test_what_was_typed_is_kept(phone, world):
    response = post(
        phone, world, "complaint", description="", category="dust", resident=str(world.resident.pk)
    )
    assert re.search(r'value="dust"[^>]*checked', response.text)
    response = post(phone, world, "visit", note="Zeer tevreden", kind="bogus", mood="worried")
    assert "Zeer tevreden</textarea>" in response.text
    assert re.search(r'value="worried"[^>]*checked', response.text)


def test_messages_in_english_for_a_user_who_prefers_it(client, world):
    world.supervisor.language = "en"
    world.supervisor.save()
    client.force_login(world.supervisor)
    response = post(client, world, "promise", description="")
    assert response.status_code == 422
    assert "This field is required." in response.text
    assert '<html lang="en">' in response.text


def test_amount_with_a_comma_and_defaults(phone, world):
    post(phone, world, "claim", amount_claimed="1.234,50".replace(".", ""))
    claim = DamageClaim.objects.get()
    assert str(claim.amount_claimed) == "1234.50"
    assert claim.resident == world.resident  # the main contact by default
    assert claim.occurred_on == timezone.localdate()
    assert claim.created_by == world.supervisor


def test_nobody_as_resident(phone, world):
    post(phone, world, "complaint", resident="none")
    assert Complaint.objects.get().resident is None


def test_offline_entry_keeps_the_moment_it_was_entered(phone, world):
    entered = timezone.now() - datetime.timedelta(days=2, hours=3)
    post(phone, world, "visit", entered_at=entered.isoformat(), visited_on="")
    assert abs(Visit.objects.get().visited_at - entered) < datetime.timedelta(seconds=1)
    post(phone, world, "promise", entered_at=entered.isoformat(), due="tomorrow")
    assert Promise.objects.get().due_on == timezone.localdate(entered) + datetime.timedelta(days=1)
    # A phone clock far off is not believed.
    post(phone, world, "visit", entered_at="2001-01-01T10:00:00+00:00")
    latest = Visit.objects.order_by("-created_at").first()
    assert timezone.now() - latest.visited_at < datetime.timedelta(minutes=1)


def test_chosen_resident_must_live_at_the_address(phone, world):
    response = post(phone, world, "promise", resident=str(world.other_resident.pk))
    assert response.status_code == 422
    assert Promise.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_twenty_identical_posts_at_once_make_one_visit(world):
    sid = str(uuid.uuid4())
    results: list[int] = []
    barrier = threading.Barrier(20)

    def send() -> None:
        client = Client()
        client.force_login(world.supervisor)
        barrier.wait()
        response = client.post(
            url(world, "visit"),
            {**DEFAULTS["visit"], "submission_id": sid},
            headers={"X-Outbox": "1"},
        )
        results.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Visit.objects.count() == 1
    assert TimelineEvent.objects.filter(kind="visit").count() == 1
    assert sorted(set(results)) in ([200, 201], [201])
    assert Resident.objects.count() == 2
