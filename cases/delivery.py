"""Sending outbox rows in batches: claimed at once, so two deliveries never both send one.

A delivery task carries up to `outbox.DISPATCH_CHUNK` ids. `deliver_batch` takes the lease
on those still pending and due with one statement — `UPDATE … WHERE id IN (SELECT … FOR
UPDATE SKIP LOCKED) RETURNING` (attempts + 1, `send_after` pushed `LEASE` ahead) — so
each row is claimed by exactly one process: a duplicate task, a re-dispatch by the sweep,
a redelivery after a crash or a second worker racing on the same ids finds nothing to
claim. In the same transaction it loads the rows with their cases and the projects'
policies (a constant number of queries), looks again at each (`why_not`, office hours)
and marks the rest `sending` in one statement. Then it hands them to the providers
(sending.py: one SMTP connection for the batch's e-mail, up to 16 text messages at once),
keeps their lease alive meanwhile (lease.py), and writes the outcomes in bulk
(outcomes.py): `sent` with the provider's answer, or a later `send_after` (exponential
back-off, within office hours), or `failed` after `MAX_ATTEMPTS` or a permanent refusal.
`deliver` is a batch of one.

A batch is bounded in time: after `BATCH_SECONDS` it hands nothing more over; what is
left is put back (the attempt given back) and published again at once. Outcomes are
written every `FLUSH_EVERY` seconds as the batch goes, not only at its end.

Delivery is at-least-once towards the provider. A process that dies mid-batch (SIGKILL,
OOM, power) leaves its rows pending and leased; after the lease (at most `LEASE` after
the last renewal) the sweep publishes them again and they are sent again. What can then
reach a recipient twice is bounded: the messages of that batch accepted by the provider
since the last flush — those handed over in the last `FLUSH_EVERY` seconds plus the one
on the wire, never more than one batch — each at most once more per death. Messages not
yet handed over are sent once. The notification id travels with every message
(`X-Woonrust-Notification`, a fixed Message-ID, the SMS idempotency key) so a provider
or mail client can drop such a repeat; the next attempt finds the `sending` mark and logs
that the provider may have it already.

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
import time
from collections import Counter

from django.db import connection, transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from .lease import LEASE, keeper
from .models import Notification
from .models.base import Case
from .outcomes import MAX_ATTEMPTS, Ledger, backoff, case_of, is_permanent
from .schedule import office, policies_for
from .sending import send_emails, send_texts
from .workdays import local, next_office_moment

__all__ = ["MAX_ATTEMPTS", "backoff", "claim", "deliver", "deliver_batch", "is_permanent"]

logger = logging.getLogger(__name__)

SENDING = "sending"
# A batch hands nothing more over after this long (well inside LEASE, which is renewed
# anyway); the rest is put back and published again.
BATCH_SECONDS = 5.0
# Outcomes are written at least this often while a batch sends: what a crash can repeat.
FLUSH_EVERY = 0.25


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


def claim_batch(ids: list[int], now: datetime.datetime) -> list[Notification]:
    """Take the lease on those of `ids` that are pending and due, and load them with
    their cases (two queries). A row another transaction is claiming right now is
    skipped (SKIP LOCKED): when that one commits, the row is leased, so not due."""
    table = Notification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} SET attempts = attempts + 1, send_after = %s
            WHERE id IN (
                SELECT id FROM {table}
                WHERE id = ANY(%s) AND status = %s AND send_after <= %s
                ORDER BY id
                FOR UPDATE SKIP LOCKED
            )
            RETURNING id
            """,
            [now + LEASE, list(ids), Notification.Status.PENDING, now],
        )
        claimed = [pk for (pk,) in cursor.fetchall()]
    if not claimed:
        return []
    return list(
        Notification.objects.select_related("claim", "complaint", "promise")
        .filter(pk__in=claimed)
        .order_by("pk")
    )


def deliver(*, notification_id: int, now: datetime.datetime | None = None) -> str:
    """Send one notification if it is due, still wanted, and nobody else is sending it.

    Returns "sent", "retry", "failed", "cancelled" (the case no longer wants it), "later"
    (outside office hours: put back to the next office moment) or "skipped" (not due,
    already sent, or another delivery holds it). Never raises for a provider failure:
    the row records it."""
    return deliver_batch([notification_id], now=now)[notification_id]


def deliver_batch(ids: list[int], *, now: datetime.datetime | None = None) -> dict[int, str]:
    """Send these notifications, each if it is due, still wanted, and nobody else is
    sending it: id -> outcome (as `deliver`'s, or "requeued" when the batch ran out of
    time before handing it over; it is published again). Never raises for a provider
    failure: the rows record it."""
    now = now or timezone.now()
    outcomes = dict.fromkeys(ids, "skipped")
    with transaction.atomic():
        notes = claim_batch(ids, now)
        if not notes:
            return outcomes
        cases = {note.pk: case_of(note) for note in notes}
        projects = {case.project_id for case in cases.values() if case is not None}
        ledger = Ledger(now, policies_for(projects) if projects else {})
        to_send = []
        for note in notes:
            case = cases[note.pk]
            if reason := why_not(note, case, now):
                ledger.cancelled(note, reason)
                continue
            opens = next_office_moment(now, **office(ledger.policy(case)))
            if opens > now:
                ledger.later(note, opens)
                continue
            # Marked before the call: an attempt that finds this mark died between
            # taking the message and writing the outcome, so this one may be a repeat.
            if note.provider_answer.startswith(SENDING):
                logger.warning(
                    "Notification %s: attempt %s ended without an answer; sending again with "
                    "the same idempotency key (the provider may have it already).",
                    note.pk,
                    note.attempts - 1,
                )
            to_send.append(note)
        ledger.flush()
        if to_send:
            Notification.objects.filter(pk__in=[note.pk for note in to_send]).update(
                provider_answer=Concat(
                    Value(f"{SENDING} (attempt "),
                    Cast(F("attempts"), CharField()),
                    Value(f") since {now.isoformat()}"),
                )
            )
    left: list[Notification] = []
    if to_send:
        with keeper.holding({note.pk: note.attempts for note in to_send}):
            left = _send(to_send, ledger)
    republish = [note.pk for note in left if ledger.written.get(note.pk) == "requeued"]
    if republish:
        from .outbox import dispatch

        dispatch(republish)
    outcomes.update(ledger.written)
    tally = Counter(ledger.written.values())
    logger.info(
        "Delivered a batch of %d: %s",
        len(ids),
        ", ".join(f"{n} {outcome}" for outcome, n in sorted(tally.items())) or "nothing claimed",
    )
    return outcomes


def _send(notes: list[Notification], ledger: Ledger) -> list[Notification]:
    """Hand the batch to the providers, writing outcomes as it goes; returns the rows
    not handed over (put back)."""
    stop_at = time.monotonic() + BATCH_SECONDS
    flushed = time.monotonic()

    def report(note: Notification, answer: str, error: Exception | None) -> None:
        nonlocal flushed
        ledger.report(note, answer, error)
        if time.monotonic() - flushed >= FLUSH_EVERY:
            ledger.flush()
            flushed = time.monotonic()

    emails = [note for note in notes if note.channel == Notification.Channel.EMAIL]
    texts = [note for note in notes if note.channel == Notification.Channel.SMS]
    left = send_emails(emails, stop_at=stop_at, report=report)
    left += send_texts(texts, stop_at=stop_at, report=report)
    for note in left:
        ledger.put_back(note)
    ledger.flush()
    return left
