"""An organisation's administrator sees in the admin only their own organisation's data."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.admin_scope import ScopedInline, ScopedModelAdmin, administrators_group
from cases.models import DamageClaim
from mobile.models import CareNeedAccess
from projects.models import Dwelling, ProjectMember, WorkWindow
from residents.models import CareNeed, Resident


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


# --- Foreign ids in a POST: the pickers offer only your own objects, the form too. ----

# The care-need changelist: session, user, user and group permissions, the two counts
# of the changelist, the page of care needs with their residents, the access log write,
# today's count of residents seen by this user (privacy/alerts.py).
QUERIES_CARE_NEED_CHANGELIST = 9
# The resident page: session, user, the resident, user and group permissions, its
# dwelling (for the project), whether the user is on that project's team, the care-need
# rows, the access log write, today's count of residents seen (privacy/alerts.py), the
# dwelling for the raw-id label (found among the visible).
QUERIES_RESIDENT_CHANGE = 11

MANAGEMENT = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0"}


def inline_management(prefix: str) -> dict[str, str]:
    return {f"{prefix}-{key}": value for key, value in MANAGEMENT.items()}


def _resident(w, dwelling) -> dict:
    return {
        "dwelling": dwelling.pk,
        "first_name": "Karel",
        "last_name": "Appel",
        "language": "nl",
        "contact_channel": "sms",
        "is_main_contact": "on",
        "non_essential_messages": "on",
        "created_at_0": "01-03-2026",
        "created_at_1": "10:00",
        **inline_management("care_needs"),
    }


WRITES = {
    # model: (the POST, given the world and "mine" or "theirs"; how to find what it made)
    "residents.resident": (
        lambda w, side: _resident(w, w.dwelling if side == "mine" else w.other_dwelling),
        lambda: Resident.objects.filter(last_name="Appel"),
    ),
    "residents.careneed": (
        lambda w, side: {
            "resident": (w.resident if side == "mine" else w.other_resident).pk,
            "kind": "mobility",
            "note": "CANARY-TRAPLIFT",
        },
        lambda: CareNeed.objects.filter(note="CANARY-TRAPLIFT"),
    ),
    "projects.dwelling": (
        lambda w, side: {
            "project": (w.project if side == "mine" else w.other_project).pk,
            "street": "Kerkstraat",
            "number": "5",
            "postcode": "3511 AA",
            "city": "Utrecht",
            **inline_management("work_windows"),
        },
        lambda: Dwelling.objects.filter(street="Kerkstraat"),
    ),
    "projects.workwindow": (
        lambda w, side: {
            "dwelling": (w.dwelling if side == "mine" else w.other_dwelling).pk,
            "description": "Keuken vervangen",
            "starts_on": "02-03-2026",
            "ends_on": "06-03-2026",
        },
        lambda: WorkWindow.objects.filter(description="Keuken vervangen"),
    ),
    "projects.projectmember": (
        lambda w, side: {
            "project": (w.project if side == "mine" else w.other_project).pk,
            "user": w.corporation_admin.pk,
            "role": "manager",
        },
        lambda: ProjectMember.objects.filter(role="manager", user__email="beheer@woonstede.nl"),
    ),
}


@pytest.fixture
def on_team(world, org_admin):
    """The administrator on their project's team (care needs are for the team only)."""
    ProjectMember.objects.create(project=world.project, user=org_admin, role="handler")
    return org_admin


@pytest.mark.parametrize("label", list(WRITES))
def test_a_foreign_id_in_the_post_is_a_form_error_not_a_row(client, world, on_team, label):
    data, made = WRITES[label]
    app, model = label.split(".")
    url = reverse(f"admin:{app}_{model}_add")
    client.force_login(on_team)
    refused = client.post(url, data(world, "theirs"))
    assert refused.status_code == 200  # the form again, with the message beside the field
    assert not made().exists()
    assert "errorlist" in refused.text
    for secret in ["Vogelwijk", "Merelstraat", "Visser"]:
        assert secret not in refused.text
    # The same form with their own object is accepted: the POST itself is a good one.
    assert client.post(url, data(world, "mine")).status_code == 302
    assert made().count() == 1


def test_a_project_cannot_be_moved_to_another_organisation(client, world, org_admin):
    client.force_login(org_admin)
    url = reverse("admin:projects_project_change", args=[world.project.pk])
    page = client.get(url)
    assert 'name="corporation"' not in page.text and 'name="contractor"' not in page.text
    response = client.post(
        url,
        {
            "name": "Rivierenbuurt",
            "code": "rivierenbuurt",
            "corporation": world.other_corporation.pk,
            "contractor": world.other_contractor.pk,
            "city": "Amersfoort",
            "starts_on": "01-01-2026",
            "ends_on": "31-12-2027",
            "phase": "execution",
            "created_at_0": "01-01-2026",
            "created_at_1": "09:00",
            **inline_management("members"),
        },
    )
    assert response.status_code == 302
    world.project.refresh_from_db()
    assert world.project.city == "Amersfoort"  # the rest of the form was taken
    assert world.project.corporation == world.corporation
    assert world.project.contractor == world.contractor


def test_organisation_administrators_start_projects_in_the_office(client, world, org_admin):
    client.force_login(org_admin)
    assert client.get(reverse("admin:projects_project_add")).status_code == 403


# --- Names and addresses by id in the address bar. ---------------------------------


@pytest.mark.parametrize(
    ("url_name", "field", "mine", "theirs", "secret"),
    [
        ("residents_resident_add", "dwelling", "dwelling", "other_dwelling", "Merelstraat"),
        ("projects_workwindow_add", "dwelling", "dwelling", "other_dwelling", "Merelstraat"),
        ("residents_careneed_add", "resident", "resident", "other_resident", "Visser"),
        ("residents_visit_add", "dwelling", "dwelling", "other_dwelling", "Merelstraat"),
    ],
)
def test_a_prefilled_foreign_id_prints_nothing(
    client, world, on_team, url_name, field, mine, theirs, secret
):
    client.force_login(on_team)
    url = reverse(f"admin:{url_name}")
    response = client.get(url, {field: getattr(world, theirs).pk})
    assert response.status_code in (200, 403)
    assert secret not in response.text
    assert f'value="{getattr(world, theirs).pk}"' not in response.text
    if response.status_code == 200:  # their own object is still pre-filled and named
        own = client.get(url, {field: getattr(world, mine).pk}).text
        assert str(getattr(world, mine)) in own


def test_platform_staff_still_see_any_prefilled_object(client, world):
    client.force_login(world.staff)
    url = reverse("admin:residents_resident_add")
    assert "Merelstraat" in client.get(url, {"dwelling": world.other_dwelling.pk}).text


def test_autocomplete_and_history_stay_inside(client, world, org_admin):
    client.force_login(org_admin)
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "projects", "model_name": "dwelling", "field_name": "project", "term": ""},
    )
    assert found.status_code == 200
    names = [row["text"] for row in found.json()["results"]]
    assert names == ["Rivierenbuurt"]
    history = reverse("admin:projects_dwelling_history", args=[world.other_dwelling.pk])
    assert client.get(history).status_code == 302


# --- Care needs: the team only, and every look logged. ------------------------------


@pytest.fixture
def care_need(world):
    return CareNeed.objects.create(resident=world.resident, kind="mobility", note="CANARY-ROLLATOR")


def test_administrators_off_the_team_do_not_see_care_needs(client, world, org_admin, care_need):
    client.force_login(org_admin)
    changelist = client.get(reverse("admin:residents_careneed_changelist"))
    assert changelist.status_code == 200
    assert "CANARY-ROLLATOR" not in changelist.text
    change = reverse("admin:residents_careneed_change", args=[care_need.pk])
    assert client.get(change).status_code == 302
    resident = client.get(reverse("admin:residents_resident_change", args=[world.resident.pk]))
    assert resident.status_code == 200  # the resident yes, their care needs no
    assert "CANARY-ROLLATOR" not in resident.text and "Reduced mobility" not in resident.text
    assert not CareNeedAccess.objects.exists()
    # Not even platform staff, unless they are on the team (as on the phone).
    client.force_login(world.staff)
    assert "CANARY-ROLLATOR" not in client.get(reverse("admin:residents_careneed_changelist")).text


def test_the_team_sees_care_needs_and_every_look_is_logged(client, world, on_team, care_need):
    client.force_login(on_team)
    changelist = client.get(reverse("admin:residents_careneed_changelist"))
    assert "CANARY-ROLLATOR" in changelist.text
    change = client.get(reverse("admin:residents_careneed_change", args=[care_need.pk]))
    assert "CANARY-ROLLATOR" in change.text
    resident = client.get(reverse("admin:residents_resident_change", args=[world.resident.pk]))
    assert "CANARY-ROLLATOR" in resident.text
    looks = list(CareNeedAccess.objects.values_list("user", "resident", "purpose"))
    assert looks == [(on_team.pk, world.resident.pk, "administration")] * 3


# --- Nothing registered escapes the scoping. ----------------------------------------


def test_every_admin_and_inline_is_scoped():
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, ScopedModelAdmin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, ScopedInline), inline


def test_care_need_pages_cost_the_same_for_one_row_or_many(
    client, world, on_team, django_assert_num_queries
):
    client.force_login(on_team)
    url = reverse("admin:residents_careneed_changelist")

    def add_residents(n: int) -> None:
        for i in range(n):
            resident = Resident.objects.create(dwelling=world.dwelling, first_name=f"R{i}")
            CareNeed.objects.create(resident=resident, kind="hearing")

    add_residents(1)
    client.get(url)  # sessions, content types and permissions cached
    with django_assert_num_queries(QUERIES_CARE_NEED_CHANGELIST):
        assert client.get(url).status_code == 200
    add_residents(9)
    with django_assert_num_queries(QUERIES_CARE_NEED_CHANGELIST):
        assert client.get(url).status_code == 200
    assert CareNeedAccess.objects.filter(user=on_team).count() == 1 + 1 + 10


def test_the_resident_page_with_care_needs_has_a_fixed_cost(
    client, world, on_team, care_need, django_assert_num_queries
):
    client.force_login(on_team)
    url = reverse("admin:residents_resident_change", args=[world.resident.pk])
    client.get(url)
    with django_assert_num_queries(QUERIES_RESIDENT_CHANGE):
        assert client.get(url).status_code == 200


def test_an_empty_choice_speaks_the_users_language(rf, world, org_admin):
    from django.utils import translation

    from cases.models import DamageClaim

    request = rf.get("/admin/")
    request.user = org_admin
    model_admin = admin.site._registry[DamageClaim]
    with translation.override("nl"):
        field = model_admin.formfield_for_foreignkey(
            DamageClaim._meta.get_field("handler"), request
        )
        assert str(field.empty_label) == "- Kies een optie -"
