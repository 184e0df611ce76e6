"""A copy of the database opens no case: the outbox keeps a placeholder where the
status link goes, and only the message that is sent carries the working link."""

from __future__ import annotations

import logging

import pytest
from django.core import mail

from cases.delivery import deliver
from cases.messages.link import LINK_PLACEHOLDER, body_for_sending
from cases.models import Notification
from cases.sms import LoggingSmsBackend, MemorySmsBackend
from statuslink.tokens import plain_token
from tests.conftest import PASSWORD

from .conftest import report_claim

pytestmark = pytest.mark.django_db


def _resident_note(claim) -> Notification:
    return Notification.objects.get(claim=claim, recipient_resident__isnull=False)


def test_the_stored_message_has_no_working_link(world, clock):
    claim = report_claim(world)
    note = _resident_note(claim)
    token = plain_token(claim)
    assert token
    assert token not in note.body and "/s/" not in note.body
    assert LINK_PLACEHOLDER in note.body
    # Nothing else in the row holds it either.
    row = Notification.objects.filter(pk=note.pk).values().get()
    assert not any(token in str(value) for value in row.values())


def test_the_sms_sent_carries_the_working_link(client, world, clock):
    MemorySmsBackend.outbox.clear()
    claim = report_claim(world)
    note = _resident_note(claim)
    assert deliver(notification_id=note.pk, now=note.send_after) == "sent"
    [sms] = MemorySmsBackend.outbox
    assert sms["to"] == "06 12345678"
    assert f"https://woonrust.example.nl/s/{plain_token(claim)}/" in sms["body"]
    assert LINK_PLACEHOLDER not in sms["body"]
    path = sms["body"].split("https://woonrust.example.nl", 1)[1].split()[0]
    assert client.get(path).status_code == 200


def test_the_email_sent_carries_the_working_link(settings, world, clock):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    world.resident.contact_channel = "email"
    world.resident.email = "truus@example.nl"
    world.resident.save()
    claim = report_claim(world)
    note = _resident_note(claim)
    assert note.channel == "email"
    assert deliver(notification_id=note.pk, now=note.send_after) == "sent"
    [email] = mail.outbox
    assert f"/s/{plain_token(claim)}/" in email.body
    assert plain_token(claim) not in Notification.objects.get(pk=note.pk).body


def test_a_renewed_link_is_the_one_sent(world, clock):
    from statuslink.services import status_link_reissue

    claim = report_claim(world)
    note = _resident_note(claim)
    old = plain_token(claim)
    new = status_link_reissue(case=claim, by=world.handler)
    note.refresh_from_db()
    sent = body_for_sending(note)
    assert f"/s/{new}/" in sent and old not in sent


def test_admin_and_case_page_show_no_working_link(client, world, clock):
    claim = report_claim(world)
    note = _resident_note(claim)
    token = plain_token(claim)
    client.login(username=world.staff.email, password=PASSWORD)
    for url in (
        f"/admin/cases/notification/{note.pk}/change/",
        "/admin/cases/notification/",
        f"/office/claim/{claim.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert token not in response.content.decode(), url


def test_the_logging_sms_backend_writes_no_body(caplog):
    body = "Uw schademelding S-12 is ontvangen. https://woonrust.example.nl/s/abc/"
    with caplog.at_level(logging.INFO, logger="cases.sms"):
        answer = LoggingSmsBackend().send(
            to="06 12345678", body=body, idempotency_key="woonrust-notification-7", timeout=1
        )
    assert answer == "logged (not sent): SMS woonrust-notification-7"
    [line] = [r.getMessage() for r in caplog.records if r.name == "cases.sms"]
    assert "woonrust-notification-7" in line and "…678" in line
    assert f"{len(body)} characters" in line
    assert "schademelding" not in line and "/s/" not in line and "12345678" not in line


def test_messages_written_before_keep_no_link_after_the_migration(world, clock):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from statuslink.tokens import case_link_url

    claim = report_claim(world)
    note = _resident_note(claim)
    old_body = note.body.replace(LINK_PLACEHOLDER, case_link_url(claim))
    Notification.objects.filter(pk=note.pk).update(body=old_body)
    migration = importlib.import_module("cases.migrations.0007_notification_body_without_link")
    migration.forwards(apps, SimpleNamespace(connection=connection))
    note.refresh_from_db()
    assert "/s/" not in note.body
    assert note.body == old_body.replace(case_link_url(claim), LINK_PLACEHOLDER)
    assert body_for_sending(note) == old_body  # and the message sent is the same again
