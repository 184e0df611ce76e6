"""The whole production topology under load while each of its processes is killed in
turn (bench/topology, short phases): nothing lost, nothing stored twice, every message
sent once or within the documented repeat window. Its own PostgreSQL, Redis, SMTP
server and SMS endpoint on free loopback ports; the shared services are not touched."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .servers import ROOT

pytestmark = pytest.mark.slow


def test_the_topology_loses_nothing_while_each_process_is_killed():
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "topology"), "--seconds-per-kill", "5"],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    out = run.stdout
    assert run.returncode == 0, out[-3000:] + run.stderr[-3000:]
    assert "lost: 0; duplicated: 0" in out and "duplicate keys: 0" in out
    assert "marked sent but never arrived: 0" in out and "repeats outside it: 0" in out
    for phase in ("web-worker", "redis", "postgres"):
        assert f"\n  {phase} " in out  # each fault had its phase, with its figures
