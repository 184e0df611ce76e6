"""Helpers for the tests that start real servers: free loopback ports, scratch
PostgreSQL databases, waiting for a port."""

from __future__ import annotations

import socket
import ssl
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f}s")


def wait_for_answer(url: str, timeout: float = 90.0, context: ssl.SSLContext | None = None) -> None:
    """Until the URL answers with anything but a server error. An open port is not yet a
    server that answers: under load, gunicorn's workers may still be importing Django when
    its socket accepts, and nginx in front says 502 until they are up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5, context=context):
                return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
            time.sleep(0.5)
        except OSError:  # refused, reset, timed out, TLS not yet up
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer in {timeout:.0f}s")


def scratch_database_name(purpose: str) -> str:
    """A database name of this worktree's own prefix, unique per run."""
    return f"woonrust_prod_{purpose}_{uuid.uuid4().hex[:8]}"


def drop_database(name: str, dsn: str = ADMIN_DSN) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_database(name: str, dsn: str = ADMIN_DSN) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
