"""After settlement the page asks one question: 1–10 and an optional remark; answered
once, changeable for a week, validated with a clear message."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.services import claim_start_assessment
from statuslink.models import SatisfactionAnswer

from .conftest import report_claim, token_sent
from .test_resident_messages import walk_to_settled

pytestmark = pytest.mark.django_db


@pytest.fixture
def settled(world, clock):
    claim = report_claim(world)
    walk_to_settled(world, claim, clock, repair=True)
    return claim, token_sent(claim)


def answer(client, token, **data):
    return client.post(reverse("status_answer", args=[token]), data)


def test_the_page_asks_once_settled(client, settled):
    claim, token = settled
    page = client.get(reverse("status", args=[token])).content.decode()
    assert "Hoe tevreden bent u over hoe wij uw schademelding hebben behandeld?" in page
    assert page.count('type="radio" name="score"') == 10


def test_not_asked_before_settlement(client, world, clock):
    claim = report_claim(world)
    claim_start_assessment(claim=claim, by=world.handler)
    token = token_sent(claim)
    assert 'name="score"' not in client.get(reverse("status", args=[token])).content.decode()
    response = answer(client, token, score="8")
    assert response.status_code == 409
    assert (
        "U kunt een cijfer geven als uw schademelding is afgehandeld." in response.content.decode()
    )
    assert not SatisfactionAnswer.objects.exists()


@pytest.mark.parametrize("score", ["0", "11", "tien", "", "8.5", "-1"])
def test_invalid_scores_get_a_clear_message_and_keep_the_remark(client, settled, score):
    _claim, token = settled
    response = answer(client, token, score=score, remark="Snel geholpen")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies een cijfer van 1 tot 10." in page
    assert "Snel geholpen</textarea>" in page
    assert not SatisfactionAnswer.objects.exists()


def test_remark_too_long(client, settled):
    _claim, token = settled
    response = answer(client, token, score="7", remark="x" * 1001)
    assert response.status_code == 400
    assert "Schrijf hoogstens 1000 tekens." in response.content.decode()


def test_answered_once_changeable_for_a_week(client, settled, clock):
    claim, token = settled
    response = answer(client, token, score="8", remark="Netjes opgelost")
    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()
    assert "Dank u wel voor uw antwoord." in page
    assert "U gaf een 8." in page and "Verander mijn antwoord" in page
    first = SatisfactionAnswer.objects.get(claim=claim)
    assert (first.score, first.remark, first.changed_at) == (8, "Netjes opgelost", None)

    clock.shift(datetime.timedelta(days=6))
    assert answer(client, token, score="9").status_code == 303
    changed = SatisfactionAnswer.objects.get(claim=claim)
    assert changed.score == 9 and changed.changed_at is not None
    assert changed.answered_at == first.answered_at
    assert SatisfactionAnswer.objects.count() == 1

    clock.shift(datetime.timedelta(days=2))
    page = client.get(reverse("status", args=[token])).content.decode()
    assert "Dank u wel. U gaf een 9." in page and 'name="score"' not in page
    response = answer(client, token, score="3")
    assert response.status_code == 409
    assert "Die week is voorbij." in response.content.decode()
    assert SatisfactionAnswer.objects.get(claim=claim).score == 9


def test_the_database_refuses_scores_outside_1_to_10(settled):
    claim, _token = settled
    for score in (0, 11):
        with pytest.raises(IntegrityError), transaction.atomic():
            SatisfactionAnswer.objects.create(claim=claim, score=score)


def test_answers_feed_the_dashboards(client, settled, world):
    claim, token = settled
    answer(client, token, score="6")
    assert SatisfactionAnswer.objects.visible_to(world.handler).summary() == {
        "answers": 1,
        "average": 6.0,
        "satisfied_share": 0.0,
    }
    assert SatisfactionAnswer.objects.visible_to(world.other_handler).summary()["answers"] == 0
