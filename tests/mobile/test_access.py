"""Need to know: every /m/ URL that carries an id refuses everyone outside the project's
field team with a 404, as a page, as an htmx fragment, as a POST and as a photo."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from cases.services import claim_report, complaint_record, promise_record

from .conftest import make_photo

# Every /m/ URL with an id, and what it is asked: (name, methods).
MATRIX = {
    "mobile:project": ["get"],
    "mobile:dwelling": ["get"],
    "mobile:care": ["post"],
    "mobile:visit_new": ["get", "post"],
    "mobile:promise_new": ["get", "post"],
    "mobile:complaint_new": ["get", "post"],
    "mobile:claim_new": ["get", "post"],
    "mobile:claim": ["get"],
    "mobile:claim_photos": ["post"],
    "mobile:photo": ["get"],
    "mobile:photo_thumb": ["get"],
    "mobile:complaint": ["get"],
    "mobile:promise": ["get"],
    "mobile:promise_act": ["post"],
    "mobile:call_done": ["post"],
}
OUTSIDERS = [
    "other_supervisor",  # another project, another organisation
    "other_handler",
    "other_admin",
    "colleague_off_team",  # same contractor, not on the team
    "handler",  # on the team, but not in the field
    "corporation_admin",  # sees the project, but is not on the team
]


def test_matrix_covers_every_url_with_an_id():
    resolver = get_resolver()
    mobile = next(p for p in resolver.url_patterns if getattr(p, "namespace", "") == "mobile")
    with_ids = {
        f"mobile:{p.name}"
        for p in mobile.url_patterns
        if isinstance(p, URLPattern) and p.pattern.converters
    }
    # forms/<kind>/ carries a kind, not an object.
    assert with_ids - {"mobile:shell"} == set(MATRIX)


@pytest.fixture
def objects(world):
    claim = claim_report(dwelling=world.dwelling, by=world.supervisor, description="Kras")
    photo = make_photo(claim, world.supervisor)
    promise = promise_record(
        dwelling=world.dwelling,
        by=world.supervisor,
        description="Kit",
        due_on=timezone.localdate(),
    )
    complaint = complaint_record(dwelling=world.dwelling, by=world.supervisor, description="Stof")
    return {
        "mobile:project": world.project.pk,
        "mobile:dwelling": world.dwelling.pk,
        "mobile:care": world.dwelling.pk,
        "mobile:visit_new": world.dwelling.pk,
        "mobile:promise_new": world.dwelling.pk,
        "mobile:complaint_new": world.dwelling.pk,
        "mobile:claim_new": world.dwelling.pk,
        "mobile:claim": claim.pk,
        "mobile:claim_photos": claim.pk,
        "mobile:photo": photo.pk,
        "mobile:photo_thumb": photo.pk,
        "mobile:complaint": complaint.pk,
        "mobile:promise": promise.pk,
        "mobile:promise_act": [promise.pk, "done"],
        "mobile:call_done": call_task(world, promise).pk,
    }


def call_task(world, promise):
    """A call the supervisor must make about the promise (the resident wants calls)."""
    from cases.models import CallTask, ChasePolicy
    from cases.outbox import Changes
    from cases.recipients import of_resident

    world.resident.contact_channel = "phone"
    changes = Changes(timezone.now())
    changes.tell(
        promise,
        ChasePolicy.for_project(promise.project),
        purpose="resident_update",
        what="update-test",
        recipients=[of_resident(world.resident)],
        extra={"date": None},
    )
    changes.save()
    return CallTask.objects.get(promise=promise)


def _requests(objects):
    for name, methods in MATRIX.items():
        args = objects[name] if isinstance(objects[name], list) else [objects[name]]
        url = reverse(name, args=args)
        for method in methods:
            yield name, method, url


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_everywhere(client, world, objects, who):
    from cases.models import Complaint, DamageClaim, Promise
    from residents.models import Visit

    client.force_login(getattr(world, who))
    before = [m.objects.count() for m in (Visit, Promise, Complaint, DamageClaim)]
    for name, method, url in _requests(objects):
        for headers in ({}, {"HX-Request": "true"}, {"X-Outbox": "1"}):
            data = {"submission_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "description": "x"}
            response = getattr(client, method)(
                url, data if method == "post" else None, headers=headers
            )
            assert response.status_code == 404, (who, name, method, headers)
            assert b"Rijnstraat" not in response.content
            assert b"Truus" not in response.content
    assert [m.objects.count() for m in (Visit, Promise, Complaint, DamageClaim)] == before


def test_anonymous_is_sent_to_sign_in_and_scripts_get_401(client, world, objects):
    for _name, method, url in _requests(objects):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")
        response = getattr(client, method)(url, headers={"X-Outbox": "1"})
        assert response.status_code == 401


@pytest.mark.parametrize("who", ["supervisor", "manager", "staff"])
def test_the_field_team_and_platform_staff_get_in(client, world, objects, who):
    client.force_login(getattr(world, who))
    for name, method, url in _requests(objects):
        if method == "get":
            assert client.get(url).status_code == 200, name


def test_round_of_a_handler_names_projects_but_shows_no_addresses(client, world):
    client.force_login(world.handler)
    response = client.get("/m/")
    assert response.status_code == 200
    assert "Rivierenbuurt" in response.text
    assert "Rijnstraat" not in response.text
    assert reverse("mobile:project", args=[world.project.pk]) not in response.text


def test_round_of_another_organisation_shows_nothing_of_project_a(client, world):
    client.force_login(world.other_supervisor)
    response = client.get("/m/")
    assert "Vogelwijk" in response.text
    assert "Rivierenbuurt" not in response.text
