"""The page behind a working link: what it shows, what it never shows, how it answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import TimelineEvent
from cases.services import claim_ask_resident, claim_start_assessment, complaint_acknowledge

from .conftest import record_complaint, report_claim, token_sent

pytestmark = pytest.mark.django_db


def url(token: str, **query: str) -> str:
    suffix = "".join(f"{'&' if i else '?'}{k}={v}" for i, (k, v) in enumerate(query.items()))
    return reverse("status", args=[token]) + suffix


def test_shows_the_claim_in_plain_dutch(client, world, clock):
    claim = report_claim(world)
    claim_start_assessment(claim=claim, by=world.handler)
    response = client.get(url(token_sent(claim)))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Uw schademelding {claim.number}" in page
    assert "We bekijken uw schademelding." in page
    assert "Vloer" in page and "Woonkamer" in page
    assert "09-06-2026" in page  # reported on
    assert "Uw contactpersoon is Anna." in page
    assert 'href="tel:08001234"' in page
    assert '<html lang="nl">' in page


def test_shows_no_more_personal_data_than_needed(client, world, clock):
    claim = report_claim(world)
    claim_start_assessment(claim=claim, by=world.handler, note="Bewoner was erg boos, let op")
    page = client.get(url(token_sent(claim))).content.decode()
    for secret in [
        "Jansen",  # the resident's surname
        "Bakker",  # the handler's surname
        "Truus",  # not even the resident's own first name is needed
        "Rijnstraat",  # the address
        "06 12345678",
        "Bewoner was erg boos",  # an internal note on the timeline
        "Kras in het parket",  # the supervisor's own description
        "Piet",  # who recorded it
    ]:
        assert secret not in page, secret


def test_the_page_of_one_case_never_shows_another_case(client, world, clock):
    mine = report_claim(world)
    other = report_claim(
        world,
        dwelling=world.other_dwelling,
        resident=world.other_resident,
        by=world.other_supervisor,
        damage_kind="appliance",
        room="kitchen",
    )
    complaint = record_complaint(world)
    page = client.get(url(token_sent(mine))).content.decode()
    assert mine.number in page
    for leak in [other.number, complaint.number, "Keuken", "Apparaat", "Henk", "Visser"]:
        assert leak not in page, leak
    other_page = client.get(url(token_sent(other))).content.decode()
    assert other.number in other_page and mine.number not in other_page


def test_complaint_page(client, world, clock):
    complaint = record_complaint(world)
    complaint_acknowledge(complaint=complaint, by=world.handler)
    page = client.get(url(token_sent(complaint))).content.decode()
    assert f"Uw klacht {complaint.number}" in page
    assert "We behandelen uw klacht." in page
    assert "Stof" in page
    assert "Uw contactpersoon is Anna." in page


def test_english_by_preference_and_switchable_on_the_page(client, world, clock):
    world.resident.language = "en"
    world.resident.save()
    claim = report_claim(world)
    token = token_sent(claim)
    page = client.get(url(token)).content.decode()
    assert '<html lang="en">' in page and "We have received your damage report." in page
    assert 'href="?lang=nl"' in page
    dutch = client.get(url(token, lang="nl")).content.decode()
    assert '<html lang="nl">' in dutch and "We hebben uw schademelding ontvangen." in dutch
    # An unknown language falls back to the resident's own.
    assert '<html lang="en">' in client.get(url(token, lang="xx")).content.decode()


def test_shows_the_question_while_waiting_for_the_resident(client, world, clock):
    claim = report_claim(world)
    claim_start_assessment(claim=claim, by=world.handler)
    claim_ask_resident(claim=claim, by=world.handler, question="Wanneer gebeurde het?")
    page = client.get(url(token_sent(claim))).content.decode()
    assert "We hebben informatie van u nodig." in page
    assert "Stuur ons de informatie uiterlijk" in page
    assert "Wanneer gebeurde het?" in page
    assert 'enctype="multipart/form-data"' in page


def test_headers_keep_the_token_private(client, world, clock):
    claim = report_claim(world)
    response = client.get(url(token_sent(claim)))
    assert response["Cache-Control"] == "no-store, private"
    # The URL holds the token: it never goes to another site as a Referer ("same-origin",
    # not "no-referrer", which makes Chromium send `Origin: null` and fail CSRF on posts).
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]
    assert "Content-Security-Policy" in response
    page = response.content.decode()
    # No inline scripts or styles (CSP), and no JavaScript needed at all.
    assert "<script" not in page and "style=" not in page and "<style" not in page


def test_query_count(client, world, clock, django_assert_num_queries):
    claim = report_claim(world)
    token = token_sent(claim)
    # 1. the claim by the token's hash, with project, organisations, handler, resident
    # 2. the complaint by the same hash (always run: same work for every token)
    # 3. the planned works at the home
    with django_assert_num_queries(3):
        assert client.get(url(token)).status_code == 200
    claim_start_assessment(claim=claim, by=world.handler)
    claim_ask_resident(claim=claim, by=world.handler, question="Wanneer?")
    # 1–3. as above; 4. the question the resident was asked (latest status change)
    with django_assert_num_queries(4):
        assert client.get(url(token)).status_code == 200


def test_only_get_and_post(client, world, clock):
    claim = report_claim(world)
    token = token_sent(claim)
    assert client.post(url(token)).status_code == 405
    assert client.get(reverse("status_answer", args=[token])).status_code == 405
    assert TimelineEvent.objects.filter(claim=claim).exists()
