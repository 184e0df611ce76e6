"""gunicorn settings: `gunicorn -c config/gunicorn.py config.wsgi`.

Only logging lives here: the access log and gunicorn's own lines go through the same
redaction filter as the application's (ops/logs.py), so a status link's path never
reaches a log. Bind address, workers and the rest come from the command line or
GUNICORN_CMD_ARGS.
"""

from __future__ import annotations

_redacted = {"filters": ["redact"], "class": "logging.StreamHandler", "formatter": "generic"}

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "ops.logs.RedactFilter"}},
    "formatters": {
        "generic": {
            "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
            "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
            "class": "logging.Formatter",
        }
    },
    "handlers": {
        "console": {**_redacted, "stream": "ext://sys.stdout"},
        "error_console": {**_redacted, "stream": "ext://sys.stderr"},
    },
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}
