"""/office/messages/failed/: messages that failed for good, for administrators and
project managers, only on the projects they see."""

from __future__ import annotations

import pytest

from cases.models import Notification

from .conftest import claim

URL = "/office/messages/failed/"


def message(case, status: str, to: str) -> Notification:
    return Notification.objects.create(
        key=f"test/{case.pk}/{to}",
        claim=case,
        purpose="reminder",
        channel="sms",
        to=to,
        subject=f"Herinnering {to}",
        body="x",
        status=status,
        attempts=8,
        provider_answer="SmsError: invalid number",
    )


@pytest.fixture
def messages(world):
    ours = claim(world)
    theirs = claim(world, dwelling=world.other_dwelling)
    return {
        "failed": message(ours, "failed", "06 11111111"),
        "sent": message(ours, "sent", "06 22222222"),
        "pending": message(ours, "pending", "06 33333333"),
        "theirs": message(theirs, "failed", "06 44444444"),
    }


def test_the_manager_and_the_administrators_see_their_projects_failed_messages(
    client, world, messages, django_assert_num_queries
):
    for user in (world.manager, world.corporation_admin, world.staff):
        client.force_login(user)
        client.get(URL)  # the first page of a session also notes its second factor
        # session, user, the failed messages with their cases
        with django_assert_num_queries(3):
            response = client.get(URL)
        assert response.status_code == 200, user
        body = response.content.decode()
        assert "06 11111111" in body and "invalid number" in body
        assert messages["failed"].claim.number in body
        for other in ("06 22222222", "06 33333333"):
            assert other not in body, user
        assert ("06 44444444" in body) == (user == world.staff), user


def test_another_organisation_sees_none_of_ours(client, world, messages):
    client.force_login(world.other_admin)
    body = client.get(URL).content.decode()
    assert "06 11111111" not in body
    assert "06 44444444" in body


@pytest.mark.parametrize("who", ["supervisor", "handler"])
def test_supervisors_and_handlers_are_refused(client, world, messages, who):
    client.force_login(getattr(world, who))
    assert client.get(URL).status_code == 403


def test_it_needs_login(client, db):
    assert client.get(URL)["Location"].startswith("/login/")
