"""Celery tasks: thin, idempotent, taking ids. The database holds all state and deadlines."""

from __future__ import annotations

import logging

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
    """Send these outbox rows, each claimed on its own (compare-and-set), so a duplicate
    or late task finds them claimed or sent and does nothing. Provider failures are
    recorded on the row and retried by the sweep; one bad row does not stop the rest."""
    outcomes: dict[str, int] = {}
    for notification_id in notification_ids:
        try:
            outcome = delivery.deliver(notification_id=notification_id)
        except Exception:
            logger.exception("Delivering notification %s failed.", notification_id)
            outcome = "error"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))


@shared_task(ignore_result=True)
def morning_digest() -> str:
    """Write today's digest for whoever has none yet (beat runs it every few minutes).
    Safe to run twice or in parallel: one outbox row per person, channel and day."""
    from .digest import send_digests

    report = send_digests()
    if report.written or report.empty:
        logger.info("Morning digest: %s", report)
    return str(report)
