"""Error reporting: only with SENTRY_DSN, and what is sent holds no personal data. A
small local HTTP server stands in for Sentry and keeps what it receives."""

from __future__ import annotations

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.foundation.helpers import database_url_of_tests, run_django

CODE = """
from django.conf import settings
settings.ROOT_URLCONF = "tests.foundation.error_urls"
# Production pages name hashed static files; this run has no collectstatic behind it.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
from django.test import Client
import sentry_sdk
client = Client(raise_request_exception=False)
client.cookies["__Host-sessionid"] = "session-secret-value"
answer = client.get("/boom/?phone=0612345678&name=Jansen", HTTP_X_RESIDENT="Mevrouw Jansen")
print("STATUS", answer.status_code)
sentry_sdk.flush(5)
print("ENABLED", sentry_sdk.get_client().is_active())
"""


@pytest.fixture
def fake_sentry():
    received: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            elif self.headers.get("Content-Encoding") == "br":
                import brotli

                body = brotli.decompress(body)
            received.append(body)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], received
    server.shutdown()


@pytest.mark.django_db
def test_an_error_is_reported_without_personal_data(fake_sentry):
    port, received = fake_sentry
    result = run_django(
        CODE,
        SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/1",
        DEBUG="false",
        SECRET_KEY="k" * 60,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url_of_tests(),
    )
    assert "STATUS 500" in result.stdout, result.stderr
    assert received, "nothing reached the reporting server"
    sent = b"\n".join(received).decode()
    events = [json.loads(line) for line in sent.splitlines() if '"exception"' in line]
    assert events, sent[:2000]
    event = events[0]
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["exception"]["values"][-1]["value"] == "secret detail: /s/[redacted]/ [phone]"
    assert set(event.get("request", {})) <= {"method", "url"}
    for personal in ("0612345678", "Jansen", "session-secret-value", "/s/abc/"):
        assert personal not in sent, personal
    # No local variables of stack frames (they hold names and numbers).
    frames = event["exception"]["values"][-1]["stacktrace"]["frames"]
    assert all("vars" not in frame for frame in frames)


@pytest.mark.django_db
def test_nothing_is_set_up_without_a_dsn():
    result = run_django(
        CODE, DEBUG="true", ALLOWED_HOSTS="testserver", DATABASE_URL=database_url_of_tests()
    )
    assert "STATUS 500" in result.stdout, result.stderr
    assert "ENABLED False" in result.stdout
