"""The back-office dwelling page: everything at one address, care needs on request with
every read logged, reachable from the case and the queue, scoped like every office page."""

from __future__ import annotations

from django.urls import reverse

from cases.models import TimelineEvent
from mobile.models import CareNeedAccess
from residents.models import CareNeed, Visit

from .conftest import claim, complaint, promise


def test_everything_at_one_address(client, world):
    c = claim(world, description="Scheur in de muur", amount_claimed=1250.5)
    k = complaint(world, description="Geluidsoverlast om zes uur")
    p = promise(world, description="Tuinhek terugplaatsen")
    Visit.objects.create(dwelling=world.dwelling, visited_by=world.supervisor, note="Koffie gehad")
    TimelineEvent.objects.create(
        dwelling=world.dwelling, claim=c, kind=TimelineEvent.Kind.NOTE, text="Gebeld met bewoner"
    )
    other = claim(world, dwelling=world.other_dwelling, description="CANARY-ANDER-ADRES")
    client.force_login(world.handler)
    r = client.get(f"/office/addresses/{world.dwelling.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    for text in (c.number, k.number, p.number, "Koffie gehad", "Gebeld met bewoner"):
        assert text in html, text
    assert world.resident.full_name in html and 'href="tel:0612345678"' in html
    assert "€\u00a01.250,50" in html
    assert other.number not in html and "CANARY-ANDER-ADRES" not in html
    # Reachable from the case and from the queue's rows (also search results).
    link = reverse("office:dwelling", args=[world.dwelling.pk])
    assert link in client.get(f"/office/claim/{c.pk}/").content.decode()
    assert link in client.get("/office/", {"q": world.dwelling.postcode}).content.decode()


def test_care_needs_shown_on_request_and_every_read_logged(client, world):
    CareNeed.objects.create(resident=world.resident, kind="mobility", note="CANARY-ROLSTOEL")
    client.force_login(world.handler)
    page = client.get(f"/office/addresses/{world.dwelling.pk}/").content.decode()
    assert "CANARY-ROLSTOEL" not in page and "Zorgbehoefte tonen" in page
    assert CareNeedAccess.objects.count() == 0
    # A GET never shows them: only the logged POST does.
    assert client.get(f"/office/addresses/{world.dwelling.pk}/care/").status_code == 405
    r = client.post(f"/office/addresses/{world.dwelling.pk}/care/")
    assert r.status_code == 200 and "CANARY-ROLSTOEL" in r.content.decode()
    log = CareNeedAccess.objects.get()
    assert log.user == world.handler and log.resident == world.resident
    assert log.purpose == "back-office"


def test_supervisor_gets_403_and_another_organisation_404(client, world):
    CareNeed.objects.create(resident=world.resident, kind="mobility", note="CANARY-ROLSTOEL")
    url = f"/office/addresses/{world.dwelling.pk}/"
    client.force_login(world.supervisor)
    for response in (client.get(url), client.post(url + "care/")):
        assert response.status_code == 403
        assert b"CANARY-ROLSTOEL" not in response.content
        assert world.resident.full_name.encode() not in response.content
    for user in (world.other_handler, world.other_admin):
        client.force_login(user)
        for response in (client.get(url), client.post(url + "care/")):
            assert response.status_code == 404
            assert b"CANARY-ROLSTOEL" not in response.content
            assert world.resident.full_name.encode() not in response.content
    assert CareNeedAccess.objects.count() == 0


def test_query_count_does_not_grow_with_what_the_address_holds(
    client, world, django_assert_num_queries
):
    client.force_login(world.handler)
    url = f"/office/addresses/{world.dwelling.pk}/"
    client.get(url)  # the first page of a session also notes its second factor

    def count_page() -> None:
        # 1 session, 2 user, 3 the dwelling and project, 4 residents (with the care
        # marker), 5-7 claims, complaints, promises, 8 visits, 9 the timeline
        with django_assert_num_queries(9):
            assert client.get(url).status_code == 200

    count_page()
    for _i in range(10):
        c = claim(world, handler=world.handler)
        complaint(world, handler=world.handler)
        promise(world)
        Visit.objects.create(dwelling=world.dwelling, visited_by=world.supervisor)
        TimelineEvent.objects.create(
            dwelling=world.dwelling, claim=c, kind=TimelineEvent.Kind.NOTE, actor=world.handler
        )
    count_page()


def test_an_administrator_off_the_team_sees_no_care_needs(client, world):
    """Administrators see every project of their organisation, but care needs only on a
    team they are on (as in the phone app)."""
    CareNeed.objects.create(resident=world.resident, kind="mobility", note="CANARY-ROLSTOEL")
    client.force_login(world.corporation_admin)
    page = client.get(f"/office/addresses/{world.dwelling.pk}/")
    assert page.status_code == 200
    assert "CANARY-ROLSTOEL" not in page.content.decode()
    assert "Zorgbehoefte tonen" not in page.content.decode()
    r = client.post(f"/office/addresses/{world.dwelling.pk}/care/")
    assert r.status_code == 404 and b"CANARY-ROLSTOEL" not in r.content
    assert CareNeedAccess.objects.count() == 0
