"""Mijn werk: my cases whose step is due or overdue and the escalations that reached me;
for a project manager the escalations of their projects. Nobody sees another's."""

from __future__ import annotations

from accounts.models import User
from cases.models import DamageClaim, Notification
from tests.conftest import make_user

from .conftest import claim, complaint, promise


def escalate(case, to: User) -> None:
    """As the chase does: the case's level goes up and the escalation is written."""
    type(case).objects.filter(pk=case.pk).update(escalation_level=1)
    Notification.objects.create(
        key=f"claim-{case.pk}/s{case.step_seq}/escalation/L1/user-{to.pk}/email",
        purpose="escalation",
        recipient_user=to,
        channel="email",
        to=to.email,
        body="…",
        claim=case,
    )


def test_my_due_and_overdue_cases_most_delayed_first(client, world):
    late = claim(world, handler=world.handler, due=-3)
    today = complaint(world, due=-0.001)  # unassigned, due a minute ago: ours
    later = claim(world, handler=world.handler, due=5)  # not due yet
    waiting = claim(
        world, handler=world.handler, due=-2, status=DamageClaim.Status.WAITING_RESIDENT
    )
    theirs = claim(
        world, handler=make_user("ander@woonstede.nl", world.corporation, "handler"), due=-4
    )
    promised = promise(world, due=-1)  # the supervisor's: not a handler's work
    client.force_login(world.handler)
    r = client.get("/office/mine/")
    assert r.status_code == 200
    due = [item.case for item in r.context["due"]]
    assert due == [late, today]
    for case in (later, waiting, theirs, promised):
        assert case.number not in r.text
    assert f"/office/claim/{late.pk}/" in r.text
    assert "werkdagen te laat" in r.text or "werkdag te laat" in r.text


def test_escalations_to_me_and_in_the_projects_i_manage(client, world):
    stuck = claim(world, handler=world.handler, due=-6)
    escalate(stuck, world.manager)
    quiet = claim(world, due=-6)
    type(quiet).objects.filter(pk=quiet.pk).update(escalation_level=1)  # told someone else
    client.force_login(world.manager)
    r = client.get("/office/mine/")
    assert [i.case for i in r.context["escalated"]] == [stuck]
    assert {i.case for i in r.context["managed"]} == {stuck, quiet}
    assert "Escalaties in mijn projecten" in r.text
    # A handler has no "Escalaties" section; the manager's escalation is not theirs.
    client.force_login(world.handler)
    r = client.get("/office/mine/")
    assert r.context["escalated"] == [] and r.context["managed"] == []
    assert "Escalaties in mijn projecten" not in r.text


def test_an_escalation_of_an_earlier_step_is_not_shown(client, world):
    stuck = claim(world, handler=world.handler, due=-6)
    escalate(stuck, world.manager)
    DamageClaim.objects.filter(pk=stuck.pk).update(step_seq=2)  # the case moved on
    client.force_login(world.manager)
    assert client.get("/office/mine/").context["escalated"] == []


def test_another_organisation_sees_none_of_it(client, world):
    mine = claim(world, handler=world.handler, due=-2)
    escalate(mine, world.manager)
    for outsider in (world.other_handler, world.other_admin):
        client.force_login(outsider)
        r = client.get("/office/mine/")
        assert r.status_code == 200
        assert mine.number not in r.text and world.dwelling.street not in r.text
    # A handler from elsewhere named on the case still does not see it.
    DamageClaim.objects.filter(pk=mine.pk).update(handler=world.other_handler)
    client.force_login(world.other_handler)
    assert mine.number not in client.get("/office/mine/").text


def test_supervisors_and_anonymous_people_are_kept_out(client, world):
    assert client.get("/office/mine/").status_code == 302
    client.force_login(world.supervisor)
    assert client.get("/office/mine/").status_code == 403


def test_query_count_does_not_grow_with_the_work(client, world, django_assert_num_queries):
    client.force_login(world.manager)
    client.get("/office/mine/")

    def count() -> None:
        # 1 session, 2 user, 3 today's absences (whom I cover), 4-6 due candidates per
        # kind, 7 the project teams (only when there are candidates), 8-10 escalated to
        # me per kind, 11-13 escalations of my projects per kind
        with django_assert_num_queries(13):
            assert client.get("/office/mine/").status_code == 200

    # The manager is reminded only for projects without handlers: remove Anna's role.
    world.project.members.filter(role="handler").delete()
    claim(world, due=-1)
    count()
    for d in range(10):
        case = claim(world, due=-d - 1)
        escalate(case, world.manager)
        complaint(world, due=-d)
        promise(world, due=-d, handler=world.manager)
    count()
    r = client.get("/office/mine/")
    assert len(r.context["due"]) == 31
    assert len(r.context["escalated"]) == 10
