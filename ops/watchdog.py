"""Is the chase still running? The heartbeat the sweep writes, and the watchdog that reads it.

The watchdog runs on its own beat entry on the `deliver` queue (the mail worker), so it
does not need the sweep, the chase worker or the outbox re-dispatch, all of which may be
what stopped. When no sweep has finished for CHASE_STALE_MINUTES it e-mails platform
staff (active users with staff status) once per stop: the alert is claimed with a
compare-and-set on `Heartbeat.alerted_at`, so several watchdogs never send it twice, and
a new stop after the chase came back is told again. Organisation administrators are not
told: a stopped chase is a platform fault, not something they can act on.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User

from .models import Heartbeat, TaskStart

logger = logging.getLogger(__name__)

CHASE = "chase-sweep"
# A task message started this often without finishing is not started again.
MAX_STARTS = 3
KEEP_STARTS = datetime.timedelta(days=1)


def beat(name: str, detail: str = "", *, now: datetime.datetime | None = None) -> None:
    """Record that job `name` just finished."""
    Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": now or timezone.now(), "detail": detail[:2000]}
    )


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.CHASE_STALE_MINUTES)


def chase_is_stale(now: datetime.datetime) -> bool:
    """True when a sweep finished once and none since CHASE_STALE_MINUTES. (A fresh
    install whose first sweep has not run yet is not stale.)"""
    last = Heartbeat.objects.filter(name=CHASE).values_list("beat_at", flat=True).first()
    return last is not None and last < now - stale_after()


def check(*, now: datetime.datetime | None = None) -> str:
    """Tell platform staff once when the chase has stopped. Returns what it did."""
    now = now or timezone.now()
    heartbeat = Heartbeat.objects.filter(name=CHASE).first()
    if heartbeat is None or heartbeat.beat_at >= now - stale_after():
        return "running"
    not_told = Q(alerted_at__isnull=True) | Q(alerted_at__lt=F("beat_at"))
    claimed = (
        Heartbeat.objects.filter(pk=heartbeat.pk, beat_at=heartbeat.beat_at)
        .filter(not_told)
        .update(alerted_at=now)
    )
    if claimed != 1:
        return "already told"  # another watchdog, or an earlier check, told them
    staff = User.objects.filter(is_active=True, is_staff=True).exclude(email="")
    addresses = list(staff.values_list("email", flat=True))
    minutes = int((now - heartbeat.beat_at).total_seconds() // 60)
    try:
        send_mail(
            gettext("Woonrust: the chase has stopped"),
            gettext(
                "No chase sweep has finished for %(minutes)s minutes (the last one at "
                "%(at)s UTC). Reminders and escalations are not being written. Check the "
                "beat process and the chase worker."
            )
            % {"minutes": minutes, "at": f"{heartbeat.beat_at:%Y-%m-%d %H:%M}"},
            settings.DEFAULT_FROM_EMAIL,
            addresses,
        )
    except Exception:
        # Not told after all: let the next check try again.
        Heartbeat.objects.filter(pk=heartbeat.pk).update(alerted_at=heartbeat.alerted_at)
        logger.exception("Telling staff that the chase stopped failed.")
        return "alert failed"
    logger.error("The chase has stopped for %s minutes; %d staff told.", minutes, len(addresses))
    return f"told {len(addresses)}"


def started(task_id: str | None, *, now: datetime.datetime | None = None) -> int:
    """Count a start of task message `task_id` (committed before the work begins, so a
    start that kills the process still counts); returns how many starts it has had.
    Rows older than a day are removed on the way."""
    if not task_id:
        return 1
    now = now or timezone.now()
    TaskStart.objects.filter(first_at__lt=now - KEEP_STARTS).delete()
    row, created = TaskStart.objects.get_or_create(task_id=task_id, defaults={"first_at": now})
    if not created:
        TaskStart.objects.filter(pk=row.pk).update(starts=F("starts") + 1)
        row.refresh_from_db(fields=["starts"])
    return row.starts
