"""Sending one outbox row: claimed by compare-and-set, so two deliveries never both send.

A delivery first takes a lease on the row with one conditional UPDATE (still pending,
due, and the attempt counter bumped, `send_after` pushed `LEASE` ahead; renewed while
the provider call runs, see lease.py). Only the
process whose UPDATE changed exactly one row sends; everyone else — a duplicate task,
a re-dispatch by the sweep, a redelivery after a crash — finds nothing to claim. The
outcome is written back: `sent` with the provider's answer, or a later `send_after`
(exponential back-off, within office hours), or `failed` after `MAX_ATTEMPTS`.

Delivery is at-least-once towards the provider: a process that dies after the provider
accepted the message but before `sent` was written leaves the row pending; after the
lease it is sent again. The notification id travels with every message
(`X-Woonrust-Notification`, a fixed Message-ID, the SMS idempotency key) so a provider
or mail client can drop such a repeat.

Before sending, in the transaction that takes the lease, delivery looks again
(`why_not`): a message the case no longer wants is `cancelled` with the reason, and a
message held up past office hours (its first publish failed, a queue backlog) is put
back to the next office moment. "Still wants" depends on the purpose:

- chase messages (reminders, escalations, resident updates) and requests for action
  (the expert's request, the resident's question) are about one step: they go out only
  while the case is open and still in the step they were written for (the `/s<step>/`
  in their key equals the case's `step_seq`);
- news about a change (received, decided, withdrawn, settled …) is sent whatever
  happened since: the resident is owed the news, and a later change brings its own;
- a morning digest (digest.py) goes out only on its own day.
"""

from __future__ import annotations

import datetime
import logging
import re
import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from .lease import LEASE, keeper
from .messages.link import body_for_sending
from .models import CallTask, ChasePolicy, Notification, TimelineEvent
from .models.base import Case
from .outbox import caller_id
from .schedule import office
from .sms import SmsRejected, get_sms_backend
from .workdays import local, next_office_moment

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
SENDING = "sending"
MAX_BACKOFF = datetime.timedelta(hours=1)


def backoff(attempt: int) -> datetime.timedelta:
    """1, 2, 4, … minutes after the attempt-th failure, at most an hour."""
    return min(datetime.timedelta(minutes=2 ** (attempt - 1)), MAX_BACKOFF)


def claim(notification_id: int, now: datetime.datetime) -> bool:
    """Take the lease on a due, pending row. True only for the one caller that got it."""
    changed = Notification.objects.filter(
        pk=notification_id, status=Notification.Status.PENDING, send_after__lte=now
    ).update(attempts=F("attempts") + 1, send_after=now + LEASE)
    return changed == 1


# Messages about one step of a case: not sent once the case has left that step.
STEP_BOUND = frozenset(
    {
        "reminder",
        "escalation",
        "resident_reminder",
        "resident_answer_reminder",
        "expert_reminder",
        "resident_update",
        "expert_request",
        "claim_question",
    }
)
_STEP_IN_KEY = re.compile(r"/s(\d+)/")


def why_not(note: Notification, case: Case | None, now: datetime.datetime) -> str:
    """Why this message must not go out now ("" when it may): see the module docstring."""
    if note.purpose == "digest" and local(note.created_at).date() != local(now).date():
        # Held up past its day (an outage, a backlog): today's digest says it all.
        return "not sent: a digest of an earlier day"
    if case is None or note.purpose not in STEP_BOUND:
        return ""
    if not case.is_open:
        return f"not sent: the case is {case.status} now"
    step = _STEP_IN_KEY.search(note.key)
    if step is not None and int(step.group(1)) != case.step_seq:
        return f"not sent: the case left step {step.group(1)} (now {case.status})"
    return ""


def deliver(*, notification_id: int, now: datetime.datetime | None = None) -> str:
    """Send one notification if it is due, still wanted, and nobody else is sending it.

    Returns "sent", "retry", "failed", "cancelled" (the case no longer wants it), "later"
    (outside office hours: put back to the next office moment) or "skipped" (not due,
    already sent, or another delivery holds it). Never raises for a provider failure:
    the row records it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if not claim(notification_id, now):
            return "skipped"
        note = Notification.objects.select_related(
            "claim__project", "complaint__project", "promise__project"
        ).get(pk=notification_id)
        case = note.claim or note.complaint or note.promise
        if reason := why_not(note, case, now):
            _put_back(note, status=Notification.Status.CANCELLED, answer=reason)
            logger.info("Notification %s cancelled: %s", note.pk, reason)
            return "cancelled"
        policy = ChasePolicy.for_project(case.project) if case else ChasePolicy()
        opens = next_office_moment(now, **office(policy))
        if opens > now:
            # Held up past closing time (or sent early): wait for the office to open.
            # The sweep publishes it again then (dispatched_at cleared).
            _put_back(
                note,
                send_after=opens,
                answer=f"outside office hours at {now.isoformat()}; waits until opening",
            )
            return "later"
        # Marked before the call: an attempt that finds this mark died between handing
        # the message over and writing the outcome, so this one may be a repeat.
        if note.provider_answer.startswith(SENDING):
            logger.warning(
                "Notification %s: attempt %s ended without an answer; sending again with the "
                "same idempotency key (the provider may have it already).",
                note.pk,
                note.attempts - 1,
            )
        Notification.objects.filter(pk=note.pk).update(
            provider_answer=f"{SENDING} (attempt {note.attempts}) since {now.isoformat()}"
        )
    try:
        with keeper.holding(note.pk, note.attempts):
            answer = _send(note)
    except Exception as exc:
        return _failed(note, f"{type(exc).__name__}: {exc}", now, permanent=is_permanent(exc))
    Notification.objects.filter(pk=note.pk, status=Notification.Status.PENDING).update(
        status=Notification.Status.SENT, sent_at=timezone.now(), provider_answer=answer[:2000]
    )
    logger.info("Notification %s sent by %s (%s).", note.pk, note.channel, note.purpose)
    return "sent"


def _send(note: Notification) -> str:
    body = body_for_sending(note)
    idempotency_key = f"woonrust-notification-{note.pk}"
    if note.channel == Notification.Channel.SMS:
        return get_sms_backend().send(
            to=note.to,
            body=body,
            idempotency_key=idempotency_key,
            timeout=settings.SMS_TIMEOUT_SECONDS,
        )
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "woonrust.local"
    message = EmailMessage(
        subject=note.subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[note.to],
        headers={
            # The same Message-ID on every attempt lets mail systems drop a repeat.
            "Message-ID": f"<{idempotency_key}@{domain}>",
            "X-Woonrust-Notification": str(note.pk),
        },
    )
    connection = mailers.default
    accepted = connection.send_messages([message])
    if accepted != 1:
        raise RuntimeError(f"the mail backend accepted {accepted} of 1 messages")
    backend = type(connection)
    return f"accepted by {backend.__module__}.{backend.__qualname__}"


def _put_back(note: Notification, *, answer: str, **fields: object) -> None:
    """Undo the lease taken by `claim` without counting an attempt, and record why."""
    Notification.objects.filter(pk=note.pk, status=Notification.Status.PENDING).update(
        attempts=F("attempts") - 1, dispatched_at=None, provider_answer=answer, **fields
    )


def is_permanent(exc: Exception) -> bool:
    """A refusal that no retry can change: the provider says the number is invalid
    (SmsRejected), or the mail server refuses the recipient or the message with a 5xx
    code. Anything else (timeouts, 4xx, connection errors, our own sender refused) is
    an outage and is retried."""
    if isinstance(exc, SmsRejected):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return False
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def _failed(
    note: Notification, answer: str, now: datetime.datetime, *, permanent: bool = False
) -> str:
    case = note.claim or note.complaint or note.promise
    policy = ChasePolicy.for_project(case.project) if case else ChasePolicy()
    pending = Notification.objects.filter(pk=note.pk, status=Notification.Status.PENDING)
    if permanent or note.attempts >= MAX_ATTEMPTS:
        pending.update(status=Notification.Status.FAILED, provider_answer=answer[:2000])
        if case is not None and note.recipient_resident_id is not None:
            _resident_not_reached(note, case, now)
        if case is not None:
            TimelineEvent.objects.create(
                dwelling_id=case.dwelling_id,
                kind=TimelineEvent.Kind.MESSAGE_FAILED,
                at=now,
                text=gettext("Message “%(subject)s” to %(to)s could not be delivered: %(answer)s")
                % {"subject": note.subject, "to": note.to, "answer": answer[:300]},
                data={"notification": note.pk, "purpose": note.purpose},
                **{_case_field(note): case},
            )
        logger.error("Notification %s failed for good: %s", note.pk, answer)
        return "failed"
    retry_at = next_office_moment(now + backoff(note.attempts), **office(policy))
    pending.update(send_after=retry_at, dispatched_at=None, provider_answer=answer[:2000])
    logger.warning("Notification %s attempt %s failed: %s", note.pk, note.attempts, answer)
    return "retry"


def _resident_not_reached(note: Notification, case: Case, now: datetime.datetime) -> None:
    """A message to the resident that failed for good does not count as news: staff are
    asked to call (as for a resident without a written channel), and when it was the
    last news the resident had, the update clock is rewound so the chase looks again."""
    label = f"resident-{note.recipient_resident_id}"
    # The call stands in for the failed message: its key is the message's, by call.
    key = f"{note.key.rsplit('/', 1)[0]}/call"
    CallTask.objects.bulk_create(
        [
            CallTask(
                key=key,
                project_id=case.project_id,
                dwelling_id=case.dwelling_id,
                resident_id=note.recipient_resident_id,
                assigned_to_id=caller_id(case),
                purpose=note.purpose,
                language=note.language,
                subject=note.subject,
                body=note.body,
                created_at=now,
                due_at=now,
                **{_case_field(note): case},
            )
        ],
        ignore_conflicts=True,
    )
    TimelineEvent.objects.create(
        dwelling_id=case.dwelling_id,
        kind=TimelineEvent.Kind.CALL_DUE,
        at=now,
        text=note.body,
        data={"call_resident": label, "purpose": note.purpose, "key": key},
        **{_case_field(note): case},
    )
    if case.is_open and case.resident_news_at is not None:
        type(case).objects.filter(pk=case.pk, resident_news_at__gte=note.created_at).update(
            resident_news_at=None, next_chase_at=now
        )


def _case_field(note: Notification) -> str:
    if note.claim_id:
        return "claim"
    return "complaint" if note.complaint_id else "promise"
