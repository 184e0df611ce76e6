"""Forgotten and changed passwords: by e-mail without revealing who has an account,
in our own pages, errors beside their fields, Dutch by default."""

from __future__ import annotations

import re

from django.core import mail

from tests.conftest import PASSWORD

from .conftest import sign_in, signed_in_as

RESET = "/account/password/reset/"
NEW = "a-new-long-password-for-the-site"


def test_reset_page_is_in_our_look_and_dutch(client, db):
    page = client.get(RESET)
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    assert 'class="brand"' in page.text
    assert "Wachtwoord" in page.text
    assert 'href="/account/signup/"' not in page.text


def test_reset_does_not_tell_whether_an_address_has_an_account(client, world):
    known = client.post(RESET, {"email": world.supervisor.email})
    unknown = client.post(RESET, {"email": "niemand@example.nl"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/account/password/reset/done/"
    # Only the real account gets a message; a stranger's address gets nothing from us.
    assert [m.to for m in mail.outbox] == [[world.supervisor.email]]


def test_reset_by_e_mail_sets_a_new_password(client, world):
    client.post(RESET, {"email": world.supervisor.email.upper()})
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/account/password/reset/key/\S+/)", message.body).group(1)
    form_url = client.get(link)["Location"]
    mismatch = client.post(form_url, {"password1": NEW, "password2": NEW + "x"})
    assert mismatch.status_code == 200
    assert 'class="field-error"' in mismatch.text
    assert "hetzelfde wachtwoord" in mismatch.text.lower()
    done = client.post(form_url, {"password1": NEW, "password2": NEW})
    assert done.status_code == 302
    assert sign_in(client, world.supervisor.email, PASSWORD).status_code == 200
    assert sign_in(client, world.supervisor.email, NEW).status_code == 302
    assert signed_in_as(client) == world.supervisor


def test_bad_reset_input_stays_in_the_field(client, db):
    response = client.post(RESET, {"email": "geen-adres"})
    assert response.status_code == 200
    assert 'value="geen-adres"' in response.text
    assert 'class="field-error"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_change_password(client, world):
    sign_in(client, world.supervisor.email)
    url = "/account/password/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Wachtwoord wijzigen" in page.text
    wrong = client.post(url, {"oldpassword": "fout", "password1": NEW, "password2": NEW})
    assert wrong.status_code == 200
    assert 'class="field-error" id="id_oldpassword_error"' in wrong.text
    ok = client.post(url, {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW})
    assert ok.status_code == 302
    # Still signed in here after the change.
    assert signed_in_as(client) == world.supervisor
    world.supervisor.refresh_from_db()
    assert world.supervisor.check_password(NEW)


def test_change_password_needs_sign_in(client, db):
    assert client.get("/account/password/change/")["Location"].startswith("/login/")


def test_nobody_signs_up_by_themselves(client, db):
    page = client.get("/account/signup/")
    assert page.status_code == 200
    assert 'name="password1"' not in page.text
    response = client.post(
        "/account/signup/",
        {"email": "nieuw@example.nl", "password1": NEW, "password2": NEW},
    )
    assert 'name="password1"' not in response.text
    from accounts.models import User

    assert not User.objects.filter(email="nieuw@example.nl").exists()


def test_e_mail_addresses_are_managed_by_administrators(client, world):
    client.force_login(world.supervisor)
    assert client.get("/account/email/").status_code == 404
