"""My promises on the phone: the list (mine only, late first), one promise with its
address and timeline, and done / move / cancel as plain posts and through the outbox."""

from __future__ import annotations

import datetime
import threading
import uuid

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Promise, TimelineEvent
from cases.services import promise_record
from cases.workdays import AMSTERDAM

from .conftest import add_dwellings


def _promise(world, days: int, by=None, dwelling=None, **extra) -> Promise:
    return promise_record(
        dwelling=dwelling or world.dwelling,
        by=by or world.supervisor,
        description=extra.pop("description", f"Belofte {days}"),
        due_on=timezone.localdate() + datetime.timedelta(days=days),
        resident=extra.pop("resident", world.resident),
        **extra,
    )


def _late(promise: Promise, days: int) -> Promise:
    # A promise noted in the past and now late (the form refuses past dates).
    Promise.objects.filter(pk=promise.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=days)
    )
    promise.refresh_from_db()
    return promise


def test_my_promises_late_first_then_today_this_week_later_and_only_mine(client, world):
    later = _promise(world, 40, description="Later ding")
    today = _promise(world, 0, description="Vandaag ding")
    late = _late(_promise(world, 0, description="Te laat ding"), 3)
    theirs = _promise(world, 0, by=world.manager, description="Van de manager")
    handed = _promise(world, 1, by=world.manager, description="Voor mij", handler=None)
    Promise.objects.filter(pk=handed.pk).update(handler=world.supervisor)
    done = _promise(world, 0, description="Al gedaan")
    Promise.objects.filter(pk=done.pk).update(status="done")
    client.force_login(world.supervisor)
    page = client.get(reverse("mobile:promises")).text
    assert page.index("Te laat ding") < page.index("Vandaag ding") < page.index("Later ding")
    assert "Voor mij" in page  # assigned to me, made by someone else
    assert "Van de manager" not in page and "Al gedaan" not in page
    assert f"/m/promises/{late.pk}/" in page and f"/m/promises/{theirs.pk}/" not in page
    assert page.count('class="tag late"') == 1
    assert f"/m/promises/{today.pk}/" in page and f"/m/promises/{later.pk}/" in page


def test_the_round_counts_my_promises_and_links_to_them(client, world):
    _promise(world, 0)
    _promise(world, 2)
    _late(_promise(world, 0), 1)
    client.force_login(world.supervisor)
    page = client.get("/m/").text
    assert "3 toezeggingen" in page and "1 te laat" in page
    assert reverse("mobile:promises") in page


@pytest.mark.parametrize("n", [1, 25])
def test_list_query_count_is_constant(client, world, django_assert_num_queries, n):
    dwellings = add_dwellings(world.project, n, busy=False)
    for d in dwellings:
        _promise(world, 0, dwelling=d, resident=None)
    client.force_login(world.supervisor)
    client.get("/m/")  # the session's first page of the day renews it
    with django_assert_num_queries(3):
        response = client.get(reverse("mobile:promises"))
    assert response.text.count("/m/promises/") >= n


@pytest.mark.parametrize("n", [1, 25])
def test_round_query_count_with_the_promise_count_is_constant(
    client, world, django_assert_num_queries, n
):
    for d in add_dwellings(world.project, n, busy=False):
        _promise(world, 0, dwelling=d, resident=None)
    client.force_login(world.supervisor)
    client.get("/m/")
    with django_assert_num_queries(5):
        assert client.get("/m/").status_code == 200


def test_a_promise_shows_its_address_resident_due_date_and_timeline(
    client, world, django_assert_num_queries
):
    promise = _promise(world, 0, description="Kit langs het raam")
    client.force_login(world.supervisor)
    client.get("/m/")
    with django_assert_num_queries(4):
        page = client.get(reverse("mobile:promise", args=[promise.pk])).text
    assert "Kit langs het raam" in page and "Rijnstraat 12-A" in page
    assert "Truus Jansen" in page and "Vandaag" in page
    assert "Vastgelegd" in page  # the timeline's first event
    assert 'name="submission_id"' in page and "data-outbox" in page


def test_mark_done_with_a_note_online(client, world):
    promise = _promise(world, 0)
    client.force_login(world.supervisor)
    url = reverse("mobile:promise_act", args=[promise.pk, "done"])
    response = client.post(url, {"submission_id": str(uuid.uuid4()), "note": "Gemaakt"})
    assert response.status_code == 303
    promise.refresh_from_db()
    assert promise.status == "done" and promise.done_at is not None
    event = TimelineEvent.objects.filter(promise=promise, to_status="done").get()
    assert event.text == "Gemaakt" and event.actor == world.supervisor


def test_the_same_submission_twice_makes_one_transition(client, world):
    promise = _promise(world, 0)
    client.force_login(world.supervisor)
    sid = str(uuid.uuid4())
    url = reverse("mobile:promise_act", args=[promise.pk, "move"])
    day = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    for _ in range(2):
        response = client.post(
            url, {"submission_id": sid, "due_on": day, "reason": "Regen"}, headers={"X-Outbox": "1"}
        )
        assert response.status_code in (200, 201) and response.json()["ok"]
    assert TimelineEvent.objects.filter(promise=promise, data__action="move").count() == 1
    promise.refresh_from_db()
    assert promise.due_on.isoformat() == day and promise.status == "open"
    # Done twice with one id: one transition, no "already done" refusal on the replay.
    done = reverse("mobile:promise_act", args=[promise.pk, "done"])
    sid = str(uuid.uuid4())
    for _ in range(2):
        assert client.post(done, {"submission_id": sid}, headers={"X-Outbox": "1"}).json()["ok"]
    assert TimelineEvent.objects.filter(promise=promise, to_status="done").count() == 1


def test_an_id_used_by_someone_else_is_refused(client, world):
    promise = _promise(world, 0)
    sid = str(uuid.uuid4())
    client.force_login(world.manager)
    done = reverse("mobile:promise_act", args=[promise.pk, "done"])
    assert client.post(done, {"submission_id": sid}).status_code == 303
    client.force_login(world.supervisor)
    assert client.post(done, {"submission_id": sid}).status_code == 422


def test_moving_without_a_reason_or_to_the_past_keeps_what_was_typed(client, world):
    promise = _promise(world, 0)
    client.force_login(world.supervisor)
    url = reverse("mobile:promise_act", args=[promise.pk, "move"])
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        url, {"submission_id": str(uuid.uuid4()), "due_on": past, "reason": "Materiaal laat"}
    )
    assert response.status_code == 422
    assert "Materiaal laat" in response.text
    assert 'id="err_due_on"' in response.text and "Die datum is voorbij" in response.text
    response = client.post(url, {"submission_id": str(uuid.uuid4()), "due_on": "", "reason": ""})
    assert response.status_code == 422 and 'id="err_reason"' in response.text
    response = client.post(
        url,
        {"submission_id": str(uuid.uuid4()), "due_on": "morgen", "reason": "x"},
        headers={"X-Outbox": "1"},
    )
    assert response.status_code == 422 and "<form" in response.text and "<html" not in response.text
    promise.refresh_from_db()
    assert promise.due_on == timezone.localdate()


def test_cancel_needs_a_reason_and_is_kept(client, world):
    promise = _promise(world, 0)
    client.force_login(world.supervisor)
    url = reverse("mobile:promise_act", args=[promise.pk, "cancel"])
    assert client.post(url, {"submission_id": str(uuid.uuid4()), "reason": " "}).status_code == 422
    response = client.post(url, {"submission_id": str(uuid.uuid4()), "reason": "Niet meer nodig"})
    assert response.status_code == 303
    promise.refresh_from_db()
    assert promise.status == "cancelled" and promise.cancel_reason == "Niet meer nodig"
    # A finished promise offers no steps and refuses one, beside the form.
    page = client.get(reverse("mobile:promise", args=[promise.pk])).text
    assert "data-outbox" not in page
    again = client.post(url, {"submission_id": str(uuid.uuid4()), "reason": "Nog eens"})
    assert again.status_code == 422


def test_without_a_submission_id_nothing_changes(client, world):
    promise = _promise(world, 0)
    client.force_login(world.supervisor)
    url = reverse("mobile:promise_act", args=[promise.pk, "done"])
    assert client.post(url, {"note": "x"}).status_code == 400
    assert client.post(reverse("mobile:promise_act", args=[promise.pk, "other"])).status_code == 404
    promise.refresh_from_db()
    assert promise.status == "open"


@pytest.mark.parametrize("who", ["other_supervisor", "other_admin", "handler", "corporation_admin"])
def test_outsiders_and_handlers_get_404_and_change_nothing(client, world, who):
    promise = _promise(world, 0, description="Geheime belofte")
    client.force_login(getattr(world, who))
    for url in (
        reverse("mobile:promise", args=[promise.pk]),
        reverse("mobile:promise_act", args=[promise.pk, "done"]),
    ):
        method = client.get if url.endswith(f"{promise.pk}/") else client.post
        response = method(
            url, {"submission_id": str(uuid.uuid4())} if method == client.post else None
        )
        assert response.status_code == 404
        assert "Geheime" not in response.text and "Rijnstraat" not in response.text
    listing = client.get(reverse("mobile:promises"))
    assert "Geheime" not in listing.text
    promise.refresh_from_db()
    assert promise.status == "open"


def test_english_on_request(client, world):
    _promise(world, 0, description="Kit")
    client.force_login(world.supervisor)
    world.supervisor.language = "en"
    world.supervisor.save()
    page = client.get(reverse("mobile:promises")).text
    assert "My promises" in page and "Due today" in page


def test_open_cases_on_the_dwelling_page_open_a_case_view(client, world):
    from cases.services import complaint_record

    promise = _promise(world, 0, description="Kit")
    complaint = complaint_record(
        dwelling=world.dwelling, by=world.supervisor, description="Veel stof in de gang"
    )
    client.force_login(world.supervisor)
    page = client.get(reverse("mobile:dwelling", args=[world.dwelling.pk])).text
    assert reverse("mobile:promise", args=[promise.pk]) in page
    assert reverse("mobile:complaint", args=[complaint.pk]) in page
    view = client.get(reverse("mobile:complaint", args=[complaint.pk])).text
    assert "Veel stof in de gang" in view and "Ontvangen" in view
    assert "Wat er nu gebeurt" in view and "binnen is" in view
    for who in ("other_supervisor", "handler", "other_admin"):
        client.force_login(getattr(world, who))
        response = client.get(reverse("mobile:complaint", args=[complaint.pk]))
        assert response.status_code == 404 and "stof" not in response.text


@pytest.mark.django_db(transaction=True)
def test_ten_identical_done_posts_at_once_make_one_transition(world):
    promise = _promise(world, 0)
    sid = str(uuid.uuid4())
    url = reverse("mobile:promise_act", args=[promise.pk, "done"])
    results: list[int] = []
    barrier = threading.Barrier(10)

    def send() -> None:
        client = Client()
        client.force_login(world.supervisor)
        barrier.wait()
        response = client.post(url, {"submission_id": sid}, headers={"X-Outbox": "1"})
        results.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert TimelineEvent.objects.filter(promise=promise, to_status="done").count() == 1
    assert set(results) == {201}  # every replay is answered as a success, none refused


def test_a_promise_due_today_is_not_overdue_on_the_address_page(client, world):
    # Tuesday 10:00 in Amsterdam: noted for today, late only after closing time.
    with time_machine.travel(datetime.datetime(2026, 6, 9, 10, tzinfo=AMSTERDAM), tick=False):
        promise = _promise(world, 0, description="Kit vandaag")
        client.force_login(world.supervisor)
        page = client.get(reverse("mobile:dwelling", args=[world.dwelling.pk])).text
        line = page[page.index(promise.number) :].split("</li>")[0]
        assert "te laat" not in line
    with time_machine.travel(datetime.datetime(2026, 6, 9, 18, 5, tzinfo=AMSTERDAM), tick=False):
        page = client.get(reverse("mobile:dwelling", args=[world.dwelling.pk])).text
        line = page[page.index(promise.number) :].split("</li>")[0]
        assert "te laat" in line
