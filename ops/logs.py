"""Log lines never carry a status link token or a phone number.

`RedactFilter` sits on every handler (settings.LOGGING, config/gunicorn.py). It formats
the record once, replaces what must not be written, and leaves the result as the
record's message, so every handler and formatter after it sees only the clean text —
request paths (`Not Found: /s/…`, runserver and gunicorn access lines) included.

`JsonFormatter` (LOG_FORMAT=json) writes one JSON object a line with the request id
(`RequestIdFilter`, set per request by ops.request_id) and redacts every string value
it writes, extras included, so structured fields cannot bypass the filter.

This module imports nothing from Django: gunicorn loads it before the application.
"""

from __future__ import annotations

import contextvars
import logging
import re

from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

REDACTED = "[redacted]"

# A status link's path segment, whatever it holds: a real token, a mistyped one, a guess.
STATUS_PATH = re.compile(r"/s/[^/\s?#\"'<>]+")
# A bare token (statuslink/tokens.py: 32 bytes in URL-safe base64 without padding).
BARE_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")
# Dutch phone numbers, mobile and landline: 0 (or +31 / 0031) and nine digits, with
# optional single spaces or hyphens between the digits (06 12345678, 020-123 4567,
# +31 6 1234 5678, +31 (0)20 1234567).
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)31[ -]?(?:\(0\)[ -]?)?|0)[1-9](?:[ -]?\d){8}(?!\d)")

_exceptions = logging.Formatter()


def redact(text: str) -> str:
    text = STATUS_PATH.sub(f"/s/{REDACTED}", text)
    text = BARE_TOKEN.sub(REDACTED, text)
    return PHONE.sub("[phone]", text)


class RedactFilter(logging.Filter):
    """Rewrites the record in place and always lets it through."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format is logged as it stands
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            # Formatted here so the traceback (exception messages hold paths) is
            # cleaned too; formatters use exc_text when it is set.
            record.exc_text = _exceptions.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


# The current request's id (ops.request_id sets it); "-" outside a request.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


# Extras that are objects holding a whole request (Django logs `request=`): their text
# is a path with its query, and nothing in them is worth a log line.
_DROPPED = frozenset({"request", "server_time"})


def _clean(value: object) -> object:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    # Any other object is written as its text, redacted like the rest.
    return redact(str(value))


class JsonFormatter(_BaseJsonFormatter):
    """One JSON object a line: time, level, logger, message, request id, and any extras,
    each string redacted again (RedactFilter only rewrites the message)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level"})
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict) -> None:
        super().add_fields(log_data, record, message_dict)
        log_data.setdefault("request_id", getattr(record, "request_id", request_id.get()))

    def process_log_record(self, log_data):
        return {k: _clean(v) for k, v in log_data.items() if k not in _DROPPED}
