"""The watchdog's task: beat publishes it on the delivery queue, beside the sweep."""

from __future__ import annotations

from celery import shared_task

from . import watchdog as watching


@shared_task(ignore_result=True)
def watchdog() -> str:
    return watching.check()
