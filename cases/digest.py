"""The morning digest: one message per person, channel and working day.

Someone on the digest (`User.delivery(channel) == "digest"`; the default for handlers'
e-mail) gets no reminder of their own from the chase over that channel (chase._remind);
instead, each working morning from office opening, this writes them one message with
everything due or overdue for them and every escalation that reached them
(cases/work.py: the same lists as "Mijn werk"), by project, most delayed first, each
with its link. Escalations themselves still go out at once.

The digest goes through the outbox like every other message, under the key
`digest-<yyyymmdd>/user-<id>/<channel>`: the unique constraint makes a second run, a
second beat or a second worker unable to write it twice, and delivery's claim makes
it go out once. A person with nothing waiting gets a row too, marked cancelled
("nothing due"), so the day is done for them and later runs skip them in one query.
Beat runs this every few minutes; a run before opening, after closing or on a day off
does nothing (a digest missed because beat was down all day is not sent late: the next
morning's has everything).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from accounts.models import User

from . import work
from .messages import digest as texts
from .models import Notification
from .outbox import dispatch_on_commit
from .workdays import OFFICE_CLOSES, OFFICE_OPENS, is_working_day, local

logger = logging.getLogger(__name__)

PURPOSE = "digest"
NOTHING_DUE = "not sent: nothing due for this person today"
CHANNELS = (Notification.Channel.EMAIL, Notification.Channel.SMS)


@dataclass
class DigestReport:
    day: datetime.date | None = None
    written: int = 0
    empty: int = 0
    already: int = 0

    def __str__(self) -> str:
        if self.day is None:
            return "no digest now (outside a working morning's office hours)"
        return (
            f"digests of {self.day:%d-%m-%Y}: {self.written} written, {self.empty} with "
            f"nothing due, {self.already} written before"
        )


def digest_day(now: datetime.datetime) -> datetime.date | None:
    """The working day whose digest is due at `now`, or None outside its office hours."""
    here = local(now)
    if is_working_day(here.date()) and OFFICE_OPENS <= here.hour < OFFICE_CLOSES:
        return here.date()
    return None


def digest_key(user: User, channel: str, day: datetime.date) -> str:
    return f"digest-{day:%Y%m%d}/user-{user.pk}/{channel}"


def on_digest() -> QuerySet[User]:
    """Active people who read at least one channel in the morning digest."""
    return User.objects.filter(is_active=True).filter(
        Q(email_delivery=User.Delivery.DIGEST)
        | Q(email_delivery="", role=User.Role.HANDLER)
        | (Q(sms_delivery=User.Delivery.DIGEST) & ~Q(phone=""))
    )


def send_digests(*, now: datetime.datetime | None = None, dispatch: bool = True) -> DigestReport:
    """Write today's digest for everyone on it who has none yet (safe to run any number
    of times, in parallel: unique keys)."""
    now = now or timezone.now()
    day = digest_day(now)
    report = DigestReport(day=day)
    if day is None:
        return report
    done = set(
        Notification.objects.filter(key__startswith=f"digest-{day:%Y%m%d}/").values_list(
            "key", flat=True
        )
    )
    for user in on_digest().order_by("pk"):
        channels = [
            c
            for c in CHANNELS
            if user.delivery(c) == User.Delivery.DIGEST and digest_key(user, c, day) not in done
        ]
        if not channels:
            report.already += 1
            continue
        try:
            _write(user, channels, day=day, now=now, dispatch=dispatch, report=report)
        except Exception:
            # One person's digest must not keep the others': the next run tries again.
            logger.exception("Writing the digest of user %s failed.", user.pk)
    return report


def _write(
    user: User,
    channels: list[str],
    *,
    day: datetime.date,
    now: datetime.datetime,
    dispatch: bool,
    report: DigestReport,
) -> None:
    due = work.by_project(work.due_for(user, now))
    escalated = work.escalated_to(user, now)
    rows = []
    with translation.override(user.language or "nl"):
        for channel in channels:
            render = texts.sms if channel == Notification.Channel.SMS else texts.email
            subject, body = render(user, due, escalated)
            empty = not due and not escalated
            rows.append(
                Notification(
                    key=digest_key(user, channel, day),
                    purpose=PURPOSE,
                    recipient_user=user,
                    channel=channel,
                    to=user.phone if channel == Notification.Channel.SMS else user.email,
                    language=user.language or "nl",
                    subject=subject[:200],
                    body=body,
                    created_at=now,
                    send_after=now,
                    status=Notification.Status.CANCELLED if empty else Notification.Status.PENDING,
                    provider_answer=NOTHING_DUE if empty else "",
                )
            )
            if empty:
                report.empty += 1
            else:
                report.written += 1
    with transaction.atomic():
        # ON CONFLICT DO NOTHING: another run wrote this person's digest first.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        ids = list(
            Notification.objects.filter(
                key__in=[r.key for r in rows], status=Notification.Status.PENDING
            ).values_list("pk", flat=True)
        )
        if dispatch:
            dispatch_on_commit(ids, now)
