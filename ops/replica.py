"""Dashboards and exports read from a PostgreSQL streaming replica, when one is set
(REPLICA_DATABASE_URL) and fresh enough; otherwise from the primary.

Only code that asks for it reads from the replica: `office.dashboard.build` and the rows
of every export (`office.exports.export`) run under `replica_reads()`. Everything else —
sign-in, sessions, access checks, every page that writes or shows what was just
written — reads the primary, so nobody sees their own change missing.

Before the replica is used this process asks it how far behind it is, at most every
REPLICA_CHECK_SECONDS: a replica that is down, not streaming from the primary and behind,
or whose last replayed change is more than REPLICA_MAX_LAG_SECONDS old while changes
wait, is skipped and the primary answers (a warning is logged at each check).
"""

from __future__ import annotations

import contextvars
import functools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections

logger = logging.getLogger("woonrust.replica")

REPLICA = "replica"
_wanted: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_wanted", default=False)
_last_check: dict[str, Any] = {"at": -1e9, "usable": False}


LAG_QUERY = """
SELECT pg_is_in_recovery(),
       EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming'),
       pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn(),
       EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
"""


def configured() -> bool:
    return REPLICA in settings.DATABASES


def lag_ok() -> tuple[bool, str]:
    """Ask the replica now. (usable, why not)."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_QUERY)
            in_recovery, streaming, caught_up, age = cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means: use the primary
        connections[REPLICA].close()
        return False, f"replica does not answer ({type(error).__name__})"
    if not in_recovery:
        return True, ""
    if streaming and caught_up:
        return True, ""
    limit = settings.REPLICA_MAX_LAG_SECONDS
    if age is not None and float(age) <= limit:
        return True, ""
    where = "streaming" if streaming else "not streaming"
    return False, f"replica is behind ({where}, last change replayed {age or '?'}s ago)"


def usable() -> bool:
    if not configured():
        return False
    now = time.monotonic()
    if now - _last_check["at"] >= settings.REPLICA_CHECK_SECONDS:
        ok, why = lag_ok()
        if not ok:
            logger.warning("Reading from the primary: %s.", why)
        _last_check.update(at=now, usable=ok)
    return _last_check["usable"]


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _wanted.set(True)
    try:
        yield
    finally:
        _wanted.reset(token)


def reads_from_replica[T](function: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(function)
    def wrapper(*args, **kwargs) -> T:
        with replica_reads():
            return function(*args, **kwargs)

    return wrapper


def rows_from_replica[T](rows: Iterable[T]) -> Iterator[T]:
    """Each row is fetched under replica_reads(), also when a streaming response pulls
    them after the view has returned."""
    iterator = iter(rows)
    while True:
        with replica_reads():
            try:
                row = next(iterator)
            except StopIteration:
                return
        yield row


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if _wanted.get() and usable():
            return REPLICA
        return None

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # The replica is a copy of the primary: rows of both belong together.
        return True

    def allow_migrate(self, db, app_label, **hints) -> bool:
        return db == "default"
