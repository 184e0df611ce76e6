"""/healthz: 200 with JSON when the database and the broker answer, 503 otherwise."""

from __future__ import annotations

import json

from .helpers import database_url_of_tests, run_django

GET_HEALTHZ = """
from django.test import Client
r = Client().get("/healthz", headers={"host": "localhost"})
print(r.status_code, r.content.decode())
"""


def test_healthy(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "chase": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_needs_no_login_and_only_answers_get(client, db):
    assert client.post("/healthz").status_code == 405


def parse(out: str) -> tuple[int, dict]:
    status, body = out.strip().splitlines()[-1].split(" ", 1)
    return int(status), json.loads(body)


def test_database_unreachable_gives_503():
    # Nothing listens on port 1: the connection is refused, as with a database that is down.
    result = run_django(GET_HEALTHZ, DATABASE_URL="postgres://postgres@127.0.0.1:1/woonrust")
    assert result.returncode == 0, result.stderr
    status, body = parse(result.stdout)
    assert status == 503
    assert body["database"] == "down"
    assert body["broker"] == "ok"


def test_broker_unreachable_gives_503(db):
    result = run_django(
        GET_HEALTHZ, DATABASE_URL=database_url_of_tests(), CELERY_BROKER_URL="redis://127.0.0.1:1/0"
    )
    assert result.returncode == 0, result.stderr
    status, body = parse(result.stdout)
    assert status == 503
    assert body["broker"] == "down"
    assert body["database"] == "ok"
