"""Run Woonrust in a separate process with its own environment, as a deployment would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _environ(**env: str) -> dict[str, str]:
    # The test process allows async-unsafe ORM calls for Playwright; a deployment must not.
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**base, **env}


def database_url_of_tests() -> str:
    """A URL for the database the tests run on, for a separate process to reach it."""
    from django.db import connection

    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def run_django(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `code` after django.setup() in a fresh interpreter with `env` on top of ours."""
    script = "import django; django.setup()\n" + code
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_environ(DJANGO_SETTINGS_MODULE="config.settings", **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_environ(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
