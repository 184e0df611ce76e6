"""`make serve` as it runs: deploy/serve starts nginx (TLS), gunicorn, the chase, mail and
SMS workers and beat on PostgreSQL and Redis; one SIGINT stops them all."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import shutil
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from .servers import (
    ROOT,
    drop_database,
    free_port,
    scratch_database_name,
    wait_for_answer,
    wait_for_port,
)

pytestmark = pytest.mark.slow

TLS = ssl.create_default_context()
TLS.check_hostname = False
TLS.verify_mode = ssl.CERT_NONE


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def served():
    https, http, app = free_port(), free_port(), free_port()
    database = scratch_database_name("serve")
    # Under the worktree (not /tmp): nginx's workers must be able to read static files.
    var = ROOT / "var" / f"test-serve-{uuid.uuid4().hex[:8]}"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG")},
        "WOONRUST_VAR_DIR": str(var),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        # Not the suite's broker db: these workers must not take the suite's tasks.
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14",
        "CACHE_URL": "redis://127.0.0.1:6379/14",
        "SERVE_HTTPS_PORT": str(https),
        "SERVE_HTTP_PORT": str(http),
        "GUNICORN_BIND": f"127.0.0.1:{app}",
        "GUNICORN_UPLOADS_BIND": f"127.0.0.1:{free_port()}",
        "WEB_CONCURRENCY": "2",
        "SERVE_SEED": "false",
        "METRICS_TOKEN": "scrape-token",
    }
    var.parent.mkdir(exist_ok=True)
    log = open(var.parent / f"{var.name}.log", "w+")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        [str(ROOT / "deploy" / "serve")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # Through nginx to gunicorn: both are up and a worker answers.
        wait_for_answer(f"https://127.0.0.1:{https}/healthz/live", 150, TLS)
        yield {"https": https, "http": http, "app": app, "process": process, "log": log, "var": var}
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(45)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        log.close()
        drop_database(database)
        shutil.rmtree(var, ignore_errors=True)
        (var.parent / f"{var.name}.log").unlink(missing_ok=True)


def get(url: str, opener=None, **headers: str):
    opener = opener or urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=TLS), NoRedirect
    )
    request = urllib.request.Request(url, headers=headers)
    try:
        return opener.open(request, timeout=20)
    except urllib.error.HTTPError as error:
        return error


def log_text(served) -> str:
    served["log"].flush()
    served["log"].seek(0)
    return served["log"].read()


def test_health_through_nginx_over_tls(served):
    answer = get(f"https://127.0.0.1:{served['https']}/healthz")
    assert answer.status == 200
    assert b'"database": "ok"' in answer.read()
    # Django saw https (X-Forwarded-Proto): HSTS is set and there was no redirect loop.
    assert "max-age=31536000" in answer.headers["Strict-Transport-Security"]
    # nginx's request id, for the person to quote (the log lines carry it too).
    rid = answer.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    for _ in range(20):
        if f"rid={rid}" in log_text(served):
            break
        time.sleep(0.25)
    assert f"rid={rid}" in log_text(served), "gunicorn's access line has nginx's request id"


def test_plain_http_redirects_to_https(served):
    answer = get(f"http://127.0.0.1:{served['http']}/office/?q=1")
    assert answer.status == 308
    assert answer.headers["Location"] == f"https://127.0.0.1:{served['https']}/office/?q=1"


def test_hashed_static_files_are_cached_for_a_year(served):
    page = get(f"https://127.0.0.1:{served['https']}/login/").read().decode()
    hashed = re.search(r"/static/css/app\.[0-9a-f]{12}\.css", page).group(0)
    answer = get(f"https://127.0.0.1:{served['https']}{hashed}", **{"Accept-Encoding": "gzip"})
    assert answer.status == 200
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert answer.headers["Content-Encoding"] == "gzip"
    plain = get(f"https://127.0.0.1:{served['https']}/static/css/app.css")
    assert plain.headers["Cache-Control"] == "public, max-age=3600"


def test_metrics_are_not_public(served):
    assert get(f"https://127.0.0.1:{served['https']}/metrics").status == 404


def test_metrics_of_every_process_on_the_application_port(served):
    """Prometheus scrapes gunicorn directly: the web workers' and the chase worker's
    samples (beat's first sweep) add up in one answer."""
    url = f"http://127.0.0.1:{served['app']}/metrics"
    assert get(url, Host="127.0.0.1").status == 404  # no token
    # A sweep now, as beat publishes one every minute.
    published = subprocess.run(
        [
            str(ROOT / ".venv/bin/celery"),
            "-A",
            "config",
            "call",
            "cases.tasks.sweep",
            "--queue",
            "chase",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14", "DEBUG": "true"},
    )
    assert published.returncode == 0, published.stderr
    text = ""
    for _ in range(60):
        answer = get(url, Host="127.0.0.1", Authorization="Bearer scrape-token")
        text = answer.read().decode() if answer.status == 200 else ""
        if 'woonrust_sweeps_total{outcome="ok"}' in text:
            break
        time.sleep(0.5)
    assert 'woonrust_sweeps_total{outcome="ok"}' in text, text[-1500:]
    assert "woonrust_sweep_duration_seconds_count" in text
    assert 'woonrust_http_requests_total{method="GET",status="200",view="healthz"}' in text
    assert "woonrust_outbox_pending 0.0" in text


def test_a_body_over_the_upload_limit_is_refused_before_it_is_read(served):
    from django.conf import settings

    request = urllib.request.Request(
        f"https://127.0.0.1:{served['https']}/m/",
        method="POST",
        data=b"",
        headers={
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(settings.MAX_UPLOAD_BYTES_PER_REQUEST + 1),
        },
    )
    try:
        urllib.request.urlopen(request, context=TLS, timeout=20)
    except urllib.error.HTTPError as error:
        assert error.status == 413
    else:  # pragma: no cover - the assertion below explains
        pytest.fail("an oversized body was accepted")


def test_the_client_address_is_nginx_s_view_not_what_the_client_wrote(served):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=TLS),
        urllib.request.HTTPCookieProcessor(jar),
        NoRedirect,
    )
    base = f"https://127.0.0.1:{served['https']}"
    page = get(f"{base}/login/", opener).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": "nobody@example.nl", "password": "wrong"}
    ).encode()
    request = urllib.request.Request(
        f"{base}/login/",
        data=form,
        headers={"X-Forwarded-For": "203.0.113.66", "Referer": f"{base}/login/"},
    )
    with contextlib.suppress(urllib.error.HTTPError):
        opener.open(request, timeout=20)
    for _ in range(20):
        text = log_text(served)
        if "Sign-in failed" in text:
            break
        time.sleep(0.25)
    line = next(line for line in text.splitlines() if "Sign-in failed" in line)
    assert line.endswith("from 127.0.0.1"), line
    assert "203.0.113.66" not in text


def served_by(served, rid: str) -> str:
    """The honcho process whose gunicorn wrote the access line of this request."""
    for _ in range(40):
        lines = [line for line in log_text(served).splitlines() if f"rid={rid}" in line]
        if lines:
            return lines[0].split()[1].split(".")[0]
        time.sleep(0.25)
    raise AssertionError(f"no access line for {rid}")


@pytest.mark.parametrize(
    ("method", "path", "pool"),
    [
        ("POST", "/m/d/1/claim/", "uploads"),
        ("POST", "/m/claims/1/photos/", "uploads"),
        ("POST", "/s/some-token/information/", "uploads"),
        ("GET", "/m/d/1/claim/", "web"),
        ("POST", "/m/d/1/promise/", "web"),
        ("GET", "/office/", "web"),
    ],
)
def test_photo_uploads_have_gunicorn_workers_of_their_own(served, method, path, pool):
    """Fifty phones sending photos at once must not queue the office's pages (bench/phones)."""
    request = urllib.request.Request(
        f"https://127.0.0.1:{served['https']}{path}",
        method=method,
        data=b"" if method == "POST" else None,
    )
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=TLS), NoRedirect)
    try:
        answer = opener.open(request, timeout=20)
    except urllib.error.HTTPError as error:
        answer = error
    assert served_by(served, answer.headers["X-Request-ID"]) == pool


def test_sigint_stops_every_process(served):
    process = served["process"]
    process.send_signal(signal.SIGINT)
    process.wait(45)
    text = log_text(served)
    for name in ("web", "uploads", "chase", "mail", "sms", "beat", "nginx"):
        assert re.search(rf"{name}\.1 stopped", text), f"{name} did not stop:\n{text[-2000:]}"
    with pytest.raises(OSError):
        wait_for_port(served["https"], 1)
