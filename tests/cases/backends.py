"""Provider stand-ins for the fault tests, selected by SMS_BACKEND in a worker process."""

from __future__ import annotations

import time

from cases.sms import BaseSmsBackend


class HangingSmsBackend(BaseSmsBackend):
    """A provider that takes the message and never answers (and ignores any timeout)."""

    def send(self, *, to: str, body: str, idempotency_key: str, timeout: float) -> str:
        time.sleep(3600)
        return "never"
