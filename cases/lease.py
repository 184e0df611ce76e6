"""The lease a delivery holds on the outbox row it is sending, kept alive while it sends.

`delivery.claim` takes a short lease (`LEASE`: the row's `send_after` pushed ahead); while
the provider call runs, a thread of the sending process renews it every `RENEW_EVERY`.
So a lease outlives a slow provider for as long as its holder lives, and expires within
`LEASE` of the holder dying (SIGKILL, OOM, a crashed machine): then the sweep re-dispatches
the row. The renewal names the attempt it belongs to, so a holder that lost its lease
(renewals failed for longer than `LEASE`, e.g. the database was away) cannot extend the
lease of whoever took the row after it.
"""

from __future__ import annotations

import datetime
import logging
import os
import threading
import time
from collections.abc import Iterator
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
    def holding(self, notification_id: int, attempt: int) -> Iterator[None]:
        self._start()
        with self._lock:
            self._held[notification_id] = attempt
        try:
            yield
        finally:
            with self._lock:
                self._held.pop(notification_id, None)

    def _start(self) -> None:
        if self._pid == os.getpid():
            return
        self._pid = os.getpid()
        threading.Thread(target=self._run, name="lease-keeper", daemon=True).start()

    def _run(self) -> None:
        while True:
            time.sleep(RENEW_EVERY.total_seconds())
            with self._lock:
                held = list(self._held.items())
            if held:
                self.renew(held)
                # No connection stays open between renewals (nor behind a test database).
                connection.close()

    @staticmethod
    def renew(held: list[tuple[int, int]]) -> None:
        try:
            until = timezone.now() + LEASE
            for notification_id, attempt in held:
                Notification.objects.filter(
                    pk=notification_id, attempts=attempt, status=Notification.Status.PENDING
                ).update(send_after=until)
        except Exception:
            logger.warning("Renewing delivery leases failed; retrying.", exc_info=True)


keeper = Keeper()
