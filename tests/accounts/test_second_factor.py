"""A second factor: required for office roles and platform staff, offered to
supervisors, asked for at every sign-in; demo accounts exempt only under DEBUG."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.conftest import PASSWORD, give_totp, make_user, totp_code

from .conftest import sign_in, signed_in_as

SETUP = "/account/2fa/totp/activate/"
AUTHENTICATE = "/account/2fa/authenticate/"


def without_second_factor(user):
    Authenticator.objects.filter(user=user).delete()
    return user


@pytest.mark.parametrize(
    ("who", "url"), [("handler", "/office/"), ("handler", "/admin/"), ("staff", "/admin/")]
)
def test_required_role_without_authenticator_is_sent_to_set_up(client, world, who, url):
    client.force_login(without_second_factor(getattr(world, who)))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == SETUP
    # Nothing else either: a case page, the phone app, the home page.
    for other in ("/", "/m/", "/office/dashboard/"):
        assert client.get(other)["Location"] == SETUP, other
    # Signing out still works.
    assert client.post("/logout/").status_code == 302
    assert not signed_in_as(client).is_authenticated


@pytest.mark.parametrize("who", ["manager", "corporation_admin"])
def test_every_required_role(client, world, who):
    client.force_login(without_second_factor(getattr(world, who)))
    assert client.get("/office/")["Location"] == SETUP


def test_setting_up_totp_lets_the_person_in(client, world):
    handler = without_second_factor(world.handler)
    response = sign_in(client, handler.email)
    # The password was right and there is no factor yet: signed in, straight to set-up.
    assert signed_in_as(client) == handler
    assert client.get(response["Location"])["Location"] == SETUP
    # Changing how one signs in asks for the password once more (allauth).
    reauth = client.get(SETUP)["Location"]
    assert reauth.startswith("/account/reauthenticate/")
    assert client.post(reauth, {"password": PASSWORD})["Location"] == SETUP
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "data:image/svg+xml" in page.text  # the QR code
    secret = client.session["mfa.totp.secret"]

    wrong = client.post(SETUP, {"code": "000000"})
    assert wrong.status_code == 200
    assert 'class="field-error"' in wrong.text
    assert client.get("/office/")["Location"] == SETUP

    code = format_hotp_value(hotp_value(secret, int(time.time() // 30)))
    done = client.post(SETUP, {"code": code})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=handler, type="totp").exists()
    assert client.get("/office/").status_code == 200


def test_sign_in_with_totp_asks_for_the_code(client, world, caplog):
    handler = without_second_factor(world.handler)
    give_totp(handler)
    response = sign_in(client, handler.email)
    assert response["Location"] == AUTHENTICATE
    # Not signed in until the code is given.
    assert not signed_in_as(client).is_authenticated
    assert client.get("/office/")["Location"].startswith("/login/")
    assert 'name="code"' in client.get(AUTHENTICATE).text
    wrong = client.post(AUTHENTICATE, {"code": "123456"})
    assert wrong.status_code == 200
    assert 'class="field-error"' in wrong.text
    assert not signed_in_as(client).is_authenticated
    logged = [r.getMessage() for r in caplog.records if r.name == "woonrust.signin"]
    assert logged == [f"Second-factor code wrong: user {handler.pk} from 127.0.0.1"]
    response = client.post(AUTHENTICATE, {"code": totp_code(handler)})
    assert response.status_code == 302
    assert signed_in_as(client) == handler
    assert client.get("/office/").status_code == 200


def test_a_recovery_code_works_once(client, world):
    handler = world.handler  # has TOTP from the test world
    code = RecoveryCodes.activate(handler).get_unused_codes()[0]
    sign_in(client, handler.email)
    assert client.post(AUTHENTICATE, {"code": code}).status_code == 302
    assert signed_in_as(client) == handler
    client.post("/logout/")

    sign_in(client, handler.email)
    again = client.post(AUTHENTICATE, {"code": code})
    assert again.status_code == 200
    assert not signed_in_as(client).is_authenticated


def test_a_supervisor_is_offered_not_forced(client, world):
    assert not Authenticator.objects.filter(user=world.supervisor).exists()
    sign_in(client, world.supervisor.email)
    assert signed_in_as(client) == world.supervisor
    page = client.get("/m/")
    assert page.status_code == 200
    # The offer: the account link in the phone app's header leads to the set-up.
    assert 'href="/account/2fa/"' in page.text
    overview = client.get("/account/2fa/")
    assert overview.status_code == 200
    assert SETUP in overview.text


@pytest.fixture
def demo_handler(world):
    return make_user("handler@demo.woonrust.nl", world.corporation, "handler")


def test_a_demo_account_is_exempt_only_with_debug_on(client, demo_handler, settings):
    without_second_factor(demo_handler)
    client.force_login(demo_handler)
    settings.DEBUG = True
    assert client.get("/office/").status_code == 200
    settings.DEBUG = False
    client.force_login(demo_handler)  # a fresh session: nothing remembered from above
    assert client.get("/office/")["Location"] == SETUP


def test_removing_the_last_factor_sends_the_person_back_to_set_up(client, world):
    handler = world.handler
    sign_in(client, handler.email)
    client.post(AUTHENTICATE, {"code": totp_code(handler)})
    assert client.get("/office/").status_code == 200
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    response = client.post("/account/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=handler, type="totp").exists()
    assert client.get("/office/")["Location"] == SETUP


def test_admin_login_goes_to_our_sign_in(client, world):
    response = client.get("/admin/login/", {"next": "/admin/cases/damageclaim/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/admin/cases/damageclaim/"
    # The admin's own form is not reachable: a POST to it goes nowhere either.
    posted = client.post("/admin/login/", {"username": world.staff.email, "password": PASSWORD})
    assert not signed_in_as(client).is_authenticated
    assert posted.status_code == 302


def test_admin_login_refuses_a_signed_in_non_staff_person(client, world):
    client.force_login(world.handler)
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_another_persons_security_key_is_out_of_reach(client, world):
    key = Authenticator.objects.create(
        user=world.manager, type=Authenticator.Type.WEBAUTHN, data={"name": "sleutel"}
    )
    sign_in(client, world.handler.email)
    client.post(AUTHENTICATE, {"code": totp_code(world.handler)})
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    for action in ("edit", "remove"):
        url = f"/account/2fa/webauthn/keys/{key.pk}/{action}/"
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "van mij"}).status_code == 404, url
    assert Authenticator.objects.filter(pk=key.pk, data__name="sleutel").exists()


def test_phone_requests_without_a_second_factor_are_told_plainly(client, world):
    client.force_login(without_second_factor(world.manager))
    outbox = client.get("/m/ping/", headers={"X-Outbox": "1"})
    assert outbox.status_code == 401
    assert outbox.json() == {"signin": True}
    htmx = client.get("/m/", headers={"HX-Request": "true"})
    assert htmx.status_code == 204
    assert htmx["HX-Redirect"] == SETUP


def test_sign_in_page_query_count(client, db, django_assert_num_queries):
    # Nothing is read to show the form: no session yet, no user.
    with django_assert_num_queries(0):
        assert client.get("/login/").status_code == 200
