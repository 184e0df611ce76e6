"""Every /office/ URL: needs login, refuses supervisors (403), and gives another
organisation's handler a 404 for our objects and nothing of ours in lists."""

from __future__ import annotations

import pytest

from cases.models import ClaimPhoto, DamageClaim

from .conftest import claim, complaint, promise


@pytest.fixture
def objects(world):
    c = claim(world, status=DamageClaim.Status.ASSESSING, description="Kras in Rivierenbuurt")
    photo = ClaimPhoto.objects.create(claim=c, image="claims/x.jpg")
    return {
        "claim": c,
        "complaint": complaint(world),
        "promise": promise(world),
        "photo": photo,
        "project": world.project,
    }


def object_urls(o) -> list[tuple[str, str]]:
    """(method, url) of every back-office URL that names one of our objects."""
    c, k, p = o["claim"], o["complaint"], o["promise"]
    pk = o["project"].pk
    return [
        ("get", f"/office/claim/{c.pk}/"),
        ("get", f"/office/complaint/{k.pk}/"),
        ("get", f"/office/promise/{p.pk}/"),
        ("post", f"/office/claim/{c.pk}/do/accept/"),
        ("post", f"/office/complaint/{k.pk}/do/acknowledge/"),
        ("post", f"/office/promise/{p.pk}/do/done/"),
        ("post", f"/office/claim/{c.pk}/note/"),
        ("post", f"/office/claim/{c.pk}/assign/"),
        ("get", f"/office/claim/{c.pk}/letter.pdf"),
        ("get", f"/office/addresses/{c.dwelling_id}/"),
        ("post", f"/office/addresses/{c.dwelling_id}/care/"),
        ("get", f"/office/photos/{o['photo'].pk}/"),
        ("get", f"/office/photos/{o['photo'].pk}/thumb/"),
        ("get", f"/office/projects/{pk}/dashboard/"),
        ("get", f"/office/projects/{pk}/dashboard/export.csv"),
        ("get", f"/office/projects/{pk}/setup/"),
        ("post", f"/office/projects/{pk}/setup/"),
        ("get", f"/office/projects/{pk}/import/"),
        ("post", f"/office/projects/{pk}/import/"),
    ]


LIST_URLS = [
    "/office/",
    "/office/export.csv",
    "/office/export.xlsx",
    "/office/dashboard/",
    "/office/dashboard/export.csv",
    "/office/dashboard/export.xlsx",
    "/office/projects/",
]


def _call(client, method: str, url: str):
    return client.get(url) if method == "get" else client.post(url, {})


def test_every_url_needs_login(client, objects):
    for method, url in object_urls(objects) + [
        ("get", u) for u in [*LIST_URLS, "/office/projects/new/"]
    ]:
        response = _call(client, method, url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/"), url


def test_a_supervisor_cannot_reach_the_back_office(client, world, objects):
    client.force_login(world.supervisor)
    for method, url in object_urls(objects) + [
        ("get", u) for u in [*LIST_URLS, "/office/projects/new/"]
    ]:
        assert _call(client, method, url).status_code == 403, url


@pytest.mark.parametrize("who", ["other_handler", "other_admin"])
def test_another_organisation_gets_404_and_sees_nothing(client, world, objects, who):
    client.force_login(getattr(world, who))
    for method, url in object_urls(objects):
        assert _call(client, method, url).status_code == 404, url
    for url in LIST_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Rivierenbuurt" not in body, url
        assert b"Rijnstraat" not in body, url
    objects["claim"].refresh_from_db()
    assert objects["claim"].status == DamageClaim.Status.ASSESSING


def test_the_team_gets_in(client, world, objects):
    for user in (world.handler, world.manager, world.corporation_admin, world.staff):
        client.force_login(user)
        for url in (
            f"/office/claim/{objects['claim'].pk}/",
            f"/office/complaint/{objects['complaint'].pk}/",
            f"/office/promise/{objects['promise'].pk}/",
            f"/office/addresses/{objects['claim'].dwelling_id}/",
            "/office/",
            "/office/dashboard/",
            f"/office/projects/{world.project.pk}/dashboard/",
            "/office/projects/",
        ):
            assert client.get(url).status_code == 200, (user, url)


def test_project_setup_is_for_administrators_and_the_project_manager(client, world, objects):
    url = f"/office/projects/{world.project.pk}/setup/"
    for user in (world.manager, world.corporation_admin, world.contractor_admin, world.staff):
        client.force_login(user)
        assert client.get(url).status_code == 200, user
    client.force_login(world.handler)
    assert client.get(url).status_code == 403
    assert client.get(f"/office/projects/{world.project.pk}/import/").status_code == 403
    assert client.get("/office/projects/new/").status_code == 403
