"""The app around the pages: a session that lasts on the phone, signing out that wipes
the phone, the service worker and the pages it keeps, compression, language."""

from __future__ import annotations

import datetime
import gzip

import time_machine
from django.utils import timezone

from .conftest import add_dwellings


def test_field_session_lasts_14_idle_days_from_last_use(client, world):
    client.force_login(world.supervisor)
    with time_machine.travel(timezone.now(), tick=False):
        client.get("/m/")
        age = client.session.get_expiry_age()
        assert datetime.timedelta(days=13, hours=23) < datetime.timedelta(seconds=age)
    later = timezone.now() + datetime.timedelta(days=13)
    with time_machine.travel(later, tick=False):
        assert client.get("/m/").status_code == 200
        # Renewed on use: 14 days from today again.
        assert client.session.get_expiry_date() > later + datetime.timedelta(days=13)
    with time_machine.travel(later + datetime.timedelta(days=15), tick=False):
        assert client.get("/m/").status_code == 302


def test_back_office_session_is_not_stretched(client, world):
    client.force_login(world.handler)
    with time_machine.travel(timezone.now(), tick=False):
        assert client.get("/m/").status_code == 200
    # A handler on the phone app is still an office session: hours, not days.
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=9), tick=False):
        assert client.get("/m/").status_code == 302


def test_sign_out_wipes_the_phone(client, world):
    client.force_login(world.supervisor)
    assert "data-signout" in client.get("/m/").text
    response = client.post("/m/logout/")
    assert response.status_code == 200
    assert response["Clear-Site-Data"] == '"storage"'
    assert client.get("/m/").status_code == 302
    assert client.get("/m/logout/").status_code == 405


def test_service_worker_is_served_for_the_app_scope(client, db):
    response = client.get("/m/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/m/"
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    assert "__SHELL__" not in source and "__VERSION__" not in source
    for url in (
        "/static/js/htmx.min.js",
        "/static/mobile/app.js",
        "/m/offline/",
        "/m/forms/claim/",
    ):
        assert f'"{url}"' in source


def test_kept_pages_hold_no_personal_data(client, world):
    client.force_login(world.supervisor)
    for url in (
        "/m/offline/",
        "/m/forms/visit/",
        "/m/forms/promise/",
        "/m/forms/complaint/",
        "/m/forms/claim/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "Truus" not in response.text and "Rijnstraat" not in response.text
        # The script gives each form its own submission id when it opens.
        assert 'name="submission_id" value=""' in response.text or "/offline/" in url
    assert client.get("/m/forms/nothing/").status_code == 404


def test_ping_hands_out_the_csrf_token(client, world):
    assert client.get("/m/ping/", headers={"X-Outbox": "1"}).status_code == 401
    client.force_login(world.supervisor)
    response = client.get("/m/ping/")
    assert response.status_code == 204
    assert len(response["X-CSRFToken"]) == 64


def test_pages_are_compressed_and_never_cached(client, world):
    add_dwellings(world.project, 30)
    client.force_login(world.supervisor)
    response = client.get("/m/", headers={"Accept-Encoding": "gzip, br"})
    assert response["Content-Encoding"] == "gzip"
    assert "no-store" in response["Cache-Control"]
    html = gzip.decompress(response.content).decode()
    assert "Ronde van vandaag" in html
    # The round stays small on the wire even with a full round (30 homes).
    assert len(response.content) < 8_000


def test_english_for_a_user_who_prefers_it_unless_the_phone_chose(client, world):
    world.supervisor.language = "en"
    world.supervisor.save()
    client.force_login(world.supervisor)
    assert (
        "Today&#x27;s round" in client.get("/m/").text or "Today's round" in client.get("/m/").text
    )
    client.post("/i18n/setlang/", {"language": "nl", "next": "/m/"})
    assert "Ronde van vandaag" in client.get("/m/").text


def test_csrf_is_enforced_on_every_post(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.supervisor)
    for url in (
        f"/m/d/{world.dwelling.pk}/visit/",
        f"/m/d/{world.dwelling.pk}/care/",
        "/m/logout/",
    ):
        assert client.post(url, {"kind": "round"}).status_code == 403
