"""Dashboards and exports from a real streaming replica, and back to the primary when the
replica lags or is down.

A throwaway primary (initdb, on a free loopback port, replication allowed) and a replica
made from it with pg_basebackup run as the postgres user in a temporary folder; the
shared PostgreSQL on 5432 is not touched."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from tests.foundation.helpers import manage, run_django

from .servers import free_port, wait_for_port

pytestmark = pytest.mark.slow

BIN = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])


def as_postgres(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


def start(data: Path, port: int, sockets: Path) -> None:
    as_postgres(
        str(BIN / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(data.parent / f"{data.name}.log"),
        "-w",
        "-o",
        f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c full_page_writes=off -c wal_receiver_status_interval=1",
        "start",
    )


@pytest.fixture(scope="module")
def cluster():
    root = Path(tempfile.mkdtemp(prefix="woonrust_prod_replica_"))
    shutil.chown(root, "postgres")
    primary, replica = root / "primary", root / "replica"
    p_port, r_port = free_port(), free_port()
    try:
        as_postgres(
            str(BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "--no-sync"
        )
        start(primary, p_port, root)
        wait_for_port(p_port)
        as_postgres(
            str(BIN / "pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(p_port),
            "-U",
            "postgres",
            "-D",
            str(replica),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        )
        start(replica, r_port, root)
        wait_for_port(r_port)
        as_postgres(str(BIN / "createdb"), "-h", "127.0.0.1", "-p", str(p_port), "woonrust")
        primary_url = f"postgres://postgres@127.0.0.1:{p_port}/woonrust"
        migrated = manage("migrate", "--noinput", DATABASE_URL=primary_url, DEBUG="true")
        assert migrated.returncode == 0, migrated.stderr
        seeded = manage(
            "seed_demo",
            "--dwellings",
            "10",
            "--claims",
            "20",
            "--demo-users",
            DATABASE_URL=primary_url,
            DEBUG="true",
        )
        assert seeded.returncode == 0, seeded.stderr
        yield {
            "primary": primary_url,
            "replica": f"postgres://postgres@127.0.0.1:{r_port}/woonrust",
            "replica_data": replica,
            "root": root,
            "r_port": r_port,
        }
    finally:
        for data in (replica, primary):
            if (data / "postmaster.pid").exists():
                as_postgres(
                    str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop", check=False
                )
        shutil.rmtree(root, ignore_errors=True)


CHECK = """
from django.db import connections
from django.test import Client
from accounts.models import User
seen = {"default": [], "replica": []}

def recorder(alias):
    def record(execute, sql, params, many, context):
        seen[alias].append(sql)
        return execute(sql, params, many, context)
    return record

client = Client()
client.force_login(User.objects.get(email="manager@demo.woonrust.nl"))
# execute_wrapper, not CaptureQueriesContext: that one connects, and the replica may be down.
with connections["default"].execute_wrapper(recorder("default")), \\
        connections["replica"].execute_wrapper(recorder("replica")):
    page = client.get("/office/dashboard/")
    export = client.get("/office/dashboard/export.csv")
    body = b"".join(export.streaming_content)
    queue = client.get("/office/export.csv")
    b"".join(queue.streaming_content)
claims = lambda alias: [q for q in seen[alias] if '"cases_damageclaim"' in q]
print("STATUS", page.status_code, export.status_code, queue.status_code)
print("REPLICA", len(claims("replica")), "PRIMARY", len(claims("default")))
for q in claims("default"):
    print("ON-PRIMARY", q[:300])
"""


def check(cluster, **env: str) -> dict[str, int]:
    result = run_django(
        CHECK,
        DATABASE_URL=cluster["primary"],
        REPLICA_DATABASE_URL=cluster["replica"],
        REPLICA_CHECK_SECONDS="0",
        DEBUG="true",
        ALLOWED_HOSTS="testserver",
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert "STATUS 200 200 200" in result.stdout, result.stdout + result.stderr
    words = result.stdout.split()
    figures = {
        "replica": int(words[words.index("REPLICA") + 1]),
        "primary": int(words[words.index("PRIMARY") + 1]),
    }
    figures["stderr"] = result.stderr
    figures["stdout"] = result.stdout
    return figures


def wait_caught_up(cluster) -> None:
    with psycopg.connect(cluster["primary"]) as conn:
        target = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    with psycopg.connect(cluster["replica"], autocommit=True) as conn:
        for _ in range(100):
            done = conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if done.fetchone()[0]:
                return
            time.sleep(0.1)
    raise AssertionError("the replica did not catch up")


def test_dashboards_and_exports_read_the_replica_and_fall_back(cluster):
    wait_caught_up(cluster)
    fresh = check(cluster)
    assert fresh["replica"] >= 3 and fresh["primary"] == 0, fresh

    # Replay paused and a change waiting: more than the allowed lag behind.
    with psycopg.connect(cluster["replica"], autocommit=True) as conn:
        conn.execute("SELECT pg_wal_replay_pause()")
    try:
        with psycopg.connect(cluster["primary"], autocommit=True) as conn:
            conn.execute("UPDATE projects_project SET name = name || ''")
        time.sleep(2.2)
        lagging = check(cluster, REPLICA_MAX_LAG_SECONDS="1")
        assert lagging["replica"] == 0 and lagging["primary"] >= 3, lagging
        assert "Reading from the primary: replica is behind" in lagging["stderr"]
        # A generous limit accepts the same replica.
        assert check(cluster, REPLICA_MAX_LAG_SECONDS="3600")["replica"] >= 3
    finally:
        with psycopg.connect(cluster["replica"], autocommit=True) as conn:
            conn.execute("SELECT pg_wal_replay_resume()")

    # The replica down: every page still answers, from the primary.
    as_postgres(str(BIN / "pg_ctl"), "-D", str(cluster["replica_data"]), "-m", "fast", "stop")
    down = check(cluster)
    assert down["replica"] == 0 and down["primary"] >= 3, down
    assert "replica does not answer" in down["stderr"]


def test_without_a_replica_everything_reads_the_primary():
    from ops.replica import ReplicaRouter, replica_reads

    with replica_reads():
        assert ReplicaRouter().db_for_read(None) is None
    assert "replica" not in os.environ.get("DATABASE_URL", "")
