"""The back-office's "Te bellen" list and the day's print batch of letters."""

from __future__ import annotations

import io

import pytest
import time_machine
from pypdf import PdfReader

from cases import services
from cases.models import CallTask, Letter, TimelineEvent
from residents.models import Resident
from tests.cases.conftest import TUESDAY


@pytest.fixture(autouse=True)
def _office_hours():
    """A working morning: what is written now is due today, whenever the suite runs."""
    with time_machine.travel(TUESDAY, tick=False):
        yield


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def prefers(resident: Resident, channel: str, **fields) -> Resident:
    resident.contact_channel = channel
    for name, value in fields.items():
        setattr(resident, name, value)
    resident.save()
    return resident


@pytest.fixture
def letter_claim(world):
    """Truus asked for letters, in English; her claim's first news is a letter."""
    prefers(world.resident, "letter", language="en", first_name="Şükrü")
    return services.claim_report(
        dwelling=world.dwelling, by=world.supervisor, resident=world.resident
    )


@pytest.fixture
def their_letter(world):
    """A letter of organisation B's, which nobody of A's may print or post."""
    prefers(world.other_resident, "letter")
    claim = services.claim_report(
        dwelling=world.other_dwelling, by=world.other_supervisor, resident=world.other_resident
    )
    return Letter.objects.get(claim=claim)


def test_the_letter_is_in_todays_batch_once_and_posting_it_says_so(
    client, world, letter_claim, their_letter
):
    letter = Letter.objects.get(claim=letter_claim)
    client.force_login(world.handler)
    page = client.get("/office/letters/").content.decode()
    assert letter_claim.number in page and "Brieven te versturen" in page
    assert their_letter.claim.number not in page

    text = pdf_text(client.get("/office/letters/batch.pdf"))
    # Once, in her language, with her name as written; nothing of organisation B.
    assert text.count(f"We received your damage report {letter_claim.number}.") == 1
    assert text.count("Dear Şükrü Jansen,") == 1
    assert "Rijnstraat 12" in text and "Visser" not in text
    assert their_letter.claim.number not in text

    response = client.post("/office/letters/posted/", {"letters": [letter.pk]})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.posted_by, letter.posted_at is not None) == (world.handler, True)
    posted = letter_claim.timeline.get(kind=TimelineEvent.Kind.LETTER_POSTED)
    assert posted.actor == world.handler
    case_page = client.get(f"/office/claim/{letter_claim.pk}/").content.decode()
    assert "Brief verstuurd" in case_page and "Bewoner geïnformeerd" not in case_page

    # Not in the next batch; posting it again changes nothing.
    assert letter_claim.number not in pdf_text(client.get("/office/letters/batch.pdf"))
    assert "Vandaag geen brieven" in client.get("/office/letters/").content.decode()
    again = client.post("/office/letters/posted/", {"letters": [letter.pk]})
    assert again.status_code == 400
    assert letter_claim.timeline.filter(kind=TimelineEvent.Kind.LETTER_POSTED).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Vink de brieven aan die u heeft verstuurd."),
        ({"letters": ["x"]}, "Een brief die u aanvinkte zit niet meer in de stapel."),
    ],
)
def test_posting_without_a_letter_is_a_translated_error(client, world, letter_claim, data, message):
    client.force_login(world.handler)
    response = client.post("/office/letters/posted/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Letter.objects.filter(posted_at__isnull=False).exists()


def test_nobody_posts_or_prints_another_organisations_letter(client, world, their_letter):
    client.force_login(world.handler)
    response = client.post("/office/letters/posted/", {"letters": [their_letter.pk]})
    assert response.status_code == 400
    their_letter.refresh_from_db()
    assert their_letter.posted_at is None
    assert their_letter.claim.number not in pdf_text(client.get("/office/letters/batch.pdf"))


@pytest.fixture
def call_claim(world):
    prefers(world.resident, "phone")
    claim = services.claim_report(
        dwelling=world.dwelling, by=world.supervisor, resident=world.resident
    )
    services.case_assign(case=claim, by=world.handler, handler=world.handler)
    return claim


@pytest.fixture
def their_call(world):
    prefers(world.other_resident, "phone")
    claim = services.claim_report(
        dwelling=world.other_dwelling, by=world.other_supervisor, resident=world.other_resident
    )
    return CallTask.objects.get(claim=claim)


def test_who_sees_which_calls(client, world, call_claim, their_call):
    task = CallTask.objects.get(claim=call_claim)
    for user, sees in [
        (world.handler, True),  # assigned to her
        (world.manager, True),  # a manager sees the calls of their projects
        (world.corporation_admin, True),
        (world.other_handler, False),  # the other organisation's
    ]:
        client.force_login(user)
        page = client.get("/office/calls/").content.decode()
        assert (call_claim.number in page) is sees, user
        assert (f'id="call-{task.pk}"' in page) is sees, user
        if user != world.other_handler:
            assert their_call.claim.number not in page


def test_another_handler_on_the_team_sees_only_calls_without_anyone(client, world, call_claim):
    from projects.models import ProjectMember
    from tests.conftest import make_user

    colleague = make_user("collega@woonstede.nl", world.corporation, "handler")
    ProjectMember.objects.create(project=world.project, user=colleague, role="handler")
    client.force_login(colleague)
    assert call_claim.number not in client.get("/office/calls/").content.decode()
    CallTask.objects.update(assigned_to=None)
    assert call_claim.number in client.get("/office/calls/").content.decode()


def test_the_other_side_cannot_mark_a_call_and_a_supervisor_has_no_list(client, world, their_call):
    client.force_login(world.handler)
    url = f"/office/calls/{their_call.pk}/done/"
    assert client.post(url, {f"call-{their_call.pk}-outcome": "reached"}).status_code == 404
    their_call.refresh_from_db()
    assert their_call.is_open
    client.force_login(world.supervisor)
    for path in ("/office/calls/", "/office/letters/", "/office/letters/batch.pdf"):
        assert client.get(path).status_code == 403
    assert client.post(url, {f"call-{their_call.pk}-outcome": "reached"}).status_code == 403
    assert client.post("/office/letters/posted/", {}).status_code == 403


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "outcome", "Geef aan of u de bewoner heeft bereikt."),
        ({"outcome": "misschien"}, "outcome", "Geef aan of u de bewoner heeft bereikt."),
        ({"outcome": "reached", "note": "x" * 1001}, "note", "onder de 1000 tekens"),
    ],
)
@pytest.mark.parametrize("where", ["list", "case"])
def test_a_bad_call_form_is_a_translated_error_and_keeps_the_note(
    client, world, call_claim, fields, field, message, where
):
    task = CallTask.objects.get(claim=call_claim)
    client.force_login(world.handler)
    data = {f"call-{task.pk}-{name}": value for name, value in fields.items()}
    data[f"call-{task.pk}-note"] = fields.get("note", "Bewaard blijft dit")
    if where == "case":
        data["from"] = "case"
    response = client.post(f"/office/calls/{task.pk}/done/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert fields.get("note", "Bewaard blijft dit")[:50] in body
    task.refresh_from_db()
    assert task.is_open


def test_the_calls_list_costs_the_same_with_many_rows(
    client, world, call_claim, django_assert_num_queries
):
    client.force_login(world.handler)
    client.get("/office/calls/")  # stamps the session

    def count() -> None:
        # 1 session, 2 user, 3 today's absences (whom I stand in for), 4 the open calls
        # with address, resident, caller and case
        with django_assert_num_queries(4):
            assert client.get("/office/calls/").status_code == 200

    count()
    for n in range(15):
        services.complaint_record(
            dwelling=world.dwelling, by=world.supervisor, resident=world.resident,
            description=f"Stof {n}",
        )  # fmt: skip
    assert CallTask.objects.count() == 16
    count()


def test_the_letters_page_costs_the_same_with_many_rows(
    client, world, letter_claim, django_assert_num_queries
):
    client.force_login(world.handler)
    client.get("/office/letters/")

    def count() -> None:
        # 1 session, 2 user, 3 the batch with project, corporation, address, resident, case
        with django_assert_num_queries(3):
            assert client.get("/office/letters/").status_code == 200

    count()
    for n in range(15):
        services.complaint_record(
            dwelling=world.dwelling, by=world.supervisor, resident=world.resident,
            description=f"Stof {n}",
        )  # fmt: skip
    assert Letter.objects.count() == 16
    count()
