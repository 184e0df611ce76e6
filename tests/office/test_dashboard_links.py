"""Every dashboard figure about open cases links to the queue filtered to exactly the
cases it counts: the count on the dashboard is the number of rows behind the link."""

from __future__ import annotations

import html
import re

from cases.models import Complaint, DamageClaim

from .conftest import at, claim, complaint, promise


def queue_rows(client, url: str) -> int:
    r = client.get(url)
    assert r.status_code == 200
    assert r.context["next_query"] == ""  # one page holds them all
    return len(r.context["rows"])


def test_each_figure_leads_to_its_own_cases_in_the_queue(client, world, second_home):
    claim(world, due=-1, status=DamageClaim.Status.ASSESSING)
    claim(world, due=-3, created_at=at(-40))
    claim(world, due=2, created_at=at(-12))
    complaint(world, due=-2, status=Complaint.Status.ACKNOWLEDGED)
    complaint(world, dwelling=second_home, due=4)
    promise(world, due=-1, created_at=at(-20))
    claim(world, status=DamageClaim.Status.SETTLED, settled_at=at(0))  # not open: no figure
    client.force_login(world.manager)
    r = client.get("/office/dashboard/")
    board, links = r.context["board"], r.context["links"]
    text = html.unescape(r.text)

    assert board.total.open == queue_rows(client, links["open"]) == 6
    assert board.total.overdue == queue_rows(client, links["overdue"]) == 4
    for kind in ("claim", "complaint", "promise"):
        assert board.total.by_kind[kind] == queue_rows(client, links[kind])
    for bucket, count in enumerate(board.total.ages):
        assert count == queue_rows(client, links["ages"][bucket])
    assert board.total.ages[3] == 1
    for row in r.context["status_rows"]:
        assert row["line"].open == queue_rows(client, row["links"]["open"])
        assert row["line"].overdue == queue_rows(client, row["links"]["overdue"])
        for count, url in row["ages"]:
            assert count == queue_rows(client, url)
    for line, plinks in r.context["project_rows"]:
        assert line.overdue == queue_rows(client, plinks["overdue"])
        assert line.ages[3] == queue_rows(client, plinks["ages"][3])
    # The page shows them as links.
    assert f'href="{links["overdue"]}"' in text
    assert re.search(r'<a href="/office/\?status=claim%3Aassessing">1</a>', text)


def test_a_project_dashboard_links_to_that_project_only(client, world):
    claim(world, due=-1)
    client.force_login(world.manager)
    r = client.get(f"/office/projects/{world.project.pk}/dashboard/")
    links = r.context["links"]
    assert f"project={world.project.pk}" in links["overdue"]
    assert r.context["board"].total.overdue == queue_rows(client, links["overdue"]) == 1


def test_a_bad_age_in_the_queue_is_left_out_not_an_error(client, world):
    claim(world, due=-1)
    client.force_login(world.handler)
    for age in ("9", "-1", "x"):
        assert queue_rows(client, f"/office/?age={age}") == 1
