"""The project set-up page warns when the corporation contact is missing (the top of the
ladder then falls back to the corporation's administrators)."""

from __future__ import annotations

from django.utils import translation


def test_the_project_set_up_page_warns_when_the_corporation_contact_is_missing(client, world):
    client.force_login(world.manager)
    url = f"/office/projects/{world.project.pk}/setup/"
    warning = "geen contactpersoon bij de corporatie"
    with translation.override("nl"):  # the page activates the user's language
        assert warning in client.get(url).content.decode()
        world.project.corporation_contact = world.corporation_admin
        world.project.save(update_fields=["corporation_contact"])
        assert warning not in client.get(url).content.decode()
