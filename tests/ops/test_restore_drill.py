"""The restore drill: seed a database, back it up with deploy/backup, restore it with
deploy/restore into a fresh database and folder, and prove the copy works — every
table has the same rows, the back-office renders a claim from it, its photo is read."""

from __future__ import annotations

import hashlib
import io
import subprocess

import psycopg
import pytest
from django.core.management import call_command
from PIL import Image

from accounts.models import User
from cases.models import DamageClaim
from cases.photos import claim_photo_add, clean_photo
from projects.models import Project
from tests.foundation.helpers import database_url_of_tests, run_django

from .servers import ROOT, drop_database, scratch_database_name

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [
            t
            for (t,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def jpeg() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    out.seek(0)
    return out


def test_a_backup_restores_into_a_working_copy(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", dwellings=50, claims=60, demo_users=True, stdout=io.StringIO())
    supervisor = User.objects.get(email="supervisor@demo.woonrust.nl")
    handler = User.objects.get(email="handler@demo.woonrust.nl")
    claim = (
        DamageClaim.objects.filter(project__in=Project.objects.visible_to(handler))
        .filter(project__in=Project.objects.visible_to(supervisor))
        .first()
    )
    photo = claim_photo_add(claim=claim, by=supervisor, photo=clean_photo(jpeg()))
    original = (settings.MEDIA_ROOT / photo.image.name).read_bytes()

    source = database_url_of_tests()
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": source, "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    made = subprocess.run(
        [str(ROOT / "deploy" / "backup"), str(tmp_path / "backups")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    backup = made.stdout.strip().splitlines()[-1]

    target = scratch_database_name("restored")
    target_url = source.rsplit("/", 1)[0] + f"/{target}"
    try:
        restored = subprocess.run(
            [str(ROOT / "deploy" / "restore"), backup],
            env={**env, "DATABASE_URL": target_url, "MEDIA_ROOT": str(tmp_path / "restored")},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert restored.returncode == 0, restored.stderr
        expected = row_counts(source)
        assert expected["cases_damageclaim"] >= 60 and expected["cases_claimphoto"] == 1
        assert row_counts(target_url) == expected

        # A second restore into the same (now full) database is refused.
        again = subprocess.run(
            [str(ROOT / "deploy" / "restore"), backup],
            env={**env, "DATABASE_URL": target_url, "MEDIA_ROOT": str(tmp_path / "again")},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert again.returncode == 2 and "already has" in again.stderr

        # The restored copy serves the claim's page and its photo.
        check = run_django(
            f"""
from django.test import Client
from django.urls import reverse
from accounts.models import User
client = Client()
client.force_login(User.objects.get(email="handler@demo.woonrust.nl"))
page = client.get(reverse("office:case", args=["claim", {claim.pk}]))
print("PAGE", page.status_code, {claim.number!r} in page.content.decode())
photo = client.get(reverse("office:photo", args=[{photo.pk}]))
import hashlib
print("PHOTO", photo.status_code, hashlib.sha256(b"".join(photo.streaming_content)).hexdigest())
""",
            DATABASE_URL=target_url,
            MEDIA_ROOT=str(tmp_path / "restored"),
            DEBUG="true",
            ALLOWED_HOSTS="testserver",
        )
        assert check.returncode == 0, check.stderr
        assert "PAGE 200 True" in check.stdout, check.stdout + check.stderr
        assert f"PHOTO 200 {hashlib.sha256(original).hexdigest()}" in check.stdout
    finally:
        drop_database(target)
