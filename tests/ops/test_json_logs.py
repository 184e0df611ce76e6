"""LOG_FORMAT=json: one JSON object a line with the request id, and no token, phone
number or other personal data in any field."""

from __future__ import annotations

import json

import pytest

from tests.foundation.helpers import database_url_of_tests, manage, run_django

TOKEN = "Q" * 20 + "abcdefghijklmnopqrstuvw"  # 43 characters, like a status-link token

CODE = f"""
import logging
from django.test import Client
client = Client()
answer = client.get("/s/{TOKEN}/", HTTP_X_REQUEST_ID="req-1234abcd")
print("HEADER", answer.wsgi_request.request_id, "X-Request-ID" in answer, flush=True)
answer = client.get("/healthz", HTTP_X_REQUEST_ID="not an id; 06 12345678")
print("MADE", answer.wsgi_request.request_id, flush=True)
logging.getLogger("woonrust.test").warning(
    "Called %s about %s", "06 12345678", "/s/{TOKEN}/", extra={{"phone": "+31 6 1234 5678"}}
)
"""


def json_lines(stderr: str) -> list[dict]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def run(**env: str):
    return run_django(
        CODE, DEBUG="true", ALLOWED_HOSTS="testserver", DATABASE_URL=database_url_of_tests(), **env
    )


@pytest.mark.django_db
def test_json_lines_carry_the_request_id_and_no_personal_data():
    result = run(LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    records = json_lines(result.stderr)
    not_found = next(r for r in records if r["message"].startswith("Not Found"))
    assert not_found["request_id"] == "req-1234abcd"
    assert not_found["message"] == "Not Found: /s/[redacted]/"
    assert {"time", "level", "name", "message", "request_id"} <= set(not_found)
    assert "HEADER req-1234abcd False" in result.stdout
    # A header that is not an id is replaced by one of ours, never logged.
    made = result.stdout.split("MADE ")[1].split()[0]
    assert len(made) == 32 and "12345678" not in made
    called = next(r for r in records if r["name"] == "woonrust.test")
    assert called["message"] == "Called [phone] about /s/[redacted]/"
    assert called["phone"] == "[phone]"
    assert called["request_id"] == "-"
    assert all("request" not in r for r in records)
    assert TOKEN not in result.stderr and "12345678" not in result.stderr
    assert "1234 5678" not in result.stderr


@pytest.mark.django_db
def test_plain_is_the_default():
    result = run()
    assert result.returncode == 0, result.stderr
    assert not json_lines(result.stderr)
    assert "WARNING django.request: Not Found: /s/[redacted]/" in result.stderr


def test_an_unknown_log_format_stops_startup():
    result = manage("check", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT='xml'" in result.stderr


def test_gunicorn_logs_json_through_the_redaction_filter():
    code = """
import logging.config, os
os.environ["LOG_FORMAT"] = "json"
import importlib.util
spec = importlib.util.spec_from_file_location("g", "config/gunicorn.py")
g = importlib.util.module_from_spec(spec); spec.loader.exec_module(g)
logging.config.dictConfig(g.logconfig_dict)
logging.getLogger("gunicorn.access").info('127.0.0.1 "GET /s/abc/ HTTP/1.1" 200 rid=r1')
"""
    result = run_django(code, DEBUG="true")
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert line["message"] == '127.0.0.1 "GET /s/[redacted]/ HTTP/1.1" 200 rid=r1'


def test_objects_in_extras_are_written_as_redacted_text():
    import logging

    from ops.logs import JsonFormatter, RedactFilter

    class Holder:
        def __str__(self) -> str:
            return f"GET /s/{TOKEN}/ for 06 12345678"

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    record.thing = Holder()
    record.request = Holder()
    RedactFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["thing"] == "GET /s/[redacted]/ for [phone]"
    assert "request" not in line
