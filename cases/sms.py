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

import json
import logging
import urllib.error
import urllib.request
from typing import ClassVar
from urllib.parse import urlsplit

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
    """The embedded default: notes in the log that a message would have gone out.

    Never the body: it carries the resident's status link, and logs travel further
    than the database (production refuses this backend, see ops/checks.py)."""

    def send(self, *, to: str, body: str, idempotency_key: str, timeout: float) -> str:
        logger.info(
            "SMS %s to %s: %d characters (not sent)", idempotency_key, masked(to), len(body)
        )
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


# A provider's "this number or message can never be sent", as opposed to an outage.
PERMANENT_HTTP_REFUSALS = {400, 404, 410, 422}


class HttpSmsBackend(BaseSmsBackend):
    """A provider with a plain HTTPS API: POST `{"to": …, "body": …}` as JSON to
    SMS_API_URL with `Authorization: Bearer SMS_API_TOKEN` and `Idempotency-Key`; any 2xx
    means accepted; 400, 404, 410 and 422 mean the number is refused for good (no
    retry); anything else is retried. Waits at most `timeout` (SMS_TIMEOUT_SECONDS).

    The provider's reply is not kept (it may echo the body, which holds the status
    link): only the status and a message id when the reply names one."""

    def send(self, *, to: str, body: str, idempotency_key: str, timeout: float) -> str:
        request = urllib.request.Request(
            settings.SMS_API_URL,
            data=json.dumps({"to": to, "body": body}).encode(),
            headers={
                "Authorization": f"Bearer {settings.SMS_API_TOKEN}",
                "Content-Type": "application/json",
                "Idempotency-Key": idempotency_key,
            },
            method="POST",
        )
        host = urlsplit(settings.SMS_API_URL).hostname
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, reply = response.status, response.read(10_000)
        except urllib.error.HTTPError as error:
            if error.code in PERMANENT_HTTP_REFUSALS:
                raise SmsRejected(f"{host} refused the number: HTTP {error.code}") from None
            raise SmsError(f"{host} refused the message: HTTP {error.code}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SmsError(f"{host} could not be reached: {type(reason).__name__}") from None
        try:
            message_id = str(json.loads(reply).get("id", ""))[:100]
        except (ValueError, AttributeError):
            message_id = ""
        return f"accepted by {host} (HTTP {status})" + (f", id {message_id}" if message_id else "")


# Backends that send nothing to anyone: fine on a laptop, refused in production.
NOT_SENDING = {
    f"{__name__}.{cls.__name__}"
    for cls in (LoggingSmsBackend, MemorySmsBackend, FailingSmsBackend, RejectingSmsBackend)
}


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
