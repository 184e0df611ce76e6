"""The lease a delivery holds on the outbox rows it is sending, kept alive while it sends.

`delivery.claim` / `delivery.claim_batch` take a short lease (`LEASE`: the rows'
`send_after` pushed ahead); while the provider calls of a batch run, a thread of the
sending process renews the lease of every row of the batch that has no outcome yet, every
`RENEW_EVERY`. So a lease outlives a slow provider for as long as its holder lives, and
expires within `LEASE` of the holder dying (SIGKILL, OOM, a crashed machine): then the
sweep re-dispatches the row. The renewal names the attempt it belongs to, so a holder that
lost its lease (renewals failed for longer than `LEASE`, e.g. the database was away)
cannot extend the lease of whoever took the row after it.

A row is released (`release`) before its outcome is written, under the same lock as a
renewal: a renewal can never land after the outcome and overwrite a retry's back-off.
"""

from __future__ import annotations

import datetime
import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)

LEASE = datetime.timedelta(seconds=30)
RENEW_EVERY = datetime.timedelta(seconds=10)


class Keeper:
    """Renews the leases this process holds. One per process, started on first use
    (after a prefork worker forked its pool process)."""

    def __init__(self) -> None:
        self._held: dict[int, int] = {}  # notification id -> the attempt that holds it
        self._lock = threading.Lock()
        self._pid = 0

    @contextmanager
    def holding(self, held: dict[int, int]) -> Iterator[None]:
        """Keep the lease of these rows (id -> attempt) alive until released or the
        block ends."""
        self._start()
        with self._lock:
            self._held.update(held)
        try:
            yield
        finally:
            self.release(held)

    def release(self, ids: Iterable[int]) -> None:
        """Stop renewing these rows; returns once no renewal of them is under way."""
        with self._lock:
            for notification_id in ids:
                self._held.pop(notification_id, None)

    def _start(self) -> None:
        if self._pid == os.getpid():
            return
        self._pid = os.getpid()
        threading.Thread(target=self._run, name="lease-keeper", daemon=True).start()

    def _run(self) -> None:
        while True:
            time.sleep(RENEW_EVERY.total_seconds())
            # Under the lock: `release` waits for a renewal under way (see the docstring).
            with self._lock:
                if self._held:
                    self.renew(list(self._held.items()))
                    # No connection stays open between renewals (nor behind a test database).
                    connection.close()

    @staticmethod
    def renew(held: list[tuple[int, int]]) -> None:
        """One UPDATE per attempt number among the held rows (a batch has one or two)."""
        by_attempt: dict[int, list[int]] = {}
        for notification_id, attempt in held:
            by_attempt.setdefault(attempt, []).append(notification_id)
        try:
            until = timezone.now() + LEASE
            for attempt, ids in by_attempt.items():
                Notification.objects.filter(
                    pk__in=ids, attempts=attempt, status=Notification.Status.PENDING
                ).update(send_after=until)
        except Exception:
            logger.warning("Renewing delivery leases failed; retrying.", exc_info=True)


keeper = Keeper()
