"""Log lines never carry a status link token or a phone number.

`RedactFilter` sits on every handler (settings.LOGGING, config/gunicorn.py). It formats
the record once, replaces what must not be written, and leaves the result as the
record's message, so every handler and formatter after it sees only the clean text —
request paths (`Not Found: /s/…`, runserver and gunicorn access lines) included.

This module imports nothing from Django: gunicorn loads it before the application.
"""

from __future__ import annotations

import logging
import re

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
