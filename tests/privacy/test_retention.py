"""Retention with time travel: a project that ended 25 months ago loses its residents'
personal data and its photo files, and its dashboard keeps its figures; one that ended 23
months ago keeps everything. The dry run changes nothing; a second run does nothing; a
run that dies halfway loses nothing and the next one finishes."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cases.models import ClaimPhoto, DamageClaim, Notification
from mobile.models import CareNeedAccess
from office import dashboard
from privacy import retention
from privacy.models import AnonymisedDwelling, FileToDelete, RetentionPolicy, RetentionRun
from privacy.retention import months_before, retention_report, retention_run
from projects.models import Dwelling
from residents.models import CareNeed, Resident

from .test_erase import rows_holding

pytestmark = pytest.mark.django_db

AMSTERDAM = datetime.timezone(datetime.timedelta(hours=1))


def after_the_end(world, months: int) -> datetime.datetime:
    """Noon, `months` months after the world's project ended."""
    day = months_before(world.project.ends_on, -months)
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=AMSTERDAM)


def start(world, **periods) -> RetentionPolicy:
    policy = RetentionPolicy.objects.create(
        corporation=world.corporation, started_at=timezone.now(), **periods
    )
    return policy


def photo_files(settings, claim) -> list[Path]:
    photos = ClaimPhoto.objects.filter(claim=claim)
    return [Path(settings.MEDIA_ROOT) / f.name for p in photos for f in (p.image, p.thumbnail)]


def figures(world, now):
    """Everything the dashboards show for the project, as plain values."""
    board = dashboard.build([world.project], now)
    line = board.projects[0]
    return (
        board.total.open,
        board.total.overdue,
        board.total.ages,
        [(k, s, line.open) for k, _l, s, line in board.by_status],
        dict(line.by_kind),
        line.dwellings,
        line.visits,
        line.settled,
        line.answers,
        line.score_total,
        DamageClaim.objects.filter(project=world.project).count(),
        Notification.objects.filter(claim__project=world.project).count(),
        CareNeedAccess.objects.count(),
    )


def snapshot() -> dict[str, str]:
    """A digest of every row of every table (but the runs' own record and the sessions,
    which note each request)."""
    digests = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if (
                model is RetentionRun
                or model._meta.proxy
                or model._meta.db_table == "django_session"
            ):
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                f" FROM {table} t"
            )
            digests[model._meta.db_table] = str(cursor.fetchone())
    return digests


def run(django_capture_on_commit_callbacks, **kwargs) -> RetentionRun:
    with django_capture_on_commit_callbacks(execute=True):
        return retention_run(**kwargs)


def test_a_project_ended_25_months_ago_loses_its_personal_data_and_photo_files(
    world, home, settings, django_capture_on_commit_callbacks
):
    start(world)
    files = photo_files(settings, home.claim) + photo_files(settings, home.neighbour_claim)
    assert len(files) == 4 and all(f.exists() for f in files)
    now = after_the_end(world, 25)
    with time_machine.travel(now, tick=False):
        before = figures(world, now)
        done = run(django_capture_on_commit_callbacks)
        after = figures(world, now)

    assert done.complete
    assert done.counts["residents"] == 2 and done.counts["files"] == 4
    # Nothing names Truus or her neighbour any more, in any table.
    for secret in home.secrets[:-1] + home.neighbour_secrets[:-1]:
        assert rows_holding(secret) == [], secret
    assert not CareNeed.objects.exists()
    assert not ClaimPhoto.objects.exists()
    # The files are gone from storage, thumbnails included.
    assert not any(f.exists() for f in files)
    assert not FileToDelete.objects.exists()
    assert AnonymisedDwelling.objects.filter(dwelling=world.dwelling).exists()
    # The dashboards show the same figures.
    assert after == before
    # Another corporation's project that ended as long ago keeps its data: not started.
    world.other_resident.refresh_from_db()
    assert world.other_resident.last_name == "Visser"


def test_a_project_ended_23_months_ago_keeps_everything(
    world, home, settings, django_capture_on_commit_callbacks
):
    start(world, message_months=36)
    files = photo_files(settings, home.claim)
    now = after_the_end(world, 23)
    with time_machine.travel(now, tick=False):
        done = run(django_capture_on_commit_callbacks)
    assert done.complete and not any(done.counts.values())
    home.truus.refresh_from_db()
    assert home.truus.full_name == "Truus Ağaoğlu"
    assert CareNeed.objects.filter(resident=home.truus).count() == 2
    assert all(f.exists() for f in files)
    for secret in home.secrets[:-1]:
        assert rows_holding(secret), secret
    assert not AnonymisedDwelling.objects.exists()


def test_the_dry_run_changes_nothing_and_counts_what_the_run_removes(
    client, world, home, officer, django_capture_on_commit_callbacks
):
    policy = RetentionPolicy.objects.create(corporation=world.corporation)
    now = after_the_end(world, 25)
    with time_machine.travel(now, tick=False):
        client.force_login(officer)
        before = snapshot()
        report = retention_report(policy)
        page = client.get("/office/privacy/retention/")
        out = StringIO()
        call_command("retention", "--dry-run", stdout=out)
        # Not started: the daily job removes nothing either.
        assert not any(run(django_capture_on_commit_callbacks).counts.values())
        assert snapshot() == before
    assert page.status_code == 200
    assert (report.projects, report.dwellings, report.residents) == (1, 1, 2)
    assert (report.care_needs, report.photos, report.files) == (3, 2, 4)
    assert report.messages > 0 and report.cases == 4
    body = page.content.decode()
    assert "Retentie starten" in body and "Ağaoğlu" not in body
    assert "Woonstede (not started):" in out.getvalue()
    assert "  residents: 2" in out.getvalue()


def test_running_twice_is_harmless(world, home, django_capture_on_commit_callbacks):
    start(world)
    now = after_the_end(world, 25)
    with time_machine.travel(now, tick=False):
        first = run(django_capture_on_commit_callbacks)
        between = snapshot()
        second = run(django_capture_on_commit_callbacks)
    assert first.counts["residents"] == 2
    assert second.complete and not any(second.counts.values())
    assert snapshot() == between


def test_a_run_that_dies_halfway_loses_nothing_and_the_next_one_finishes(
    world, home, settings, django_capture_on_commit_callbacks
):
    start(world)
    second = Dwelling.objects.create(
        project=world.project, street="Rijnstraat", number=14, postcode="3522 AB", city="Utrecht"
    )
    Resident.objects.create(dwelling=second, first_name="Gerrit", last_name="Oudendijk")
    files = photo_files(settings, home.claim)
    real = retention.dwellings_anonymise

    def dies_on_the_second(dwellings, **kwargs):
        if second.pk in [d.pk for d in dwellings]:
            raise RuntimeError("killed")
        return real(dwellings, **kwargs)

    now = after_the_end(world, 25)
    with time_machine.travel(now, tick=False):
        with (
            mock.patch.object(retention, "dwellings_anonymise", dies_on_the_second),
            pytest.raises(RuntimeError),
        ):
            run(django_capture_on_commit_callbacks, batch=1)
        # The first address was done and committed, files included; the second not.
        assert AnonymisedDwelling.objects.filter(dwelling=world.dwelling).exists()
        assert not any(f.exists() for f in files)
        assert Resident.objects.get(dwelling=second).last_name == "Oudendijk"
        done = run(django_capture_on_commit_callbacks, batch=1)
    assert done.complete and done.counts["residents"] == 1
    assert rows_holding("Oudendijk") == []


def test_files_left_by_a_run_that_died_after_its_commit_are_deleted_by_the_next(
    world, home, settings, django_capture_on_commit_callbacks
):
    start(world)
    files = photo_files(settings, home.claim)
    now = after_the_end(world, 25)
    with time_machine.travel(now, tick=False):
        # The process dies between the commit and the deletion of the files.
        with (
            django_capture_on_commit_callbacks(execute=False),
            mock.patch("privacy.files.files_delete", side_effect=RuntimeError("killed")),
            pytest.raises(RuntimeError),
        ):
            retention_run()
        assert all(f.exists() for f in files)
        assert FileToDelete.objects.count() == 4
        done = run(django_capture_on_commit_callbacks)
    assert not any(f.exists() for f in files)
    assert done.counts["files"] == 4 and done.complete


def test_photos_go_12_months_after_their_claim_closed(
    world, home, settings, django_capture_on_commit_callbacks
):
    start(world)
    closed = timezone.now()
    DamageClaim.objects.filter(pk=home.claim.pk).update(status="settled", closed_at=closed)
    files = photo_files(settings, home.claim)
    with time_machine.travel(closed + datetime.timedelta(days=360), tick=False):
        run(django_capture_on_commit_callbacks)
        assert all(f.exists() for f in files)
    with time_machine.travel(closed + datetime.timedelta(days=370), tick=False):
        done = run(django_capture_on_commit_callbacks)
    assert done.counts["photos"] == 1
    assert not any(f.exists() for f in files)
    # The neighbour's photo (open claim) and Truus herself stay.
    assert all(f.exists() for f in photo_files(settings, home.neighbour_claim))
    home.truus.refresh_from_db()
    assert home.truus.last_name == "Ağaoğlu"


def test_old_messages_lose_recipient_and_text_but_stay_counted(
    world, home, django_capture_on_commit_callbacks
):
    start(world)
    Notification.objects.update(status=Notification.Status.SENT)
    count = Notification.objects.count()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=200), tick=False):
        done = run(django_capture_on_commit_callbacks)
    assert done.counts["messages"] == count
    assert Notification.objects.count() == count
    assert not Notification.objects.exclude(body="").exists()
    assert not Notification.objects.exclude(to="").exists()
    assert not Notification.objects.filter(recipient_resident__isnull=False).exists()
    home.truus.refresh_from_db()
    assert home.truus.last_name == "Ağaoğlu"  # her project has not ended


def test_the_management_command_runs_the_job(world, home, django_capture_on_commit_callbacks):
    start(world)
    out = StringIO()
    with (
        time_machine.travel(after_the_end(world, 25), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("retention", stdout=out)
    assert "residents 2" in out.getvalue()
    assert rows_holding("Ağaoğlu") == []


def test_the_beat_runs_it_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]
    assert entry["task"] == "privacy.tasks.retention"
    assert entry["schedule"] == 24 * 3600


def test_months_before():
    assert months_before(datetime.date(2030, 3, 31), 1) == datetime.date(2030, 2, 28)
    assert months_before(datetime.date(2030, 1, 15), 25) == datetime.date(2027, 12, 15)
    assert months_before(datetime.date(2027, 12, 31), -25) == datetime.date(2030, 1, 31)
