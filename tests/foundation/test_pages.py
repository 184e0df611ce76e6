"""The placeholder pages sit behind login; the admin shows every model; Dutch by default."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import User
from tests.conftest import PASSWORD, give_totp


@pytest.mark.parametrize("url", ["/m/", "/office/"])
def test_pages_need_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_round_lists_only_my_projects(client, world):
    client.force_login(world.supervisor)
    response = client.get("/m/")
    assert response.status_code == 200
    assert "Rivierenbuurt" in response.text
    assert "Vogelwijk" not in response.text


def test_office_lists_nothing_for_another_organisation(client, world):
    client.force_login(world.other_handler)
    response = client.get("/office/")
    assert response.status_code == 200
    assert "Rivierenbuurt" not in response.text


def test_unknown_status_link_is_a_friendly_page_that_reveals_nothing(client, db):
    response = client.get("/s/not-a-real-token/")
    assert response.status_code == 404
    assert "bel" in response.text.lower()


def test_login_with_email_in_any_case(client, world):
    response = client.post(
        "/login/", {"login": "Uitvoerder@Jansen.NL", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.wsgi_request.user == world.supervisor


def test_bad_login_keeps_email_and_says_why_in_dutch(client, world):
    response = client.post("/login/", {"login": "uitvoerder@jansen.nl", "password": "fout"})
    assert response.status_code == 200
    assert 'value="uitvoerder@jansen.nl"' in response.text
    assert "wachtwoord is niet correct" in response.text
    assert role_alert_present(response.text)


def test_dutch_by_default_english_on_request(client, db):
    assert '<html lang="nl">' in client.get("/login/").text
    assert "Inloggen" in client.get("/login/").text
    english = client.get("/login/", headers={"accept-language": "en"}).text
    assert '<html lang="en">' in english
    assert "Sign in" in english


def test_language_switch_sticks(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Sign in" in client.get("/login/").text


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}"
)
def test_admin_changelist_and_add_page_render(client, world, model):
    client.force_login(world.staff)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "Rijnstraat"}).status_code == 200


def test_admin_refuses_people_without_staff_status(client, world):
    client.force_login(world.handler)
    response = client.get("/admin/cases/damageclaim/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def role_alert_present(html: str) -> bool:
    # The error is announced to screen readers, not only shown.
    return 'role="alert"' in html


@pytest.mark.parametrize(
    ("who", "where"),
    [("supervisor", "/m/"), ("handler", "/office/"), ("manager", "/office/")],
)
def test_home_sends_people_where_they_work(client, world, who, where):
    client.force_login(getattr(world, who))
    assert client.get("/")["Location"] == where


def test_home_sends_platform_staff_to_the_admin(client, db):
    staff = User.objects.create_superuser("platform@example.nl", "x")
    give_totp(staff)
    client.force_login(staff)
    assert client.get("/")["Location"] == "/admin/"


def test_a_refused_form_post_explains_itself_in_dutch(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/login/", {"login": "x@example.nl", "password": "x"})
    assert response.status_code == 403
    assert "Probeer het opnieuw" in response.text
