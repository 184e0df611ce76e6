"""Cover for absence: while a person is away their deputy gets the reminders, and the
case, the message and the absence page say so."""

from __future__ import annotations

import datetime

import pytest

from accounts.models import Absence
from cases import services
from cases.models import Notification
from cases.recipients import cover, covering
from tests.conftest import make_user

from .conftest import ams, chase_log, run_chase_until


def away(person, deputy, starts: datetime.date, ends: datetime.date) -> Absence:
    return Absence.objects.create(person=person, deputy=deputy, starts_on=starts, ends_on=ends)


MONDAY = datetime.date(2026, 6, 8)
FRIDAY = datetime.date(2026, 6, 12)


def test_a_deputy_gets_the_reminders_while_the_handler_is_away(chase_world, clock, people):
    w = chase_world
    deputy = make_user(
        "bert@woonstede.nl",
        w.corporation,
        "handler",
        full_name="Bert Smit",
        email_delivery="immediate",
    )
    away(w.handler, deputy, MONDAY, FRIDAY)
    clock.move_to(ams(2026, 6, 3, 10))  # Wednesday before
    claim = services.claim_report(
        dwelling=w.dwelling, by=w.supervisor, resident=w.resident, description="Kras"
    )
    services.case_assign(case=claim, by=w.manager, handler=w.handler)
    run_chase_until(clock, ams(2026, 6, 16, 12))

    reminders = [row for row in chase_log(claim=claim) if row[1] == "reminder"]
    by_day = {row[0][:14]: row[2] for row in reminders}
    # Before the absence and after it: the handler; from Monday to Friday: the deputy.
    assert by_day["Fri 05-06-2026"] == people["anna"]
    assert by_day["Tue 09-06-2026"] == "bert@woonstede.nl"
    assert by_day["Thu 11-06-2026"] == "bert@woonstede.nl"
    assert by_day["Mon 15-06-2026"] == people["anna"]
    note = Notification.objects.filter(claim=claim, recipient_user=deputy).first()
    assert "afwezig is tot en met 12-06-2026" in note.body
    assert "Anna" in note.body
    assert f"/office/claim/{claim.pk}/" in note.body
    # No one is told twice on a day the deputy covers.
    assert not Notification.objects.filter(
        claim=claim, recipient_user=w.handler, created_at__date=datetime.date(2026, 6, 9)
    ).exists()


def test_the_case_page_says_who_covers(client, chase_world, clock):
    w = chase_world
    deputy = make_user("bert@woonstede.nl", w.corporation, "handler", full_name="Bert Smit")
    clock.move_to(ams(2026, 6, 9, 10))
    claim = services.claim_report(dwelling=w.dwelling, by=w.supervisor, resident=w.resident)
    services.case_assign(case=claim, by=w.manager, handler=w.handler)
    client.force_login(w.manager)
    assert "covers" not in client.get(f"/office/claim/{claim.pk}/").text
    away(w.handler, deputy, MONDAY, FRIDAY)
    page = client.get(f"/office/claim/{claim.pk}/").text
    assert "is afwezig tot en met 12-06-2026; Bert Smit neemt waar." in page


def test_cover_follows_a_chain_and_stops_at_a_loop_or_a_leaver(world):
    a, b = world.handler, world.corporation_admin
    c = make_user("c@woonstede.nl", world.corporation, "handler")
    away(a, b, MONDAY, FRIDAY)
    away(b, c, MONDAY, FRIDAY)
    assert covering(a, MONDAY)[0] == c
    assert covering(a, MONDAY)[1].person == a  # the message says who it was meant for
    assert covering(a, FRIDAY + datetime.timedelta(days=1)) == (a, None)
    away(c, a, MONDAY, FRIDAY)  # back to the start: the last one who is not passed acts
    assert covering(a, MONDAY)[0] == c
    c.is_active = False
    c.save()
    assert covering(a, MONDAY)[0] == b
    assert cover(a, {}) == (a, None)


@pytest.fixture
def colleague(world):
    return make_user("bert@woonstede.nl", world.corporation, "handler", full_name="Bert Smit")


def test_a_handler_plans_an_absence_and_removes_it(client, world, colleague, clock):
    clock.move_to(ams(2026, 6, 1, 10))
    client.force_login(world.handler)
    page = client.get("/account/absence/")
    assert page.status_code == 200
    assert "Bert Smit" in page.text and world.other_handler.get_full_name() not in page.text
    saved = client.post(
        "/account/absence/",
        {"starts_on": "2026-06-08", "ends_on": "2026-06-12", "deputy": colleague.pk},
        follow=True,
    )
    assert "Opgeslagen. Zolang u afwezig bent, krijgt Bert Smit uw herinneringen." in saved.text
    absence = Absence.objects.get(person=world.handler)
    assert (absence.deputy, absence.starts_on, absence.ends_on) == (colleague, MONDAY, FRIDAY)
    # Bert is not on the team of the handler's project: the page warns.
    assert "staat niet in het team van" in saved.text
    removed = client.post(f"/account/absence/{absence.pk}/delete/", follow=True)
    assert "De afwezigheid is verwijderd." in removed.text
    assert not Absence.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"starts_on": "2026-06-12", "ends_on": "2026-06-08"},
            "ends_on",
            "De laatste dag kan niet voor de eerste dag liggen.",
        ),
        ({"starts_on": "2026-05-01", "ends_on": "2026-05-02"}, "ends_on", "Deze dag is voorbij."),
        ({"starts_on": "gisteren", "ends_on": "2026-06-08"}, "starts_on", "geldige datum"),
        ({"starts_on": "2026-06-08", "ends_on": "2026-06-09", "deputy": ""}, "deputy", "verplicht"),
    ],
)
def test_bad_input_is_named_beside_its_field_and_kept(
    client, world, colleague, clock, data, field, message
):
    clock.move_to(ams(2026, 6, 1, 10))
    client.force_login(world.handler)
    data = {"deputy": colleague.pk, **data}
    response = client.post("/account/absence/", data)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    assert f'value="{data["starts_on"]}"' in response.text
    assert not Absence.objects.exists()


def test_overlapping_absences_and_strangers_are_refused(client, world, colleague, clock):
    clock.move_to(ams(2026, 6, 1, 10))
    away(world.handler, colleague, MONDAY, FRIDAY)
    client.force_login(world.handler)
    overlap = client.post(
        "/account/absence/",
        {"starts_on": "2026-06-11", "ends_on": "2026-06-15", "deputy": colleague.pk},
    )
    assert overlap.status_code == 400
    assert "U bent op een deel van deze dagen al afwezig." in overlap.text
    # Someone of another organisation, or oneself, is not a choice.
    for deputy in (world.other_handler, world.handler):
        response = client.post(
            "/account/absence/",
            {"starts_on": "2026-06-22", "ends_on": "2026-06-23", "deputy": deputy.pk},
        )
        assert response.status_code == 400
        assert "deputy" in response.context["form"].errors
    assert Absence.objects.count() == 1


def test_only_ones_own_absence_can_be_removed_and_privacy_officers_have_none(
    client, world, colleague
):
    theirs = away(world.other_handler, world.other_admin, MONDAY, FRIDAY)
    client.force_login(world.handler)
    assert client.post(f"/account/absence/{theirs.pk}/delete/").status_code == 404
    assert Absence.objects.filter(pk=theirs.pk).exists()
    officer = make_user("avg@woonstede.nl", world.corporation, "privacy_officer")
    client.force_login(officer)
    assert client.get("/account/absence/").status_code == 403
    client.logout()
    assert client.get("/account/absence/").status_code == 302


def test_the_deputys_work_and_digest_hold_the_cases_they_cover(chase_world, clock):
    from cases import work
    from projects.models import ProjectMember

    w = chase_world
    deputy = make_user("bert@woonstede.nl", w.corporation, "handler", full_name="Bert Smit")
    ProjectMember.objects.create(project=w.project, user=deputy, role="handler")
    clock.move_to(ams(2026, 6, 3, 10))
    claim = services.claim_report(dwelling=w.dwelling, by=w.supervisor, resident=w.resident)
    services.case_assign(case=claim, by=w.manager, handler=w.handler)
    tuesday = ams(2026, 6, 9, 12)
    clock.move_to(tuesday)
    assert [i.case for i in work.due_for(w.handler, tuesday)] == [claim]
    assert work.due_for(deputy, tuesday) == []
    away(w.handler, deputy, MONDAY, FRIDAY)
    assert [i.case for i in work.due_for(deputy, tuesday)] == [claim]
    assert work.due_for(w.handler, tuesday) == []
