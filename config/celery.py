from __future__ import annotations

import os

from celery import Celery
from celery.signals import setup_logging
from kombu import Connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("woonrust")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _log_like_the_web(**kwargs) -> None:
    """The worker logs through settings.LOGGING (and its redaction filter) instead of
    Celery's own handlers: any receiver of this signal stops Celery configuring logging."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


def quick_connection() -> Connection:
    """A broker connection on which every socket operation gives up after
    BROKER_TIMEOUT_MS: for publishing from web requests and sweeps and for /healthz.
    A broker that accepts the connection and never answers (a hung Redis, a firewall
    dropping packets) would otherwise hold the caller for minutes: the connect timeout
    alone does not cover a connection that opened."""
    from django.conf import settings

    seconds = settings.BROKER_TIMEOUT_MS / 1000
    return app.connection_for_write(
        transport_options={
            "socket_timeout": seconds,
            "socket_connect_timeout": seconds,
            # One try: kombu would otherwise reconnect until its own connect timeout.
            "max_retries": 0,
        }
    )
