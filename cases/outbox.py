"""The notification outbox: rows written with the change that caused them, sent after commit.

Every message gets a key naming its purpose —

    <case kind>-<case id>/s<step>/<what>/L<ladder level>/<recipient>/<channel>
    e.g. claim-123/s4/reminder-3/L1/user-45/email

— and the unique constraint on `Notification.key` is what makes a second sweep, a retry
or a second worker unable to write the same message twice. Rows are inserted with
`INSERT … ON CONFLICT DO NOTHING` in the same transaction as the state change. After the
commit the due ones are published to their channel's delivery queue; if the broker is down then,
nothing is lost: the row waits and the sweep re-dispatches it (`redispatch_stale`).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from .messages import render
from .messages.link import LINK_PLACEHOLDER
from .models import CallTask, ChasePolicy, Letter, Notification, Promise, TimelineEvent
from .models.base import Case
from .recipients import CASE_KINDS, INSTEAD_LETTER, Recipient
from .schedule import office
from .workdays import local, next_office_moment

logger = logging.getLogger(__name__)

# A due row never handed to the broker this long after it was written lost its first
# dispatch (broker down, process killed between commit and publish): the sweep publishes
# it. A row that was handed over but is still pending and unleased this long after lost
# its task (a worker killed while holding it, a broker restarted without persistence, a
# purged queue): it is published again. Short, so a crash delays a message by at most
# the lease plus one sweep interval; a task still queued behind a backlog may then be
# published twice, which costs one claim that changes nothing (delivery.claim_batch).
REDISPATCH_AFTER = datetime.timedelta(seconds=30)
REPUBLISH_AFTER = datetime.timedelta(seconds=30)
REDISPATCH_LIMIT = 2000
# Ids per delivery task: one batch (delivery.deliver_batch claims, loads and records
# them in a constant number of queries, over one SMTP connection). Publishing costs
# about a millisecond per task whatever it carries; a batch is bounded in time
# (delivery.BATCH_SECONDS), so one task stays short even with a slow provider.
DISPATCH_CHUNK = 100
# What staff may get as a text message, when they chose text messages ("My messages").
STAFF_SMS_PURPOSES = frozenset({"reminder", "escalation"})


def message_key(case: Case, *, what: str, level: int, recipient: Recipient) -> str:
    """The message's unique key; for a resident who gets no message, the key of the call
    task or letter that stands in for it (`…/resident-7/call`, `…/resident-7/letter`)."""
    kind = CASE_KINDS[type(case)]
    where = f"{kind}-{case.pk}/s{case.step_seq}/{what}"
    return f"{where}/L{level}/{recipient.label}/{recipient.channel or recipient.instead}"


def caller_id(case: Case) -> int | None:
    """Who calls the resident about this case: its handler; for a promise, the person
    who made it when it has no handler. None: the project's handlers share the call."""
    if isinstance(case, Promise):
        return case.handler_id or case.created_by_id
    return case.handler_id


def case_link(case: Case) -> dict[str, Case]:
    """The keyword that points a timeline event or notification at its case."""
    return {CASE_KINDS[type(case)]: case}


@dataclass
class Changes:
    """Timeline events and outbox rows collected while changing cases; `save()` writes
    them in bulk, inside the caller's transaction."""

    now: datetime.datetime
    events: list[TimelineEvent] = field(default_factory=list)
    rows: list[Notification] = field(default_factory=list)
    calls: list[CallTask] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)

    def event(self, case: Case, kind: str, **fields: Any) -> TimelineEvent:
        event = TimelineEvent(
            dwelling_id=case.dwelling_id, kind=kind, at=self.now, **case_link(case), **fields
        )
        self.events.append(event)
        return event

    def tell(
        self,
        case: Case,
        policy: ChasePolicy,
        *,
        purpose: str,
        what: str,
        recipients: Iterable[Recipient],
        level: int = 0,
        extra: dict[str, Any] | None = None,
    ) -> list[Recipient]:
        """Write one message per recipient; returns those who will get one.

        A resident without a written channel gets no message: a call task (for the
        case's handler) or a letter for the print batch holds the text instead, and the
        timeline says "to call" or "letter to post", never "resident informed". Messages
        to residents are recorded on the timeline as "resident informed".
        """
        reached = []
        for recipient in recipients:
            if (
                recipient.is_staff
                and recipient.channel == Notification.Channel.SMS
                and purpose not in STAFF_SMS_PURPOSES
            ):
                # Staff chose text messages for the chase's reminders and escalations;
                # other news to them (a resident's own text) goes by e-mail only.
                continue
            context = dict(extra or {})
            if recipient.covering is not None:
                context["away"] = recipient.covering.person.get_full_name()
                context["away_until"] = recipient.covering.ends_on
            # Only the resident's own written message carries their status link: never a
            # staff message, never a call note on the timeline. The row keeps a
            # placeholder; delivery puts the link in (messages/link.py).
            written_to_resident = recipient.resident is not None and recipient.channel is not None
            if written_to_resident and getattr(case, "status_link_secret", ""):
                context["link"] = LINK_PLACEHOLDER
            subject, body = render(purpose, language=recipient.language, case=case, extra=context)
            key = message_key(case, what=what, level=level, recipient=recipient)
            if recipient.channel is None:
                if recipient.resident is not None:
                    self.instead(case, policy, recipient, key, purpose, subject, body)
                continue
            self.rows.append(
                Notification(
                    key=key,
                    purpose=purpose,
                    recipient_user=recipient.user,
                    recipient_resident=recipient.resident,
                    channel=recipient.channel,
                    to=recipient.to,
                    language=recipient.language,
                    subject=subject[:200],
                    body=body,
                    created_at=self.now,
                    send_after=next_office_moment(self.now, **office(policy)),
                    **case_link(case),
                )
            )
            if recipient.resident is not None:
                self.event(
                    case,
                    TimelineEvent.Kind.RESIDENT_INFORMED,
                    text=subject,
                    data={"purpose": purpose, "channel": recipient.channel, "key": key},
                )
            reached.append(recipient)
        return reached

    def instead(
        self,
        case: Case,
        policy: ChasePolicy,
        recipient: Recipient,
        key: str,
        purpose: str,
        subject: str,
        body: str,
    ) -> None:
        """A call task or a letter in place of the message the resident cannot get."""
        when = next_office_moment(self.now, **office(policy))
        fields = {
            "key": key,
            "project_id": case.project_id,
            "dwelling_id": case.dwelling_id,
            "resident": recipient.resident,
            "purpose": purpose,
            "language": recipient.language,
            "subject": subject[:200],
            "body": body,
            "created_at": self.now,
            **case_link(case),
        }
        if recipient.instead == INSTEAD_LETTER:
            self.letters.append(Letter(due_on=local(when).date(), **fields))
            self.event(
                case,
                TimelineEvent.Kind.LETTER_DUE,
                text=subject,
                data={"letter_to": recipient.label, "purpose": purpose, "key": key},
            )
            return
        self.calls.append(CallTask(assigned_to_id=caller_id(case), due_at=when, **fields))
        self.event(
            case,
            TimelineEvent.Kind.CALL_DUE,
            text=body,
            data={"call_resident": recipient.label, "purpose": purpose, "key": key},
        )

    def save(self) -> list[int]:
        """Write everything; returns the ids of messages that may go out right away."""
        TimelineEvent.objects.bulk_create(self.events)
        # ON CONFLICT DO NOTHING, as for messages: a call or letter is made once.
        if self.calls:
            CallTask.objects.bulk_create(self.calls, ignore_conflicts=True)
        if self.letters:
            Letter.objects.bulk_create(self.letters, ignore_conflicts=True)
        if not self.rows:
            return []
        # ON CONFLICT DO NOTHING: a message that exists already is not written again.
        Notification.objects.bulk_create(self.rows, ignore_conflicts=True)
        due = [row.key for row in self.rows if row.send_after <= self.now]
        if not due:
            return []
        return list(
            Notification.objects.filter(
                key__in=due, status=Notification.Status.PENDING
            ).values_list("id", flat=True)
        )


def dispatch_on_commit(ids: list[int], now: datetime.datetime | None = None) -> None:
    """Publish delivery tasks once the current transaction has committed.

    Celery's `delay_on_commit` would raise out of the web request when the broker is
    down (it registers a non-robust on-commit hook); here a failure to publish is
    logged and the row waits for the sweep.
    """
    if ids:
        transaction.on_commit(partial(dispatch, list(ids), now=now), robust=True)


def dispatch(ids: list[int], *, now: datetime.datetime | None = None) -> int:
    """Publish `deliver_notifications` tasks for these ids (DISPATCH_CHUNK per task, over
    one broker connection) and note when (`now`: the moment of the change or sweep that
    wrote them, so one clock judges what is stale). Returns how many ids were published;
    stops at the first broker error.

    The rows are marked before their tasks are published, not after: a worker claims its
    batch with SKIP LOCKED, and a mark still being written when the task arrives would
    make it skip those rows until the sweep published them again. Rows whose task could
    not be published are unmarked, so the next sweep publishes them at once."""
    from config.celery import quick_connection

    from .tasks import deliver_notifications

    if not ids:
        return 0
    mark = now or timezone.now()
    pending = Notification.objects.filter(status=Notification.Status.PENDING)
    pending.filter(pk__in=ids).update(dispatched_at=mark)
    published: list[int] = []
    try:
        # One attempt on a connection with short socket timeouts: whatever the broker
        # does, the caller (often a web request) is back within about a second. The
        # outbox is the retry: the row waits for the sweep's re-dispatch.
        with quick_connection() as conn:
            for queue, channel_ids in _by_queue(ids).items():
                for start in range(0, len(channel_ids), DISPATCH_CHUNK):
                    chunk = channel_ids[start : start + DISPATCH_CHUNK]
                    deliver_notifications.apply_async(
                        (chunk,), connection=conn, retry=False, queue=queue
                    )
                    published += chunk
    except Exception:
        logger.warning(
            "Broker unavailable: %d of %d notifications wait for the next sweep.",
            len(ids) - len(published),
            len(ids),
            exc_info=True,
        )
        unpublished = set(ids).difference(published)
        pending.filter(pk__in=unpublished, dispatched_at=mark).update(dispatched_at=None)
    return len(published)


# Each channel has its own queue and worker: a provider that hangs or fails holds up
# only the messages of its own channel (Procfile: `mail` and `sms`).
QUEUES = {Notification.Channel.EMAIL: "deliver", Notification.Channel.SMS: "deliver-sms"}


def _by_queue(ids: list[int]) -> dict[str, list[int]]:
    queues: dict[str, list[int]] = {}
    rows = Notification.objects.filter(pk__in=ids).order_by("send_after", "pk")
    for pk, channel in rows.values_list("pk", "channel"):
        queues.setdefault(QUEUES[channel], []).append(pk)
    return queues


def stale(now: datetime.datetime) -> QuerySet[Notification]:
    """Pending messages that are due and that no delivery task is known to be carrying."""
    never = Q(dispatched_at__isnull=True, created_at__lte=now - REDISPATCH_AFTER)
    lost = Q(dispatched_at__lte=now - REPUBLISH_AFTER)
    return Notification.objects.filter(
        never | lost, status=Notification.Status.PENDING, send_after__lte=now
    )


def redispatch_stale(now: datetime.datetime, *, limit: int = REDISPATCH_LIMIT) -> int:
    """Publish the pending messages that are due and were never (or long ago) published."""
    ids = list(stale(now).order_by("send_after").values_list("id", flat=True)[:limit])
    return dispatch(ids, now=now) if ids else 0
