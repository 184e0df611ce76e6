"""Celery tasks: thin, idempotent, taking ids. The database holds all state and deadlines."""

from __future__ import annotations

import logging
from collections import Counter

from celery import shared_task

from ops import watchdog

from . import appointments, delivery
from . import sweep as sweeping

logger = logging.getLogger(__name__)


@shared_task(bind=True, ignore_result=True)
def sweep(self) -> str:
    """One chase sweep (beat runs it every minute). Safe to run twice or in parallel:
    cases are claimed with SKIP LOCKED and messages have unique keys. Not retried — the
    next beat tick is the retry. A sweep message whose process died MAX_STARTS times is
    dropped (the broker would hand it out for ever); the next tick sweeps anyway."""
    starts = watchdog.started(self.request.id)
    if starts > watchdog.MAX_STARTS:
        logger.error(
            "Chase sweep %s started %d times without finishing: dropped.", self.request.id, starts
        )
        return "dropped"
    report = sweeping.sweep()
    watchdog.beat(watchdog.CHASE, str(report))
    if report.tally.cases or report.redispatched or report.errors:
        logger.info("Chase sweep: %s", report)
    asked = appointments.ask_due()
    if asked.asked:
        logger.info("Chase sweep: %s", asked)
    return f"{report}; {asked}"


@shared_task(ignore_result=True)
def deliver_notifications(notification_ids: list[int]) -> str:
    """Send these outbox rows as one batch (delivery.deliver_batch): claimed together
    with SKIP LOCKED, so a duplicate or late task finds them claimed or sent and does
    nothing. Provider failures are recorded per row and retried; one bad row does not
    stop the rest. A batch that fails as a whole (the database went away) leaves its
    claimed rows leased: the sweep publishes them again after the lease."""
    try:
        outcomes = delivery.deliver_batch(list(notification_ids))
    except Exception:
        logger.exception("Delivering %d notifications failed.", len(notification_ids))
        return f"{len(notification_ids)} error"
    tally = Counter(outcomes.values())
    return ", ".join(f"{n} {outcome}" for outcome, n in sorted(tally.items()))


@shared_task(ignore_result=True)
def morning_digest() -> str:
    """Write today's digest for whoever has none yet (beat runs it every few minutes).
    Safe to run twice or in parallel: one outbox row per person, channel and day."""
    from .digest import send_digests

    report = send_digests()
    if report.written or report.empty:
        logger.info("Morning digest: %s", report)
    return str(report)
