"""The work queue: order, filters, search, keyset pages, htmx, query count."""

from __future__ import annotations

import re

import pytest

from cases.models import Complaint, DamageClaim, Promise
from office.queue import Cursor

from .conftest import at, claim, complaint, promise


def numbers(response) -> list[str]:
    return re.findall(r'name="cases" value="(\w+:\d+)"', response.text)


def key(case) -> str:
    kind = {DamageClaim: "claim", Complaint: "complaint", Promise: "promise"}[type(case)]
    return f"{kind}:{case.pk}"


@pytest.fixture
def cases(world, second_home):
    """A mix of open and closed cases in project A, and one in project B."""
    c = {
        "late_claim": claim(
            world, due=-3, status=DamageClaim.Status.ASSESSING, handler=world.handler
        ),
        "soon_complaint": complaint(world, due=1),
        "later_promise": promise(world, dwelling=second_home, due=5, handler=world.manager),
        "no_deadline_claim": claim(world, due=None, dwelling=second_home, amount_claimed=10),
        "late_promise": promise(world, due=-1),
        "settled": claim(world, due=-10, status=DamageClaim.Status.SETTLED),
        "closed_rejection": claim(
            world, due=-9, status=DamageClaim.Status.REJECTED, closed_at=at(-1)
        ),
        "done_promise": promise(world, due=-8, status=Promise.Status.DONE),
        "other": claim(world, dwelling=world.other_dwelling, due=-20),
    }
    return c


def test_most_urgent_first_and_only_open_cases_of_my_projects(client, world, cases):
    client.force_login(world.handler)
    response = client.get("/office/")
    assert response.status_code == 200
    assert numbers(response) == [
        key(cases[name])
        for name in [
            "late_claim",
            "late_promise",
            "soon_complaint",
            "later_promise",
            "no_deadline_claim",
        ]
    ]
    assert "overdue" in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "promise"}, ["late_promise", "later_promise"]),
        ({"kind": "complaint"}, ["soon_complaint"]),
        ({"status": "claim:assessing"}, ["late_claim"]),
        ({"status": "complaint:received"}, ["soon_complaint"]),
        ({"handler": "me"}, ["late_claim"]),
        ({"handler": "none"}, ["late_promise", "soon_complaint", "no_deadline_claim"]),
        ({"overdue": "on"}, ["late_claim", "late_promise"]),
        ({"care": "on"}, ["later_promise", "no_deadline_claim"]),
        ({"kind": "claim", "overdue": "on"}, ["late_claim"]),
        (
            {"sort": "new"},
            ["late_promise", "no_deadline_claim", "later_promise", "soon_complaint", "late_claim"],
        ),
        (
            {"sort": "old"},
            ["late_claim", "soon_complaint", "later_promise", "no_deadline_claim", "late_promise"],
        ),
    ],
)
def test_filters_return_exactly_the_right_cases(client, world, cases, query, expected):
    client.force_login(world.handler)
    response = client.get("/office/", query)
    assert numbers(response) == [key(cases[name]) for name in expected]


def test_handler_and_project_filters(client, world, cases):
    client.force_login(world.handler)
    mine = client.get("/office/", {"handler": str(world.manager.pk)})
    assert numbers(mine) == [key(cases["later_promise"])]
    project = client.get("/office/", {"project": str(world.project.pk)})
    assert len(numbers(project)) == 5
    # Another organisation's project is not a choice: the filter is ignored, nothing leaks.
    other = client.get("/office/", {"project": str(world.other_project.pk)})
    assert key(cases["other"]) not in numbers(other)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("maasstraat", ["later_promise", "no_deadline_claim"]),
        ("Rijnstraat 12", ["late_claim", "late_promise", "soon_complaint"]),
        ("Rijnstraat 12a", ["late_claim", "late_promise", "soon_complaint"]),
        ("3522cd", ["later_promise", "no_deadline_claim"]),
        ("3522 AB 12", ["late_claim", "late_promise", "soon_complaint"]),
        ("de Boer", ["later_promise", "no_deadline_claim"]),
        ("Truus", ["late_claim", "late_promise", "soon_complaint"]),
        ("Henk", []),
        # Any part of a street or name, case and accents ignored.
        ("ijnstr", ["late_claim", "late_promise", "soon_complaint"]),
        ("MAASSTRÄAT", ["later_promise", "no_deadline_claim"]),
        ("boer", ["later_promise", "no_deadline_claim"]),
    ],
)
def test_search(client, world, cases, q, expected):
    client.force_login(world.handler)
    response = client.get("/office/", {"q": q})
    assert numbers(response) == [key(cases[name]) for name in expected]


def test_search_by_case_number(client, world, cases):
    client.force_login(world.handler)
    target = cases["no_deadline_claim"]
    for q in (target.number, target.number.lower().replace("-", ""), f"S-{target.pk}"):
        assert numbers(client.get("/office/", {"q": q})) == [key(target)]
    # The same id with another kind's prefix is another case (or none).
    assert key(target) not in numbers(client.get("/office/", {"q": f"T-{target.pk}"}))
    # Another organisation's case number finds nothing.
    assert numbers(client.get("/office/", {"q": cases["other"].number})) == []


def test_keyset_pages_walk_every_row_once_in_order(client, world, second_home, settings):
    made = [claim(world, due=d % 7 - 3) for d in range(7)]
    made += [complaint(world, due=d % 5 - 2) for d in range(6)]
    made += [promise(world, due=None) for _ in range(3)]
    made += [claim(world, due=None) for _ in range(2)]
    from office import queue as q

    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        rows, cursor = q.fetch(world.handler, q.Filters(), at(0), cursor, size=4)
        seen += [r.key for r in rows]
        pages += 1
        if cursor is None:
            break
    assert pages == 5
    assert len(seen) == len(set(seen)) == len(made)
    everything, _ = q.fetch(world.handler, q.Filters(), at(0), None, size=100)
    assert seen == [r.key for r in everything]
    for sort in ("new", "old"):
        rows_all, _ = q.fetch(world.handler, q.Filters(sort=sort), at(0), None, size=100)
        walked, cursor = [], None
        while True:
            rows, cursor = q.fetch(world.handler, q.Filters(sort=sort), at(0), cursor, size=3)
            walked += [r.key for r in rows]
            if cursor is None:
                break
        assert walked == [r.key for r in rows_all]


def test_more_link_and_htmx_partials(client, world, monkeypatch):
    monkeypatch.setattr("office.queue.PAGE_SIZE", 2)
    for d in range(5):
        claim(world, due=d)
    client.force_login(world.handler)
    first = client.get("/office/", {"kind": "claim"})
    match = re.search(r'href="\?([^"]+)" hx-get', first.text)
    assert match, "a 'more' link with a real href"
    more = match.group(1).replace("&amp;", "&")
    assert "kind=claim" in more and "after=" in more
    page2 = client.get("/office/?" + more, headers={"HX-Request": "true"})
    assert "<html" not in page2.text
    assert len(numbers(page2)) == 2
    results = client.get(
        "/office/", {"kind": "claim"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert results.text.lstrip().startswith('<div id="results">')


def test_a_bad_cursor_or_filter_is_ignored_not_a_server_error(client, world, cases):
    client.force_login(world.handler)
    for query in (
        {"after": "garbage"},
        {"after": "99999999999999999999999.claim.1"},
        {"after": "n.nothing.1"},
        {"project": "abc"},
        {"status": "claim:nope"},
        {"sort": "x"},
        {"handler": "-1"},
    ):
        assert client.get("/office/", query).status_code == 200
    assert Cursor.decode("n.claim.5") == Cursor(None, "claim", 5)


def test_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries):
    client.force_login(world.handler)

    def count_page() -> None:
        # 1 session, 2 user, 3 projects for the filter, 4 handlers for the filter and
        # bulk assign, 5 the page's keys (one UNION ALL over the three case tables),
        # 6 what those rows show (one UNION ALL by id), 7 which of the page's addresses
        # have residents with care needs
        with django_assert_num_queries(7):
            client.get("/office/")

    claim(world, due=1)
    # The first page stamps the session (idle clock) and notes the second factor.
    client.get("/office/")
    count_page()
    for d in range(30):
        claim(world, due=d)
        complaint(world, due=d)
        promise(world, due=d)
    count_page()


def test_queue_needs_an_office_role(client, world):
    client.force_login(world.supervisor)
    assert client.get("/office/").status_code == 403


def test_rows_show_the_first_words_of_the_description(client, world):
    from office.queue import DESCRIPTION_CHARS

    # The character after the cut is a space: still "there is more".
    long_text = "x" + "woord " * 15 + "en nog meer"
    assert long_text[DESCRIPTION_CHARS] == " "
    claim(world, due=1, description=long_text)
    claim(world, due=2, description="Kras in het parket")
    client.force_login(world.handler)
    html = client.get("/office/").content.decode()
    assert "Kras in het parket<" in html
    shown = html.split('class="desc user-text">')[1].split("<")[0]
    assert shown.endswith("…") and len(shown) <= DESCRIPTION_CHARS + 1
    assert long_text.startswith(shown[:-1])
