"""The retention job's task: beat publishes it once a day (config/settings.py)."""

from __future__ import annotations

from celery import shared_task

from . import retention as retaining


@shared_task(ignore_result=True)
def retention() -> str:
    """One retention run. Safe to run twice or in parallel (SKIP LOCKED batches, work
    selected by what is still to do); not retried: tomorrow's run is the retry."""
    run = retaining.retention_run()
    return f"{run.counts} complete={run.complete}"
