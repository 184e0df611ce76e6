"""`make run`: prepare the demo database, start every process, then say where to go.

    .venv/bin/python -m ops.devrun

Migrates (quietly), loads the demo data when the database is empty, and starts the
Procfile under honcho: the web server, the chase, e-mail and SMS workers and the beat.
Their output passes through; once each has said it is ready (or after a minute), the
address, the demo logins and how to stop are printed as the last block, so they do not
scroll away under the workers' start-up banners. Ctrl-C stops everything together.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

# A line each process prints once it is ready (runserver, each Celery worker, beat).
READY = {
    "web": "Quit the server with",
    "chase": " ready.",
    "mail": " ready.",
    "sms": " ready.",
    "beat": "beat: Starting...",
}
# The block is printed anyway after this long: a slow machine still gets it.
WAIT_AT_MOST = 60.0
# Workers print a few more lines right after "ready"; let them finish first.
SETTLE = 1.0


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, check=True)


def ready_process(line: str) -> str | None:
    """'07:03:12 chase.1 | celery@host ready.' -> 'chase' when it is that process's cue."""
    prefix, bar, text = line.partition("| ")
    if not bar:
        return None
    words = prefix.split()
    if not words:
        return None
    name = words[-1].split(".")[0]
    cue = READY.get(name)
    return name if cue is not None and cue in text else None


def welcome(port: str) -> str:
    """The block `make run` ends its start-up with."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings

    from projects.demo import DEMO_LOGINS, DEMO_PASSWORD

    # seed_demo makes the platform staff login only with DEBUG on.
    logins = [login for login in DEMO_LOGINS if settings.DEBUG or not login.platform_staff]
    base = f"http://127.0.0.1:{port}"
    width = max(len(login.email) for login in logins)
    lines = [
        "",
        "─" * 78,
        f"  Woonrust runs at {base}/",
        "",
        f"  Demo logins, password {DEMO_PASSWORD}, and where each lands:",
    ]
    for login in logins:
        lines.append(f"    {login.email:<{width}}  {login.title:<27} {login.lands}")
    lines += [
        "",
        "  Residents' status links:  .venv/bin/python manage.py status_links --sample",
        "  Tomorrow's chase, now:    .venv/bin/python manage.py chase --at "
        '"next-working-day 09:00"',
        "  Stop everything:          Ctrl-C",
        "─" * 78,
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    port = os.environ.get("WOONRUST_PORT") or "8000"
    print("Preparing the database (migrations; demo data on the first run)…", flush=True)
    manage("migrate", "--noinput", "-v0")
    manage("seed_demo", "--if-empty", "--demo-users", "-v0")
    block = welcome(port)

    honcho = subprocess.Popen(
        [str(ROOT / ".venv/bin/honcho"), "-f", "Procfile", "start"],
        cwd=ROOT,
        # Through a pipe Python would hold lines back in its buffer.
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    # Ctrl-C reaches honcho too (same process group); it stops its children, and this
    # process keeps passing their last words through until honcho has exited. A handler,
    # not SIG_IGN: honcho must not inherit an ignored SIGINT.
    signal.signal(signal.SIGINT, lambda *_: None)
    signal.signal(signal.SIGTERM, lambda *_: honcho.terminate())

    waiting = set(READY)
    started = time.monotonic()
    last_line = [time.monotonic()]
    shown = threading.Event()

    def show_when_quiet() -> None:
        while not shown.is_set():
            time.sleep(0.2)
            now = time.monotonic()
            settled = not waiting and now - last_line[0] >= SETTLE
            if settled or now - started >= WAIT_AT_MOST:
                shown.set()
                print(block, flush=True)

    threading.Thread(target=show_when_quiet, daemon=True).start()
    assert honcho.stdout is not None
    for line in honcho.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        last_line[0] = time.monotonic()
        if name := ready_process(line):
            waiting.discard(name)
    shown.set()
    return honcho.wait()


if __name__ == "__main__":
    sys.exit(main())
