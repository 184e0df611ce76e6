"""The supervisor's calls on the phone: residents of their promises who get no message."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from cases.models import CallTask, ChasePolicy, TimelineEvent
from cases.outbox import Changes
from cases.recipients import of_resident
from cases.services.promises import promise_record
from tests.cases.conftest import TUESDAY


@pytest.fixture(autouse=True)
def _office_hours():
    """A working morning: a call written now is on today's list, whenever the suite runs."""
    with time_machine.travel(TUESDAY, tick=False):
        yield


def call_about_a_promise(world, dwelling, resident, by) -> CallTask:
    """News about a promise for a resident who wants calls, as the outbox writes it."""
    resident.contact_channel = "phone"
    resident.save()
    promise = promise_record(
        dwelling=dwelling,
        by=by,
        resident=resident,
        description="Deurstop",
        due_on=datetime.date(2026, 6, 12),
    )
    changes = Changes(promise.created_at)
    changes.tell(
        promise,
        ChasePolicy.for_project(promise.project),
        purpose="resident_update",
        what="update-test",
        recipients=[of_resident(resident)],
        extra={"date": None},
    )
    changes.save()
    return CallTask.objects.get(promise=promise)


@pytest.fixture
def mine(world) -> CallTask:
    return call_about_a_promise(world, world.dwelling, world.resident, world.supervisor)


@pytest.fixture
def theirs(world) -> CallTask:
    return call_about_a_promise(
        world, world.other_dwelling, world.other_resident, world.other_supervisor
    )


def test_the_supervisor_calls_about_their_promise_and_the_timeline_says_so(
    client, world, mine, theirs
):
    assert mine.assigned_to == world.supervisor
    client.force_login(world.supervisor)
    page = client.get("/m/calls/").content.decode()
    assert f'id="call-{mine.pk}"' in page and "Bel 06 12345678" in page
    assert f'id="call-{theirs.pk}"' not in page and "Visser" not in page
    assert "Bewoners om te bellen" in client.get("/m/promises/").content.decode()
    response = client.post(
        f"/m/calls/{mine.pk}/done/",
        {f"call-{mine.pk}-outcome": "reached", f"call-{mine.pk}-note": "Morgen langs"},
    )
    assert response.status_code == 302
    event = mine.promise.timeline.get(kind=TimelineEvent.Kind.CALLED)
    assert (event.actor, event.text) == (world.supervisor, "Bereikt. Morgen langs")
    assert f'id="call-{mine.pk}"' not in client.get("/m/calls/").content.decode()


def test_nobody_marks_another_organisations_call(client, world, theirs):
    client.force_login(world.supervisor)
    url = f"/m/calls/{theirs.pk}/done/"
    assert client.post(url, {f"call-{theirs.pk}-outcome": "reached"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_open


def test_a_call_without_an_outcome_is_a_translated_error(client, world, mine):
    client.force_login(world.supervisor)
    response = client.post(f"/m/calls/{mine.pk}/done/", {f"call-{mine.pk}-note": "Hallo"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Geef aan of u de bewoner heeft bereikt." in body and "Hallo" in body


def test_the_list_costs_the_same_with_many_calls(client, world, mine, django_assert_num_queries):
    client.force_login(world.supervisor)
    client.get("/m/calls/")

    def count() -> None:
        # 1 session, 2 user, 3 today's absences (whom I stand in for), 4 the calls (with
        # address, resident and case) on my projects
        with django_assert_num_queries(4):
            assert client.get("/m/calls/").status_code == 200

    count()
    for _ in range(10):
        call_about_a_promise(world, world.dwelling, world.resident, world.supervisor)
    count()
