"""The care-need access log for the privacy officer: filters, keyset pages, CSV."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mobile.models import CareNeedAccess

pytestmark = pytest.mark.django_db

URL = "/office/privacy/access/"


@pytest.fixture
def log(world):
    """150 looks at Truus's care needs by the supervisor (one a minute, oldest first),
    one by the handler a year ago, and one at organisation B's resident."""
    start = timezone.now() - datetime.timedelta(days=1)
    CareNeedAccess.objects.bulk_create(
        CareNeedAccess(
            user=world.supervisor,
            resident=world.resident,
            at=start + datetime.timedelta(minutes=i),
        )
        for i in range(150)
    )
    CareNeedAccess.objects.create(
        user=world.handler, resident=world.resident, at=start - datetime.timedelta(days=365)
    )
    CareNeedAccess.objects.create(user=world.other_supervisor, resident=world.other_resident)


def rows(response) -> int:
    return response.content.decode().count('href="/office/privacy/residents/')


def test_pages_by_keyset_without_counting(client, officer, log, django_assert_num_queries):
    client.force_login(officer)
    client.get("/office/privacy/")
    # session, user, one page of rows with their users and residents
    with django_assert_num_queries(3), CaptureQueriesContext(connection) as queries:
        first = client.get(URL)
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    assert rows(first) == 100
    assert "Henk" not in first.content.decode()
    older = first.context["next_query"]
    assert older
    second = client.get(f"{URL}?{older}")
    assert rows(second) == 51 and not second.context["next_query"]
    seen = {a.pk for a in first.context["rows"]} | {a.pk for a in second.context["rows"]}
    assert len(seen) == 151
    times = [a.at for a in [*first.context["rows"], *second.context["rows"]]]
    assert times == sorted(times, reverse=True)


def test_filters(client, world, officer, log):
    client.force_login(officer)
    by_handler = client.get(URL, {"seen_by": "BEHANDELAAR@woonstede.nl"})
    assert [a.user for a in by_handler.context["rows"]] == [world.handler]
    year_ago = timezone.localdate(CareNeedAccess.objects.get(user=world.handler).at)
    period = client.get(URL, {"since": year_ago.isoformat(), "until": year_ago.isoformat()})
    assert len(period.context["rows"]) == 1
    other = client.get(URL, {"resident": world.other_resident.pk})
    assert other.context["rows"] == []
    bad = client.get(URL, {"since": "2026-02-01", "until": "2026-01-01"})
    assert bad.status_code == 200 and bad.context["rows"] == []
    assert "De einddatum ligt voor de begindatum." in bad.content.decode()


def test_csv(client, world, officer, log):
    client.force_login(officer)
    response = client.get(f"{URL[:-1]}.csv", {"seen_by": world.handler.email})
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "at,resident_number,resident,seen_by,purpose"
    assert len(lines) == 2 and "Truus Jansen" in lines[1] and world.handler.email in lines[1]


def test_another_organisation_sees_only_its_own(client, world, other_officer, log):
    client.force_login(other_officer)
    page = client.get(URL, {"resident": world.resident.pk})
    assert page.status_code == 200 and "Truus" not in page.content.decode()
    csv = b"".join(client.get(f"{URL[:-1]}.csv").streaming_content).decode()
    assert "Truus" not in csv and "Henk" in csv


@pytest.mark.parametrize("who", ["handler", "supervisor", "manager", "corporation_admin"])
def test_other_roles_are_refused(client, world, log, who):
    client.force_login(getattr(world, who))
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL[:-1]}.csv").status_code == 403
