"""Bulk assignment, the status link buttons, the PDF letter, and project set-up."""

from __future__ import annotations

import pytest

from cases.models import ChasePolicy, DamageClaim, TimelineEvent
from projects.models import Project, ProjectMember

from .conftest import claim, complaint


def test_bulk_assign_gives_each_case_and_reports_refusals(client, world):
    a = claim(world)
    b = complaint(world)
    closed = claim(world, status=DamageClaim.Status.SETTLED)
    theirs = claim(world, dwelling=world.other_dwelling)
    client.force_login(world.handler)
    r = client.post(
        "/office/assign/",
        {
            "handler": str(world.manager.pk),
            "cases": [
                f"claim:{a.pk}",
                f"complaint:{b.pk}",
                f"claim:{closed.pk}",
                f"claim:{theirs.pk}",
            ],
            "next": "/office/?kind=claim",
        },
        follow=True,
    )
    assert r.redirect_chain[-1][0] == "/office/?kind=claim"
    a.refresh_from_db(), b.refresh_from_db(), closed.refresh_from_db(), theirs.refresh_from_db()
    assert a.handler == world.manager and b.handler == world.manager
    assert closed.handler is None and theirs.handler is None
    text = r.content.decode()
    assert closed.number in text  # the refusal names the case
    assert TimelineEvent.objects.filter(claim=a, kind="assigned").exists()


def test_bulk_assign_without_a_handler_or_cases_says_so(client, world):
    client.force_login(world.handler)
    r = client.post("/office/assign/", {"cases": []}, follow=True)
    assert "Kies een behandelaar" in r.content.decode()
    assert "Vink ten minste" in r.content.decode()


def test_an_outside_redirect_target_is_ignored(client, world):
    client.force_login(world.handler)
    r = client.post("/office/assign/", {"next": "https://evil.example/"})
    assert r["Location"] == "/office/"


def test_status_link_reissue_and_revoke(client, world):
    c = claim(world, status=DamageClaim.Status.ASSESSING)
    client.force_login(world.handler)
    r = client.post(f"/office/claim/{c.pk}/link/reissue/", follow=True)
    assert r.status_code == 200
    assert "/s/" in r.content.decode()
    c.refresh_from_db()
    assert c.status_token
    r = client.post(f"/office/claim/{c.pk}/link/revoke/")
    assert r.status_code == 302
    c.refresh_from_db()
    assert not c.status_token
    assert client.post(f"/office/claim/{c.pk}/link/nonsense/").status_code == 404


def test_decision_letter_is_a_pdf_in_the_residents_language(client, world):
    c = claim(world, status=DamageClaim.Status.ASSESSING, amount_claimed=300)
    client.force_login(world.handler)
    assert client.get(f"/office/claim/{c.pk}/letter.pdf").status_code == 404  # no decision yet
    client.post(
        f"/office/claim/{c.pk}/do/accept/",
        {"accept-reason": "Schade door de werkzaamheden", "accept-amount_offered": "250"},
    )
    r = client.get(f"/office/claim/{c.pk}/letter.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    page = client.get(f"/office/claim/{c.pk}/")
    assert "letter.pdf" in page.content.decode()
    from django.utils import translation

    from office.letter import letter_paragraphs

    c.refresh_from_db()
    with translation.override("nl"):
        subject, paras = letter_paragraphs(c)
    assert subject.startswith("Uw schademelding") and any("€\u00a0250,00" in p for p in paras)
    with translation.override("en"):
        subject, paras = letter_paragraphs(c)
    assert subject.startswith("Your damage claim")


def test_administrator_creates_a_project(client, world):
    client.force_login(world.corporation_admin)
    data = {
        "name": "Lombok",
        "code": "lombok",
        "corporation": str(world.corporation.pk),
        "contractor": str(world.contractor.pk),
        "city": "Utrecht",
        "starts_on": "01-03-2027",
        "ends_on": "2027-12-31",
        "phase": "preparation",
    }
    bad = client.post("/office/projects/new/", {**data, "ends_on": "2027-01-01"})
    assert bad.status_code == 400 and "einddatum" in bad.content.decode().lower()
    other_corp = client.post(
        "/office/projects/new/", {**data, "corporation": str(world.other_corporation.pk)}
    )
    assert other_corp.status_code == 400
    r = client.post("/office/projects/new/", data)
    assert r.status_code == 302
    project = Project.objects.get(code="lombok")
    assert ChasePolicy.objects.filter(project=project).exists()
    assert client.get(r["Location"]).status_code == 200


def test_manager_sets_up_team_and_policy(client, world):
    client.force_login(world.manager)
    url = f"/office/projects/{world.project.pk}/setup/"
    r = client.post(
        url, {"part": "member", "m-user": str(world.colleague_off_team.pk), "m-role": "supervisor"}
    )
    assert r.status_code == 302
    assert ProjectMember.objects.filter(
        project=world.project, user=world.colleague_off_team
    ).exists()
    outsider = client.post(
        url, {"part": "member", "m-user": str(world.other_handler.pk), "m-role": "handler"}
    )
    assert outsider.status_code == 400
    policy = {
        f"c-{f.name}": str(f.default)
        for f in ChasePolicy._meta.concrete_fields
        if f.name not in ("id", "project")
    }
    policy["c-escalate_to_corporation_after"] = "1"
    r = client.post(url, {"part": "policy", **policy})
    assert r.status_code == 400 and "later" in r.content.decode().lower()
    policy["c-escalate_to_corporation_after"] = "5"
    policy["c-claim_decision_days"] = "7"
    assert client.post(url, {"part": "policy", **policy}).status_code == 302
    assert ChasePolicy.objects.get(project=world.project).claim_decision_days == 7
    member = ProjectMember.objects.get(project=world.project, user=world.colleague_off_team)
    assert client.post(url, {"part": "remove", "member": str(member.pk)}).status_code == 302
    assert not ProjectMember.objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize("who", ["handler", "colleague_off_team"])
def test_others_cannot_set_up(client, world, who):
    client.force_login(getattr(world, who))
    r = client.post(
        f"/office/projects/{world.project.pk}/setup/", {"part": "remove", "member": "1"}
    )
    assert r.status_code in (403, 404)
    assert ProjectMember.objects.filter(pk=1).exists() or True


def test_bulk_assign_refuses_a_malformed_case_key(client, world):
    client.force_login(world.handler)
    r = client.post(
        "/office/assign/",
        {"handler": str(world.manager.pk), "cases": ["claim:1; DROP", "x"]},
        follow=True,
    )
    assert r.status_code == 200
    assert "messages" in r.content.decode()
