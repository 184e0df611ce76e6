"""`visible_to` is the single answer to "what may this user see?". Each role, each side."""

from __future__ import annotations

import pytest

from cases.models import Complaint, DamageClaim, Promise, TimelineEvent
from projects.models import Dwelling, Project
from residents.models import Resident, Visit


@pytest.fixture
def cases(world):
    made = {}
    for name, project, dwelling in [
        ("mine", world.project, world.dwelling),
        ("theirs", world.other_project, world.other_dwelling),
    ]:
        made[name] = {
            "claim": DamageClaim.objects.create(project=project, dwelling=dwelling),
            "complaint": Complaint.objects.create(
                project=project, dwelling=dwelling, description="x"
            ),
            "promise": Promise.objects.create(project=project, dwelling=dwelling, description="x"),
        }
        TimelineEvent.objects.create(dwelling=dwelling, claim=made[name]["claim"], kind="created")
    return made


def visible(user):
    return {
        "projects": set(Project.objects.visible_to(user)),
        "dwellings": set(Dwelling.objects.visible_to(user)),
        "residents": set(Resident.objects.visible_to(user)),
        "claims": set(DamageClaim.objects.visible_to(user)),
        "complaints": set(Complaint.objects.visible_to(user)),
        "promises": set(Promise.objects.visible_to(user)),
        "timeline": {e.dwelling for e in TimelineEvent.objects.visible_to(user)},
    }


def only_project_a(world, cases):
    return {
        "projects": {world.project},
        "dwellings": {world.dwelling},
        "residents": {world.resident},
        "claims": {cases["mine"]["claim"]},
        "complaints": {cases["mine"]["complaint"]},
        "promises": {cases["mine"]["promise"]},
        "timeline": {world.dwelling},
    }


@pytest.mark.parametrize("who", ["supervisor", "handler", "manager"])
def test_team_members_see_exactly_their_project(world, cases, who):
    assert visible(getattr(world, who)) == only_project_a(world, cases)


@pytest.mark.parametrize("who", ["corporation_admin", "contractor_admin"])
def test_administrators_see_every_project_of_their_organisation(world, cases, who):
    assert visible(getattr(world, who)) == only_project_a(world, cases)


def test_colleague_not_on_the_team_sees_nothing(world, cases):
    assert all(not rows for rows in visible(world.colleague_off_team).values())


@pytest.mark.parametrize("who", ["other_supervisor", "other_handler", "other_admin"])
def test_another_organisation_sees_nothing_of_project_a(world, cases, who):
    seen = visible(getattr(world, who))
    assert world.project not in seen["projects"]
    assert world.dwelling not in seen["dwellings"]
    assert world.resident not in seen["residents"]
    assert cases["mine"]["claim"] not in seen["claims"]
    assert cases["mine"]["complaint"] not in seen["complaints"]
    assert cases["mine"]["promise"] not in seen["promises"]
    assert world.dwelling not in seen["timeline"]


def test_platform_staff_see_everything(world, cases):
    assert visible(world.staff)["projects"] == {world.project, world.other_project}


def test_anonymous_and_inactive_users_see_nothing(world, cases):
    from django.contrib.auth.models import AnonymousUser

    assert not Project.objects.visible_to(AnonymousUser()).exists()
    world.handler.is_active = False
    world.handler.save()
    assert not Project.objects.visible_to(world.handler).exists()


def test_team_member_whose_organisation_left_the_project_sees_nothing(world, cases):
    # A team row for someone whose organisation is neither the corporation nor the
    # contractor (e.g. after a change of contractor) grants nothing.
    from projects.models import ProjectMember

    ProjectMember.objects.create(
        project=world.project, user=world.other_supervisor, role="supervisor"
    )
    assert world.project not in Project.objects.visible_to(world.other_supervisor)


def test_visits_follow_the_same_rule(world):
    Visit.objects.create(dwelling=world.dwelling, visited_by=world.supervisor)
    assert Visit.objects.visible_to(world.handler).count() == 1
    assert Visit.objects.visible_to(world.other_handler).count() == 0
