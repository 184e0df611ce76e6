"""gunicorn settings: `gunicorn -c config/gunicorn.py config.wsgi`.

The access log and gunicorn's own lines go through the same redaction filter as the
application's (ops/logs.py), so a status link's path never reaches a log; with
LOG_FORMAT=json they are JSON lines like the application's. The access line holds no
query string and no referer (either can carry a token or a search for a phone number),
and the request id nginx sent, so a line can be matched with the application's.

Workers and timeouts come from the environment (GUNICORN_BIND, WEB_CONCURRENCY,
GUNICORN_TIMEOUT, GUNICORN_GRACEFUL_TIMEOUT); the command line or GUNICORN_CMD_ARGS
still wins. nginx in front buffers requests and responses (deploy/nginx/), so slow
phones never hold a sync worker.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Sync workers behind a buffering proxy: a worker is busy only while Django works.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A request that runs longer than this is killed (the large Excel export is the slowest
# page, well under it); nginx's proxy_read_timeout is a little longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On SIGTERM (deploy, systemd stop) workers finish what they are doing for this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then so a slow leak never grows; jitter so not all at once.
max_requests = 2000
max_requests_jitter = 200
# Headers nginx sets are believed from loopback only; Django decides itself which
# proxies to trust about the client (accounts/client_ip.py).
forwarded_allow_ips = "127.0.0.1,::1"
# Temporary files of the worker heartbeat in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "woonrust-web"

# %(U)s is the path without the query string; the redaction filter still cleans it.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}i)s'
accesslog = "-"
errorlog = "-"

_json = os.environ.get("LOG_FORMAT", "plain").strip().lower() == "json"
_formatter = "json" if _json else "generic"
_redacted = {"filters": ["redact"], "class": "logging.StreamHandler", "formatter": _formatter}

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "ops.logs.RedactFilter"}},
    "formatters": {
        "generic": {
            "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
            "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
            "class": "logging.Formatter",
        },
        "json": {"()": "ops.logs.JsonFormatter"},
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


def child_exit(server, worker) -> None:
    """A worker that ended leaves its Prometheus samples behind in the shared directory;
    marking it dead keeps its gauges out of the totals (ops/metrics.py)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
