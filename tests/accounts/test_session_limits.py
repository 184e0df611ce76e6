"""Sessions end after being idle (office: hours, phone in the field: days) and in any
case after SESSION_MAX_AGE_DAYS; a person can sign out everywhere at once."""

from __future__ import annotations

import datetime

import time_machine
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD

from .conftest import sign_in, signed_in_as

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def test_office_session_ends_after_eight_idle_hours(client, world):
    client.force_login(world.handler)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert client.get("/office/").status_code == 200
        clock.shift(7 * HOUR + 50 * 60 * datetime.timedelta(seconds=1))
        assert client.get("/office/").status_code == 200  # used again: the clock restarts
        clock.shift(7 * HOUR)
        assert client.get("/office/").status_code == 200
        clock.shift(8 * HOUR + datetime.timedelta(minutes=2))
        response = client.get("/office/")
        assert response.status_code == 302
        assert response["Location"] == "/login/?next=/office/"
    assert not signed_in_as(client).is_authenticated


def test_office_idle_hours_are_a_setting(client, world, settings):
    settings.SESSION_IDLE_OFFICE_HOURS = 2
    client.force_login(world.handler)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get("/office/")
        clock.shift(2 * HOUR + datetime.timedelta(minutes=2))
        assert client.get("/office/").status_code == 302


def test_field_session_survives_a_weekend_but_not_two_weeks_idle(client, world):
    client.force_login(world.supervisor)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.get("/m/").status_code == 200
        clock.shift(3 * DAY)
        assert client.get("/m/").status_code == 200
        clock.shift(14 * DAY + HOUR)
        assert client.get("/m/").status_code == 302
    assert not signed_in_as(client).is_authenticated


def test_office_session_ends_after_its_lifetime_however_busy(client, world):
    client.force_login(world.handler)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        # Used every seven hours, night and day, for thirty days.
        while timezone.now() < start + 30 * DAY - 7 * HOUR:
            assert client.get("/office/").status_code == 200
            clock.shift(7 * HOUR)
        clock.shift(8 * HOUR)
        assert client.get("/office/")["Location"] == "/login/?next=/office/"


def test_field_session_ends_after_its_lifetime_however_busy(client, world):
    client.force_login(world.supervisor)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(29):
            assert client.get("/m/").status_code == 200
            clock.shift(DAY)
        assert client.get("/m/").status_code == 200
        clock.shift(DAY + HOUR)
        assert client.get("/m/")["Location"] == "/login/?next=/m/"
    # Signing in again starts a new lifetime.
    with time_machine.travel(start + 31 * DAY, tick=False):
        assert sign_in(client, world.supervisor.email).status_code == 302
        assert client.get("/m/").status_code == 200


def test_lifetime_is_a_setting(client, world, settings):
    settings.SESSION_MAX_AGE_DAYS = 2
    client.force_login(world.supervisor)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get("/m/")
        clock.shift(DAY)
        assert client.get("/m/").status_code == 200
        clock.shift(DAY + HOUR)
        assert client.get("/m/").status_code == 302


def test_sign_out_everywhere_ends_every_session(world):
    phone, desk = Client(), Client()
    for c in (phone, desk):
        assert sign_in(c, world.supervisor.email, PASSWORD).status_code == 302
    sessions = desk.get("/account/sessions/")
    assert sessions.status_code == 200
    assert sessions.text.count("127.0.0.1") == 2
    response = desk.post("/account/sessions/end-all/")
    assert response["Location"] == "/login/"
    assert phone.get("/m/").status_code == 302
    assert desk.get("/m/").status_code == 302


def test_ending_the_other_sessions_keeps_this_one(world):
    phone, desk = Client(), Client()
    for c in (phone, desk):
        sign_in(c, world.supervisor.email, PASSWORD)
    assert desk.post("/account/sessions/").status_code == 302
    assert phone.get("/m/").status_code == 302
    assert desk.get("/m/").status_code == 200


def test_sign_out_everywhere_needs_sign_in_and_a_post(client, world):
    assert client.post("/account/sessions/end-all/")["Location"].startswith("/login/")
    client.force_login(world.supervisor)
    assert client.get("/account/sessions/end-all/").status_code == 405
