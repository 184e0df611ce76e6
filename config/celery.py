from __future__ import annotations

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# DjangoTask gives every task delay_on_commit(): publish only once the
# transaction that created the work has committed.
app = Celery("woonrust", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _log_like_the_web(**kwargs) -> None:
    """The worker logs through settings.LOGGING (and its redaction filter) instead of
    Celery's own handlers: any receiver of this signal stops Celery configuring logging."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
