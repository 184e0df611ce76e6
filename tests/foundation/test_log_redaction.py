"""No status link token and no phone number in any log line: in Django's request log,
runserver's lines, gunicorn's access log, and on every handler the settings install."""

from __future__ import annotations

import contextlib
import io
import logging
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.core.cache import cache

from ops.logs import RedactFilter, redact

from .helpers import ROOT, _environ, database_url_of_tests

TOKEN = secrets.token_urlsafe(32)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The status link's rate-limit counters live in the cache: start and end clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("line", "hidden"),
    [
        (f"Not Found: /s/{TOKEN}/", TOKEN),
        (f'"GET /s/{TOKEN}/answer/?lang=nl HTTP/1.1" 200', TOKEN),
        ("GET /s/half-a-token/ 404", "half-a-token"),
        (f"token {TOKEN} in a message", TOKEN),
        ("SMS to 06 12345678 failed", "12345678"),
        ("call 0612345678", "0612345678"),
        ("belt +31 6 1234 5678", "1234 5678"),
        ("kantoor 020-123 4567", "123 4567"),
        ("kantoor +31 (0)30 2345678", "2345678"),
    ],
)
def test_redact_hides_tokens_and_phone_numbers(line, hidden):
    assert hidden not in redact(line)


def test_redact_leaves_ordinary_lines_alone():
    line = "Notification 12 sent by sms (claim_received) at 2026-06-09 10:00:01 in 0.123 s"
    assert redact(line) == line
    assert redact("GET /static/css/app.css 200") == "GET /static/css/app.css 200"


def _our_handlers() -> list[tuple[str, logging.Handler]]:
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    return [
        (logger.name, handler)
        for logger in loggers
        for handler in logger.handlers
        # pytest's own capture handlers are not part of the product; a NullHandler
        # writes nothing.
        if not type(handler).__module__.startswith("_pytest")
        and not isinstance(handler, logging.NullHandler)
    ]


def test_every_configured_handler_redacts():
    handlers = _our_handlers()
    assert handlers, "settings.LOGGING installs handlers"
    for name, handler in handlers:
        assert any(isinstance(f, RedactFilter) for f in handler.filters), (name, handler)


def test_django_request_log_has_no_token(client):
    [console] = logging.getLogger().handlers[:1]
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        response = client.get(f"/s/{TOKEN}/no/such/page/?tel=0612345678")
    finally:
        console.setStream(previous)
    assert response.status_code == 404
    written = stream.getvalue()
    assert "Not Found: /s/[redacted]/no/such/page/" in written
    assert TOKEN not in written


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_and_get(command: list[str], port: int, paths: list[str]) -> str:
    """Start a server, GET each path once it answers, stop it; all it wrote."""
    env = _environ(
        DEBUG="true",
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url_of_tests(),
    )
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/favicon.ico", timeout=2)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.2)
        for path in paths:
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
        time.sleep(0.5)  # the access line is written after the answer
    finally:
        server.send_signal(signal.SIGTERM if "gunicorn" in command[0] else signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    return output


PATHS = [f"/s/{TOKEN}/no/such/page/", f"/s/{TOKEN}/", "/healthz?phone=0612345678"]


def test_runserver_lines_have_no_token(db):
    port = _free_port()
    output = _serve_and_get(
        [
            sys.executable,
            "manage.py",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--skip-checks",
        ],
        port,
        PATHS,
    )
    assert "/s/[redacted]/no/such/page/" in output, output
    assert TOKEN not in output and "0612345678" not in output


def test_gunicorn_access_log_has_no_token(db):
    port = _free_port()
    gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
    output = _serve_and_get(
        [gunicorn, "-c", "config/gunicorn.py", "-b", f"127.0.0.1:{port}", "config.wsgi"],
        port,
        PATHS,
    )
    assert '"GET /s/[redacted]/no/such/page/ HTTP/1.1" 404' in output, output
    assert TOKEN not in output and "0612345678" not in output


def test_the_worker_logs_through_the_same_filter():
    """Celery configures no logging of its own when a receiver answers setup_logging."""
    from celery.signals import setup_logging

    import config.celery  # noqa: F401  (connects the receiver)

    answers = setup_logging.send(
        sender=None, loglevel="INFO", logfile=None, format="", colorize=False
    )
    assert answers, "a receiver keeps Celery from installing its own handlers"
    test_every_configured_handler_redacts()
