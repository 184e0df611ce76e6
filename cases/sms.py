"""Text messages behind a small interface, so a real provider can be plugged in.

`settings.SMS_BACKEND` names a class with
`send(*, to, body, idempotency_key, timeout) -> str` that returns the provider's answer
(kept on the notification) and raises on failure. It must give up after `timeout`
seconds (settings.SMS_TIMEOUT_SECONDS; pass it to the HTTP client as its connect and
read timeout): the SMS worker sends one message at a time.
A provider that accepts an idempotency key should be given `idempotency_key` (the
notification id): then a retry after a crash at the wrong moment is not sent twice.
"""

from __future__ import annotations

import logging
from typing import ClassVar

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider refused or could not be reached; the message is retried later."""


class SmsRejected(SmsError):
    """The provider refused this message for good (an invalid or unknown number): it is
    not retried. Backends raise it for the provider's permanent error codes."""


class BaseSmsBackend:
    def send(self, *, to: str, body: str, idempotency_key: str, timeout: float) -> str:
        raise NotImplementedError


def masked(number: str) -> str:
    """Enough of a phone number to recognise it in a log, not enough to call it."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"…{digits[-3:]}" if len(digits) > 3 else "…"


class LoggingSmsBackend(BaseSmsBackend):
    """The embedded default: writes the message to the log instead of sending it."""

    def send(self, *, to: str, body: str, idempotency_key: str, timeout: float) -> str:
        logger.info("SMS %s to %s:\n%s", idempotency_key, masked(to), body)
        return f"logged (not sent): SMS {idempotency_key}"


class MemorySmsBackend(BaseSmsBackend):
    """Keeps messages in `MemorySmsBackend.outbox` (for tests, like Django's locmem mail)."""

    outbox: ClassVar[list[dict[str, str]]] = []

    def send(self, *, to: str, body: str, idempotency_key: str, timeout: float) -> str:
        self.outbox.append({"to": to, "body": body, "key": idempotency_key})
        return f"stored in memory as message {len(self.outbox)}"


class FailingSmsBackend(BaseSmsBackend):
    """Always fails, as a provider that is down does (for tests and drills)."""

    def send(self, *, to: str, body: str, idempotency_key: str, timeout: float) -> str:
        raise SmsError("provider unavailable (FailingSmsBackend)")


class RejectingSmsBackend(BaseSmsBackend):
    """Refuses every number, as a provider does an invalid one (for tests and drills)."""

    def send(self, *, to: str, body: str, idempotency_key: str, timeout: float) -> str:
        raise SmsRejected(f"invalid number {masked(to)} (RejectingSmsBackend)")


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
