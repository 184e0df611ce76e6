"""Each person chooses, per channel, between each reminder at once and the morning
digest; the page is theirs alone and reachable for site supervisors too."""

from __future__ import annotations

from accounts.models import User
from tests.conftest import make_user

URL = "/account/messages/"


def test_a_handler_sees_the_default_and_chooses_immediate(client, world):
    anna = world.handler
    anna.email_delivery = ""
    anna.save(update_fields=["email_delivery"])
    client.force_login(anna)
    r = client.get(URL)
    assert r.status_code == 200
    assert "Hoe de herinneringen mij bereiken" in r.text
    assert r.context["form"].initial["email_delivery"] == "digest"  # a handler's default
    r = client.post(URL, {"email_delivery": "immediate", "sms_delivery": "off"})
    assert r.status_code == 302
    anna.refresh_from_db()
    assert (anna.email_delivery, anna.delivery("email")) == ("immediate", "immediate")


def test_a_supervisor_reaches_it_and_managers_default_to_immediate(client, world):
    assert world.manager.delivery("email") == "immediate"
    client.force_login(world.supervisor)
    r = client.get(URL)
    assert r.status_code == 200
    assert r.context["form"].initial["email_delivery"] == "immediate"
    # Linked from "My account", which supervisors have.
    assert URL in client.get("/account/sessions/").text


def test_text_messages_without_a_phone_number_are_refused_beside_the_field(client, world):
    client.force_login(world.supervisor)
    r = client.post(URL, {"email_delivery": "digest", "sms_delivery": "digest"})
    assert r.status_code == 200
    assert "vraag uw beheerder" in r.text
    assert 'id="id_sms_delivery_error"' in r.text
    assert 'value="digest" checked' in r.text or "checked" in r.text  # input kept
    world.supervisor.refresh_from_db()
    assert world.supervisor.sms_delivery == "off"


def test_bad_input_is_a_translated_error_never_a_500(client, world):
    client.force_login(world.handler)
    for data in ({}, {"email_delivery": "off"}, {"email_delivery": "x" * 10_000}):
        r = client.post(URL, data)
        assert r.status_code == 200
        assert "field-error" in r.text


def test_only_ones_own_settings_change(client, world):
    before = User.objects.get(pk=world.other_handler.pk).email_delivery
    client.force_login(world.handler)
    client.post(
        URL, {"user": world.other_handler.pk, "email_delivery": "digest", "sms_delivery": "off"}
    )
    assert User.objects.get(pk=world.other_handler.pk).email_delivery == before
    assert User.objects.get(pk=world.handler.pk).email_delivery == "digest"


def test_privacy_officers_and_strangers_are_kept_out(client, world):
    assert client.get(URL).status_code == 302
    officer = make_user("privacy@woonstede.nl", world.corporation, User.Role.PRIVACY_OFFICER)
    client.force_login(officer)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"email_delivery": "digest", "sms_delivery": "off"}).status_code == 403
