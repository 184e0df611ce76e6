"""Tokens: unguessable, stored only as a hash, revocable, re-issuable, and expiring a set
time after the case closed. Unknown, revoked and expired look the same from outside."""

from __future__ import annotations

import datetime
import math
from collections import Counter

import pytest
from django.urls import reverse

from cases.messages.link import body_for_sending
from cases.models import DamageClaim, Notification
from cases.services import claim_withdraw
from cases.services.errors import NotAllowed
from statuslink import tokens
from statuslink.services import status_link_reissue, status_link_revoke

from .conftest import record_complaint, report_claim, token_sent

pytestmark = pytest.mark.django_db


def get(client, token: str):
    return client.get(reverse("status", args=[token]))


def test_token_has_at_least_128_random_bits(world, clock):
    claim = report_claim(world)
    seen = set()
    for _ in range(200):
        token = tokens.assign(claim, claim.created_at)
        assert len(token) == 43  # 32 bytes, base64url without padding: 256 bits
        assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        seen.add(token)
    assert len(seen) == 200
    # The characters are spread like random ones (no fixed parts, no counter).
    counts = Counter("".join(seen))
    entropy = -sum(
        n / sum(counts.values()) * math.log2(n / sum(counts.values())) for n in counts.values()
    )
    assert entropy > 5.9  # log2(64) = 6 bits a character at best


def test_the_database_holds_only_a_hash(world, clock):
    claim = report_claim(world)
    token = token_sent(claim)
    claim.refresh_from_db()
    assert claim.status_token == tokens.token_hash(token)
    assert token not in claim.status_token and token not in claim.status_link_secret
    assert DamageClaim.objects.filter(status_token=token).count() == 0


def test_every_claim_and_complaint_gets_a_link_in_its_first_message(client, world, clock):
    claim = report_claim(world)
    complaint = record_complaint(world)
    for case in (claim, complaint):
        assert get(client, token_sent(case)).status_code == 200
    first = Notification.objects.get(claim=claim)
    assert first.channel == "sms"  # Truus prefers text messages
    assert f"https://woonrust.example.nl/s/{token_sent(claim)}/" in body_for_sending(first)


def test_an_expired_a_revoked_and_an_unknown_token_look_the_same(
    client, world, clock, django_assert_num_queries
):
    revoked_claim = report_claim(world)
    revoked = token_sent(revoked_claim)
    status_link_revoke(case=revoked_claim, by=world.handler)
    expired_claim = report_claim(world)
    expired = token_sent(expired_claim)
    claim_withdraw(claim=expired_claim, by=world.handler, reason="Zelf opgelost")
    unknown = tokens.assign(DamageClaim(), expired_claim.created_at)  # never saved
    clock.shift(datetime.timedelta(days=61))
    responses = []
    for token in (unknown, revoked, expired):
        # 1. claims by the token's hash; 2. complaints by the same hash — for every token.
        with django_assert_num_queries(2):
            responses.append(get(client, token))
    statuses = {r.status_code for r in responses}
    bodies = {r.content for r in responses}
    headers = {
        tuple(sorted((k, v) for k, v in r.headers.items() if k != "Content-Security-Policy"))
        for r in responses
    }
    assert statuses == {404}
    assert len(bodies) == 1 and len(headers) == 1
    body = responses[0].content.decode()
    assert "Deze link werkt niet (meer)." in body
    for leak in ("S-0", "schademelding S", "Rijnstraat", "Woonstede"):
        assert leak not in body


def test_the_link_works_until_a_set_time_after_closing(client, world, clock, settings):
    settings.STATUS_LINK_DAYS_AFTER_CLOSE = 60
    claim = report_claim(world)
    token = token_sent(claim)
    claim_withdraw(claim=claim, by=world.handler, reason="Zelf opgelost")
    clock.shift(datetime.timedelta(days=59))
    assert get(client, token).status_code == 200
    clock.shift(datetime.timedelta(days=2))
    assert get(client, token).status_code == 404


def test_reissue_makes_a_new_link_and_sends_it(client, world, clock):
    claim = report_claim(world)
    old = token_sent(claim)
    new = status_link_reissue(case=claim, by=world.handler)
    assert new != old
    assert get(client, old).status_code == 404
    assert get(client, new).status_code == 200
    message = Notification.objects.get(claim=claim, purpose="status_link_new")
    sent = body_for_sending(message)
    assert f"/s/{new}/" in sent and "De oude link werkt niet meer." in sent


def test_revoke_then_issue_again(client, world, clock):
    claim = report_claim(world)
    status_link_revoke(case=claim, by=world.handler)
    claim.refresh_from_db()
    assert claim.status_token is None and claim.status_link_revoked_at is not None
    token = status_link_reissue(case=claim, by=world.handler)
    assert get(client, token).status_code == 200


def test_only_deciders_of_the_project_change_links(world, clock):
    claim = report_claim(world)
    for outsider in (world.other_handler, world.supervisor):
        with pytest.raises(NotAllowed):
            status_link_revoke(case=claim, by=outsider)
        with pytest.raises(NotAllowed):
            status_link_reissue(case=claim, by=outsider)
    assert get_ok(claim)


def get_ok(claim) -> bool:
    claim.refresh_from_db()
    return claim.status_token is not None


def test_admin_actions(client, world, clock):
    claim = report_claim(world)
    old = token_sent(claim)
    client.force_login(world.staff)
    changelist = reverse("admin:cases_damageclaim_changelist")
    response = client.post(
        changelist, {"action": "reissue_status_link", "_selected_action": [claim.pk]}, follow=True
    )
    assert response.status_code == 200
    client.logout()
    assert get(client, old).status_code == 404
    client.force_login(world.staff)
    client.post(changelist, {"action": "revoke_status_link", "_selected_action": [claim.pk]})
    claim.refresh_from_db()
    assert claim.status_token is None
    # The change form never shows the hash or the secret.
    page = client.get(reverse("admin:cases_damageclaim_change", args=[claim.pk])).content.decode()
    assert "status_link_secret" not in page and 'name="status_token"' not in page
