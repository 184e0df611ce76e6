"""`make bench` (bench/http) in its quick mode: 1,000 claims, one round, every figure
line present and parseable, the same lines in the TSV, gunicorn gone afterwards. And
the yardstick pages do not exist without the bench setting."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings

from .servers import ROOT, drop_database, free_port

PAGES = [
    "bare_hello", "bare_rows", "queue_first", "queue_filtered", "queue_next",
    "search_surname", "search_postcode", "search_case_number", "case_page", "dashboard",
    "address_page", "round_m", "dwelling_m",
]  # fmt: skip
COLUMNS = [
    "size", "figure", "n", "median_ms", "p95_ms", "ratio", "queries", "bytes", "rate", "unit",
    "load1",
]  # fmt: skip


@pytest.mark.django_db
def test_the_yardsticks_are_not_there_without_the_bench_setting(client):
    assert not settings.BENCH
    assert "benchmarks" not in settings.INSTALLED_APPS
    for path in ("/bench/hello/", "/bench/rows/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "X-Bench-Queries" not in response


def number(value: str) -> float:
    return float(value)


@pytest.mark.slow
def test_make_bench_prints_every_figure_on_a_small_seed():
    name = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]
    prefix = f"{name}_bench_{uuid.uuid4().hex[:6]}"
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "BENCH_SIZES": "1000",
        "BENCH_DB_PREFIX": prefix,
        "BENCH_PORT": str(port),
        "BENCH_REDIS_URL": os.environ["CELERY_BROKER_URL"],
        "BENCH_ROUNDS": "1",
        "BENCH_REQUESTS": "2",
        "BENCH_WRK_SECONDS": "3",
        "BENCH_DELIVERY": "100",
    }
    try:
        run = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "http")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        for db in ("1k", "template", "chase", "delivery"):
            drop_database(f"{prefix}_{db}")
        (ROOT / "var" / "bench" / f"seed-{prefix}_1k.log").unlink(missing_ok=True)
        (ROOT / "var" / "bench" / "gunicorn-1k.log").unlink(missing_ok=True)
    out = run.stdout
    assert run.returncode == 0, out[-3000:] + run.stderr[-3000:]
    assert re.search(r"^# loadavg start: [\d.]+ [\d.]+ [\d.]+", out, re.MULTILINE)
    assert re.search(r"^# loadavg end: [\d.]+ [\d.]+ [\d.]+", out, re.MULTILINE)
    header = next(line for line in out.splitlines() if line.split()[:2] == ["size", "figure"])
    assert header.split() == COLUMNS
    lines = {
        fields[1]: dict(zip(COLUMNS, fields, strict=True))
        for fields in (line.split() for line in out.splitlines())
        if fields and fields[0] == "1k"
    }
    assert all(len(line) == len(COLUMNS) for line in lines.values())
    for page in PAGES:
        row = lines[page]
        assert number(row["n"]) == 2, page
        assert number(row["median_ms"]) > 0 and number(row["p95_ms"]) >= number(row["median_ms"])
        assert number(row["ratio"]) > 0 and int(row["queries"]) >= 0 and int(row["bytes"]) > 0
        number(row["load1"])
    # The yardsticks: the floor has no query; bare_rows is session, user, rows.
    assert lines["bare_hello"]["queries"] == "0"
    assert lines["bare_rows"]["queries"] == "3" and lines["bare_rows"]["ratio"] == "1.00"
    for figure in ("wrk_queue", "wrk_bare_rows"):
        assert lines[figure]["unit"] == "req/s" and number(lines[figure]["rate"]) >= 0
    # (On a loaded machine the queue may finish no request under wrk in a few seconds.)
    assert number(lines["wrk_bare_rows"]["rate"]) > 0 and number(lines["wrk_queue"]["ratio"]) >= 0
    export = lines["export_csv"]
    assert export["unit"] == "rows/s" and int(export["n"]) > 0 and number(export["rate"]) > 0
    chase = lines["chase_sweep"]
    assert chase["unit"] == "cases/s" and chase["n"] == "10" and number(chase["rate"]) > 0
    if "bench_chase failed after its figures" not in out:
        assert number(lines["chase_nothing_due"]["median_ms"]) > 0
    for channel in ("email", "sms"):
        sent = lines[f"delivery_{channel}"]
        assert sent["unit"] == "msg/s" and sent["n"] == "100" and number(sent["rate"]) > 0
        cpu = lines[f"delivery_{channel}_cpu"]
        assert cpu["unit"] == "msg/cpu-s" and number(cpu["median_ms"]) > 0
    # The same lines in the TSV, and nothing listens on the port any more.
    written = re.search(r"^# written to (\S+)$", out, re.MULTILINE)
    assert written
    tsv = (ROOT / written.group(1)).read_text().splitlines()
    rows = [line.split("\t") for line in tsv if not line.startswith("#")]
    assert rows[0] == COLUMNS
    assert {row[1] for row in rows[1:]} == set(lines)
    Path(ROOT / written.group(1)).unlink()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
