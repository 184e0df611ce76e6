"""The retention page: who may read it, who may change the periods and start retention,
and that another organisation sees nothing of it."""

from __future__ import annotations

import pytest

from accounts.models import User
from privacy.models import RetentionPolicy
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

URL = "/office/privacy/retention/"


def test_the_corporations_privacy_officer_sets_the_periods(client, world, officer):
    client.force_login(officer)
    response = client.post(
        URL + "periods/",
        {"personal_data_months": "36", "photo_months": "6", "message_months": "3"},
    )
    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(corporation=world.corporation)
    assert (policy.personal_data_months, policy.photo_months, policy.message_months) == (36, 6, 3)
    assert policy.updated_by == officer and policy.started_at is None


def test_bad_periods_are_told_beside_the_field_and_kept(client, world, officer):
    client.force_login(officer)
    response = client.post(
        URL + "periods/",
        {"personal_data_months": "0", "photo_months": "veel", "message_months": "99999"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count("field-error") == 3
    assert 'value="veel"' in body and 'value="99999"' in body
    assert not RetentionPolicy.objects.exists()


def test_starting_needs_the_confirmation(client, world, officer):
    client.force_login(officer)
    assert client.post(URL + "start/", {}).status_code == 400
    assert not RetentionPolicy.objects.filter(started_at__isnull=False).exists()
    assert client.post(URL + "start/", {"confirm": "on"}).status_code == 302
    policy = RetentionPolicy.objects.get(corporation=world.corporation)
    assert policy.started_by == officer and policy.started_at is not None


def test_the_corporations_administrator_may_too(client, world):
    client.force_login(world.corporation_admin)
    assert client.get(URL).status_code == 200
    assert client.post(URL + "start/", {"confirm": "on"}).status_code == 302
    assert RetentionPolicy.objects.get(corporation=world.corporation).started_at


def test_a_contractor_reads_the_periods_but_changes_nothing(client, world):
    officer = make_user("avg@jansen.nl", world.contractor, User.Role.PRIVACY_OFFICER)
    client.force_login(officer)
    body = client.get(URL).content.decode()
    assert "Woonstede" in body and "Eigen Haard" not in body
    assert client.post(URL + "start/", {"confirm": "on"}).status_code == 403
    assert client.post(URL + "periods/", {"personal_data_months": "1"}).status_code == 403
    assert not RetentionPolicy.objects.exists()


def test_another_organisation_sees_and_changes_nothing_of_ours(client, world, other_officer):
    RetentionPolicy.objects.create(corporation=world.corporation, personal_data_months=77)
    client.force_login(other_officer)
    body = client.get(URL).content.decode()
    assert "Eigen Haard" in body and "Woonstede" not in body and 'value="77"' not in body
    client.post(URL + "start/", {"confirm": "on"})
    client.post(URL + "periods/", {"personal_data_months": "1", "photo_months": "1"})
    ours = RetentionPolicy.objects.get(corporation=world.corporation)
    assert ours.personal_data_months == 77 and ours.started_at is None


@pytest.mark.parametrize("who", ["handler", "supervisor", "manager"])
def test_other_roles_get_403(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL + "start/", {"confirm": "on"}).status_code == 403
    assert not RetentionPolicy.objects.exists()


def test_signed_out_goes_to_the_login(client):
    assert client.get(URL)["Location"].startswith("/login/")


def test_the_office_menu_offers_a_privacy_officer_only_what_they_may_open(client, officer):
    import re

    client.force_login(officer)
    home = client.get("/", follow=True)
    assert home.status_code == 200
    nav = re.search(r'<nav class="office-nav".*?</nav>', home.content.decode(), re.S).group(0)
    links = re.findall(r'href="([^"]+)"', nav)
    assert "/office/" not in links and len(links) >= 4
    for link in links:
        assert client.get(link).status_code == 200, link
