"""seed_demo: realistic data in every state, demo logins, and safe repeated runs."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from cases import work
from cases.models import CallTask, Complaint, DamageClaim, Letter, Promise, TimelineEvent
from cases.schedule import next_chase_at, policies_for
from projects import demo
from projects.demo import fill
from projects.demo.store import Store
from projects.models import Dwelling, Project, ProjectMember
from residents.models import CareNeed, Resident, Visit
from statuslink.tokens import plain_token

POSTCODE = re.compile(r"^[1-9][0-9]{3} [A-Z]{2}$")
SMALL = {"dwellings": 20, "claims": 30}
DEMO_EMAILS = sorted(login.email for login in demo.DEMO_LOGINS)


def seed_demo(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="class")
def small_run(django_db_setup, django_db_blocker):
    """One small run for every test of the class, rolled back after the last one.

    Each test still runs in its own savepoint (the `db` fixture), inside this one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo(**SMALL)
        transaction.set_rollback(True)


@pytest.mark.usefixtures("small_run")
class TestSmallRun:
    def test_every_status_stage_and_visit_kind_even_when_small(self, db):
        assert set(DamageClaim.objects.values_list("status", flat=True)) == set(
            DamageClaim.Status.values
        )
        assert set(Complaint.objects.values_list("status", flat=True)) == set(
            Complaint.Status.values
        )
        assert set(Complaint.objects.values_list("stage", flat=True)) == {1, 2}
        assert set(Promise.objects.values_list("status", flat=True)) == set(Promise.Status.values)
        assert set(Visit.objects.values_list("kind", flat=True)) == set(Visit.Kind.values)
        assert DamageClaim.objects.count() == 30
        assert Dwelling.objects.count() == 20

    def test_addresses_are_dutch_and_unique(self, db):
        addresses = list(
            Dwelling.objects.values_list("project", "street", "number", "addition", "postcode")
        )
        assert all(POSTCODE.match(postcode) for *_, postcode in addresses)
        assert len({(p, pc, n, a) for p, _s, n, a, pc in addresses}) == len(addresses)
        # One postcode per street.
        streets = {(p, s, pc) for p, s, _n, _a, pc in addresses}
        assert len({(p, s) for p, s, _pc in streets}) == len(streets)
        assert set(Dwelling.objects.values_list("addition", flat=True)) - {""}

    def test_residents_are_a_realistic_mix(self, db):
        residents = Resident.objects.all()
        assert all(re.match(r"^06 \d{8}$", r.phone) for r in residents if r.phone)
        assert {r.language for r in residents} <= {"nl", "en"}
        assert Counter(r.language for r in residents).most_common(1)[0][0] == "nl"
        # Care needs are the exception, not the rule.
        assert 0 < CareNeed.objects.values("resident").distinct().count() < residents.count() / 3

    def test_claims_are_consistent_with_their_status(self, db):
        S = DamageClaim.Status
        claims = list(DamageClaim.objects.all())
        for claim in claims:
            amounts = (claim.amount_claimed, claim.amount_offered, claim.amount_paid)
            assert all(a is None or a >= 0 for a in amounts)
            if claim.amount_paid is not None:
                assert claim.status in (S.PAID, S.SETTLED)
            if claim.amount_offered is not None:
                assert claim.status in (S.COMPENSATION_OFFERED, S.PAID, S.SETTLED)
            if claim.status in (S.COMPENSATION_OFFERED, S.PAID):
                assert claim.amount_offered is not None
            if claim.status == S.PAID:
                assert claim.amount_paid == claim.amount_offered
            if claim.status in (S.ACCEPTED, S.PARTLY_ACCEPTED, S.REJECTED):
                assert claim.decision_reason and claim.decided_at
            if claim.status == S.REPAIR_PLANNED:
                assert claim.repair_date is not None
            assert (claim.settled_at is not None) == (claim.status == S.SETTLED)
            assert claim.created_at <= claim.status_changed_at
        # Every claim and complaint has a working status link, issued as the app issues them.
        cases = [*claims, *Complaint.objects.all()]
        tokens = [plain_token(case) for case in cases]
        assert all(tokens) and len(set(tokens)) == len(cases)
        assert len({case.status_token for case in cases}) == len(cases)

    def test_open_cases_are_chased_and_closed_ones_are_not(self, db):
        for model in (DamageClaim, Complaint, Promise):
            open_cases = model.objects.open()
            assert open_cases
            assert not open_cases.filter(Q(step_due_at=None) | Q(next_chase_at=None))
            assert not model.objects.exclude(pk__in=open_cases).exclude(next_chase_at=None)
            # Reminders already sent are on record, so the chase does not send them again.
            assert not model.objects.filter(reminders_sent__gt=0, last_reminder_at=None)
        open_claims = DamageClaim.objects.open()
        now = max(DamageClaim.objects.values_list("status_changed_at", flat=True))
        assert open_claims.filter(step_due_at__lt=now).exists()  # some overdue
        assert open_claims.filter(step_due_at__gt=now).exists()  # some not yet

    def test_next_chase_moment_is_the_one_the_chase_would_set(self, db):
        # Seeded bookkeeping matches cases.schedule, up to the public holidays the seed
        # ignores, so the first real sweep neither repeats nor skips anything.
        for model in (DamageClaim, Complaint, Promise):
            cases = list(model.objects.open().select_related("resident"))
            policies = policies_for({case.project_id for case in cases})
            for case in cases:
                expected = next_chase_at(case, policies[case.project_id])
                assert abs(expected - case.next_chase_at) <= dt.timedelta(days=4), case

    def test_claim_lifecycle_fields_fit_the_status(self, db):
        S = DamageClaim.Status
        for claim in DamageClaim.objects.all():
            if claim.status == S.REJECTED:
                assert claim.objection_deadline is not None
            if claim.status == S.WAITING_EXPERT:
                assert claim.expert_name and claim.expert_email and claim.expert_requested_at
                assert claim.amount_claimed > 10_000
            if claim.status in (S.WAITING_RESIDENT, S.WAITING_EXPERT):
                assert claim.paused_due_at is not None
            if claim.status in (S.ACCEPTED, S.PARTLY_ACCEPTED):
                assert claim.settle_due_at == claim.step_due_at
            if claim.closed_at is not None:
                assert claim.status == S.REJECTED and claim.next_chase_at is None
            assert claim.step_seq >= 1

    def test_stage_two_complaints_have_another_handler(self, db):
        second = Complaint.objects.filter(stage=2)
        assert second
        assert all(
            c.stage_one_handler_id and c.stage_one_handler_id != c.handler_id for c in second
        )
        assert all(c.extension_reason for c in Complaint.objects.filter(extended=True))
        assert all(p.cancel_reason for p in Promise.objects.filter(status="cancelled"))

    def test_every_case_and_visit_is_on_the_timeline(self, db):
        for model, link, first in [
            (DamageClaim, "claim", DamageClaim.Status.REPORTED),
            (Complaint, "complaint", Complaint.Status.RECEIVED),
            (Promise, "promise", Promise.Status.OPEN),
        ]:
            for case in model.objects.all():
                events = TimelineEvent.objects.filter(**{link: case})
                created = events.get(kind="created")
                assert (created.actor_id, created.dwelling_id) == (
                    case.created_by_id,
                    case.dwelling_id,
                )
                if case.status != first:
                    last = events.filter(kind="status_changed").order_by("at", "id").last()
                    assert last.to_status == case.status and last.from_status
        visits = Visit.objects.annotate(events=Count("timeline", filter=Q(timeline__kind="visit")))
        assert {v.events for v in visits} == {1}

    def test_projects_have_teams_and_a_chase_policy(self, db):
        for project in Project.objects.all():
            assert project.chase_policy
            assert project.corporation_contact.organisation == project.corporation
            roles = Counter(project.members.values_list("role", flat=True))
            assert roles["supervisor"] >= 2 and roles["handler"] >= 2 and roles["manager"] == 1


def test_demo_users_are_idempotent_and_see_data(db, settings):
    settings.DEBUG = True
    seed_demo(**SMALL)
    seed_demo(**SMALL)

    users = User.objects.filter(email__endswith="@demo.woonrust.nl").order_by("email")
    assert [u.email for u in users] == DEMO_EMAILS
    for email in DEMO_EMAILS:
        assert authenticate(username=email, password=demo.DEMO_PASSWORD) is not None
    admin = users.get(email="admin@demo.woonrust.nl")
    assert admin.is_staff and not admin.is_superuser
    # Only the platform staff login sees every organisation, and belongs to none.
    assert [u.email for u in users if u.is_superuser] == ["staff@demo.woonrust.nl"]
    assert users.get(email="staff@demo.woonrust.nl").organisation is None
    users = users.exclude(is_superuser=True)

    pair_projects = Project.objects.filter(
        corporation__name="Woonstede", contractor__name="Bouwbedrijf Jansen"
    )
    assert pair_projects.count() >= 4  # at least two per run
    # Administrators and the privacy officer see projects without being on their teams.
    for user in users.exclude(role__in=[User.Role.ADMINISTRATOR, User.Role.PRIVACY_OFFICER]):
        memberships = ProjectMember.objects.filter(user=user)
        assert memberships.count() == pair_projects.count()
        assert set(memberships.values_list("project", flat=True)) == set(
            pair_projects.values_list("pk", flat=True)
        )
    for user in users.exclude(role=User.Role.PRIVACY_OFFICER):  # works from /office/privacy/
        assert Project.objects.visible_to(user).exists()
    handler = users.get(role=User.Role.HANDLER)
    assert DamageClaim.objects.visible_to(handler).exists()
    assert DamageClaim.objects.filter(handler=handler).exists()
    # On the morning digest, with work due or overdue for it (and for "Mijn werk").
    assert handler.delivery("email") == "digest" and handler.email_delivery == "digest"
    assert work.due_for(handler, timezone.now())


def test_the_demo_handler_has_a_call_to_make_and_a_letter_to_post(client, db, settings):
    settings.DEBUG = True
    seed_demo(**SMALL)
    handler = User.objects.get(email="handler@demo.woonrust.nl")
    call = CallTask.objects.filter(assigned_to=handler).order_by("pk").first()
    letter = Letter.objects.filter(claim__handler=handler).order_by("pk").first()
    assert call is not None and letter is not None
    assert call.resident.contact_channel == "phone" and letter.resident.contact_channel == "letter"
    assert call.resident != letter.resident
    client.force_login(handler)
    assert f'id="call-{call.pk}"' in client.get("/office/calls/").content.decode()
    assert letter.claim.number in client.get("/office/letters/").content.decode()


def test_password_is_reset_on_the_next_run(db, settings):
    settings.DEBUG = True
    seed_demo(dwellings=5, claims=0)
    user = User.objects.get(email="handler@demo.woonrust.nl")
    user.set_password("something else")
    user.save()
    seed_demo(dwellings=5, claims=0)
    assert authenticate(username=user.email, password=demo.DEMO_PASSWORD) is not None


def test_no_demo_users_without_debug(db, settings):
    settings.DEBUG = False
    out = seed_demo(dwellings=5, claims=5)
    assert "Demo users skipped" in out
    assert not User.objects.filter(email__endswith="@demo.woonrust.nl").exists()

    seed_demo(dwellings=5, claims=5, demo_users=True)
    demo_users = User.objects.filter(email__endswith="@demo.woonrust.nl")
    # All but platform staff: a published password that sees every organisation is for
    # `make run` (DEBUG) only.
    assert demo_users.count() == len(DEMO_EMAILS) - 1
    assert not demo_users.filter(is_superuser=True).exists()


def test_if_empty_does_nothing_on_a_database_with_projects(world):
    out = seed_demo(if_empty=True, demo_users=True, **SMALL)
    assert "already has projects" in out
    assert Project.objects.count() == 2
    assert not DamageClaim.objects.exists()
    assert not User.objects.filter(email__endswith="@demo.woonrust.nl").exists()


def test_if_empty_seeds_an_empty_database(db):
    seed_demo(if_empty=True, **SMALL)
    assert DamageClaim.objects.count() == 30


def test_each_run_adds_a_new_batch(db):
    seed_demo(**SMALL)
    first = set(Project.objects.values_list("code", flat=True))
    out = seed_demo(**SMALL)
    assert Project.objects.count() == 2 * len(first)
    assert first < set(Project.objects.values_list("code", flat=True))
    assert DamageClaim.objects.count() == 60
    assert "Done in" in out and "cases.DamageClaim" in out


def test_bulk_create_path_used_on_sqlite(db, monkeypatch):
    # The embedded default (SQLite) writes through bulk_create instead of COPY.
    monkeypatch.setattr(fill, "Store", functools.partial(Store, use_copy=False))
    seed_demo(**SMALL)
    assert set(DamageClaim.objects.values_list("status", flat=True)) == set(
        DamageClaim.Status.values
    )
    assert TimelineEvent.objects.filter(kind="created").count() == (
        DamageClaim.objects.count() + Complaint.objects.count() + Promise.objects.count()
    )


@pytest.mark.django_db(transaction=True)
def test_projects_filled_in_parallel_are_complete():
    # A big PostgreSQL run fills projects in threads, each with its own connection and
    # transaction (so this test commits for real); every planned project arrives whole.
    out = seed_demo(workers=3, **SMALL)
    assert "3 at a time" in out
    assert Project.objects.count() == 5
    assert DamageClaim.objects.count() == 30
    assert set(DamageClaim.objects.values_list("status", flat=True)) == set(
        DamageClaim.Status.values
    )
    assert set(Visit.objects.values_list("kind", flat=True)) == set(Visit.Kind.values)


def test_claims_need_dwellings(db):
    with pytest.raises(CommandError, match="dwellings"):
        seed_demo(dwellings=0, claims=5)


def test_dwellings_scale_with_claims_unless_given():
    assert demo.sizes_for(None, 400).dwellings == 300
    assert demo.sizes_for(None, 1_000_000).dwellings == 100_000
    assert demo.sizes_for(50, 1_000_000).dwellings == 50
    sizes = demo.sizes_for(None, 1_000)
    assert (sizes.complaints, sizes.promises) == (300, 600)
