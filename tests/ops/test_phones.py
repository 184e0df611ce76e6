"""Phones sending damage reports with photos at the same moment through nginx and
gunicorn as in production (bench/phones, ten phones, smaller photos): nothing lost,
nothing stored twice, every photo stored with its file. Its own database on the local
PostgreSQL, dropped afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import dj_database_url
import pytest

from .servers import ROOT

pytestmark = pytest.mark.slow


def test_ten_phones_sending_at_once_lose_nothing_and_store_nothing_twice():
    # A database beside the suite's own (same prefix), and the suite's Redis for the cache.
    name = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "phones"),
            "--phones",
            "10",
            "--photo-edge",
            "2000",
            "--database",
            f"{name}_phones_{uuid.uuid4().hex[:8]}",
            "--redis",
            os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"),
            "--port",
            os.environ.get("BENCH_PHONES_PORT", "0"),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    out = run.stdout
    assert run.returncode == 0, out[-3000:] + run.stderr[-3000:]
    assert "Errors: 0 submissions not acknowledged" in out
    assert "Stored: 10 of 10 claims, 30 of 30 photos; lost: 0; stored twice: 0" in out
    assert "files missing: 0" in out
