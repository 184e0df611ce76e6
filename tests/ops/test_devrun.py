"""`make run` as a newcomer sees it: the address and the demo logins come once, last,
after every process's start-up banner; the port given is the one served and the one
status links point at; Ctrl-C stops every process. Real processes: honcho, runserver,
three Celery workers and beat, on an SQLite database and a filesystem broker in a
scratch folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import pytest

from .servers import ROOT, free_port

pytestmark = pytest.mark.slow


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-g", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_make_run_ends_its_start_up_with_the_address_and_each_login_once():
    port = free_port()
    var = tempfile.mkdtemp(prefix="woonrust-run-")
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "WOONRUST_PORT": str(port),
        "WOONRUST_VAR_DIR": var,
        "DATABASE_URL": "",
        "CELERY_BROKER_URL": "",
        "SITE_URL": "",
        "DEBUG": "true",
    }
    run = subprocess.Popen(
        [sys.executable, "-m", "ops.devrun"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 240
        assert run.stdout is not None
        while time.monotonic() < deadline:
            line = run.stdout.readline()
            assert line, "make run stopped:\n" + "".join(lines[-40:])
            lines.append(line)
            if line.startswith("─") and any("Woonrust runs at" in seen for seen in lines):
                break
        out = "".join(lines)
        assert f"Woonrust runs at http://127.0.0.1:{port}/" in out
        block_starts = out.index(f"Woonrust runs at http://127.0.0.1:{port}/")
        # Every process said it was ready before the block.
        before = out[:block_starts]
        for name in ("chase", "mail", "sms"):
            assert f"{name}@" in before and "ready." in before, name
        assert "beat: Starting..." in before
        assert "Quit the server with" in before
        # Each login once, with where it lands; the platform staff login too.
        for email, lands in (
            ("supervisor@demo.woonrust.nl", "/m/"),
            ("handler@demo.woonrust.nl", "/office/"),
            ("privacy@demo.woonrust.nl", "/office/privacy/"),
            ("staff@demo.woonrust.nl", "/admin/"),
        ):
            assert out.count(email) == 1, email
            assert lands in next(line for line in lines if email in line)
        assert "Ctrl-C" in out[block_starts:]

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/live", timeout=10) as r:
            assert r.status == 200
        links = subprocess.run(
            [sys.executable, "manage.py", "status_links", "--sample"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert f"http://127.0.0.1:{port}/s/" in links.stdout, links.stdout + links.stderr
    finally:
        # Keep reading: a full pipe would stall the processes on their way out.
        threading.Thread(target=lambda: lines.extend(run.stdout), daemon=True).start()
        # Ctrl-C in a terminal: SIGINT to the whole foreground process group.
        os.killpg(run.pid, signal.SIGINT)
        try:
            run.wait(timeout=60)
        finally:
            left = _children(run.pid)
            for pid in left:
                os.kill(pid, signal.SIGKILL)
    assert run.returncode is not None
    assert left == [], f"still running after Ctrl-C: {left}"
