"""An organisation's administrator sees in the admin only their own organisation's data."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.admin_scope import administrators_group
from cases.models import DamageClaim


@pytest.fixture
def org_admin(world):
    user = world.corporation_admin
    user.is_staff = True
    user.save()
    user.groups.add(administrators_group())
    return user


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}"
)
def test_every_changelist_opens_and_hides_the_other_organisation(client, world, org_admin, model):
    client.force_login(org_admin)
    opts = model._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    if response.status_code == 403:
        return  # Not for organisation administrators at all (e.g. groups).
    assert response.status_code == 200
    for secret in ["Vogelwijk", "Merelstraat", "Visser", "eigenhaard.nl", "Eigen Haard"]:
        assert secret not in response.text


def test_other_organisations_rows_cannot_be_opened(client, world, org_admin):
    theirs = DamageClaim.objects.create(project=world.other_project, dwelling=world.other_dwelling)
    mine = DamageClaim.objects.create(project=world.project, dwelling=world.dwelling)
    client.force_login(org_admin)
    assert client.get(reverse("admin:cases_damageclaim_change", args=[mine.pk])).status_code == 200
    response = client.get(reverse("admin:cases_damageclaim_change", args=[theirs.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    other = reverse("admin:projects_dwelling_change", args=[world.other_dwelling.pk])
    assert client.get(other).status_code == 302


def test_an_organisation_administrator_cannot_hand_out_rights(client, world, org_admin):
    client.force_login(org_admin)
    url = reverse("admin:accounts_user_change", args=[world.handler.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.text
    client.post(
        url,
        {
            "email": world.handler.email,
            "full_name": "Anna Bakker",
            "role": "handler",
            "language": "nl",
            "is_active": "on",
            "is_superuser": "on",
            "last_login_0": "",
            "date_joined_0": "01-01-2026",
            "date_joined_1": "09:00",
        },
    )
    world.handler.refresh_from_db()
    assert not world.handler.is_superuser
    # Users of another organisation are out of reach.
    other = reverse("admin:accounts_user_change", args=[world.other_handler.pk])
    assert client.get(other).status_code == 302


def test_platform_staff_see_both_organisations(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("admin:projects_project_changelist"))
    assert "Vogelwijk" in response.text and "Rivierenbuurt" in response.text
