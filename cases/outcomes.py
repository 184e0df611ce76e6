"""What became of each message of a delivery batch, written back in one statement.

`Ledger` collects one outcome per claimed row — sent, retry (back-off within office
hours), failed (after MAX_ATTEMPTS or a permanent refusal), cancelled, later (put back to
the next office moment) or requeued (not handed over: the batch ran out of time) — and
`flush` writes them with one `UPDATE … FROM (VALUES …)`. Each row is written only while it
is still pending and still held by this attempt (`attempts` unchanged): a delivery that
lost its lease never overwrites the outcome of whoever took the row after it. A message
that failed for good also gets its side effects (timeline, a call task for the resident).
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from .lease import keeper
from .models import CallTask, ChasePolicy, Notification, TimelineEvent
from .models.base import Case
from .outbox import caller_id
from .schedule import office
from .sms import SmsRejected
from .workdays import next_office_moment

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
MAX_BACKOFF = datetime.timedelta(hours=1)
PENDING = Notification.Status.PENDING


def backoff(attempt: int) -> datetime.timedelta:
    """1, 2, 4, … minutes after the attempt-th failure, at most an hour."""
    return min(datetime.timedelta(minutes=2 ** (attempt - 1)), MAX_BACKOFF)


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


def case_of(note: Notification) -> Case | None:
    return note.claim or note.complaint or note.promise


@dataclass(frozen=True)
class Outcome:
    note: Notification
    outcome: str  # sent, retry, failed, cancelled, later, requeued
    status: str
    answer: str
    undo: int = 0  # 1: the claim's attempt is given back (nothing was tried)
    send_after: datetime.datetime | None = None
    sent_at: datetime.datetime | None = None
    keep_dispatch: bool = True


class Ledger:
    """The outcomes of one batch, judged at `now` (the batch's clock)."""

    def __init__(self, now: datetime.datetime, policies: dict[int, ChasePolicy]) -> None:
        self.now = now
        self.policies = policies
        self.written: dict[int, str] = {}
        self._open: list[Outcome] = []

    def policy(self, case: Case | None) -> ChasePolicy:
        if case is None:
            return ChasePolicy()
        return self.policies.get(case.project_id) or ChasePolicy(project_id=case.project_id)

    def __len__(self) -> int:
        return len(self._open)

    def sent(self, note: Notification, answer: str) -> None:
        self._add(Outcome(note, "sent", Notification.Status.SENT, answer, sent_at=timezone.now()))

    def failure(self, note: Notification, exc: Exception) -> None:
        answer = f"{type(exc).__name__}: {exc}"
        if is_permanent(exc) or note.attempts >= MAX_ATTEMPTS:
            self._add(Outcome(note, "failed", Notification.Status.FAILED, answer))
            return
        retry_at = next_office_moment(
            self.now + backoff(note.attempts), **office(self.policy(case_of(note)))
        )
        logger.warning("Notification %s attempt %s failed: %s", note.pk, note.attempts, answer)
        self._add(Outcome(note, "retry", PENDING, answer, send_after=retry_at, keep_dispatch=False))

    def report(self, note: Notification, answer: str, error: Exception | None) -> None:
        """sending.Report: what the provider said about one message."""
        if error is None:
            self.sent(note, answer)
        else:
            self.failure(note, error)

    def cancelled(self, note: Notification, reason: str) -> None:
        logger.info("Notification %s cancelled: %s", note.pk, reason)
        self._add(
            Outcome(
                note, "cancelled", Notification.Status.CANCELLED, reason, 1, keep_dispatch=False
            )
        )

    def later(self, note: Notification, opens: datetime.datetime) -> None:
        # Held up past closing time (or sent early): wait for the office to open. The
        # sweep publishes it again then (dispatched_at cleared).
        answer = f"outside office hours at {self.now.isoformat()}; waits until opening"
        self._add(Outcome(note, "later", PENDING, answer, 1, opens, keep_dispatch=False))

    def put_back(self, note: Notification) -> None:
        """Not handed over before the batch's time ran out: due again at once, the
        attempt given back; the caller publishes it again."""
        answer = "put back: its batch ran out of time before handing it over"
        self._add(Outcome(note, "requeued", PENDING, answer, 1, self.now, keep_dispatch=False))

    def _add(self, outcome: Outcome) -> None:
        self._open.append(outcome)

    def flush(self) -> None:
        """Write the outcomes collected since the last flush (one UPDATE), then the side
        effects of the messages that failed for good."""
        rows, self._open = self._open, []
        if not rows:
            return
        keeper.release(row.note.pk for row in rows)
        table = Notification._meta.db_table
        # One array per column (unnest), not a VALUES list: eight parameters whatever
        # the batch's size, so the driver has no long query to take apart each flush.
        columns: list[list[object]] = [
            [row.note.pk for row in rows],
            [row.note.attempts for row in rows],
            [row.status for row in rows],
            [row.undo for row in rows],
            [row.send_after for row in rows],
            [row.sent_at for row in rows],
            [row.keep_dispatch for row in rows],
            [row.answer[:2000] for row in rows],
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            # Only rows still pending and still held by this attempt.
            cursor.execute(
                f"""
                UPDATE {table} AS n SET
                    status = v.status,
                    attempts = n.attempts - v.undo,
                    send_after = COALESCE(v.send_after, n.send_after),
                    sent_at = COALESCE(v.sent_at, n.sent_at),
                    dispatched_at = CASE WHEN v.keep_dispatch THEN n.dispatched_at END,
                    provider_answer = v.answer
                FROM unnest(
                    %s::bigint[], %s::int[], %s::text[], %s::int[],
                    %s::timestamptz[], %s::timestamptz[], %s::bool[], %s::text[]
                ) AS v(id, attempt, status, undo, send_after, sent_at, keep_dispatch, answer)
                WHERE n.id = v.id AND n.status = %s AND n.attempts = v.attempt
                RETURNING n.id
                """,
                [*columns, PENDING],
            )
            changed = {pk for (pk,) in cursor.fetchall()}
            for row in rows:
                if row.note.pk not in changed:
                    logger.warning(
                        "Notification %s: its lease was lost before the outcome (%s) was "
                        "written; whoever holds it now records its own.",
                        row.note.pk,
                        row.outcome,
                    )
                    continue
                self.written[row.note.pk] = row.outcome
                if row.outcome == "failed":
                    self._gave_up(row.note, row.answer)

    def _gave_up(self, note: Notification, answer: str) -> None:
        case = case_of(note)
        if case is not None and note.recipient_resident_id is not None:
            _resident_not_reached(note, case, self.now)
        if case is not None:
            TimelineEvent.objects.create(
                dwelling_id=case.dwelling_id,
                kind=TimelineEvent.Kind.MESSAGE_FAILED,
                at=self.now,
                text=gettext("Message “%(subject)s” to %(to)s could not be delivered: %(answer)s")
                % {"subject": note.subject, "to": note.to, "answer": answer[:300]},
                data={"notification": note.pk, "purpose": note.purpose},
                **{_case_field(note): case},
            )
        logger.error("Notification %s failed for good: %s", note.pk, answer)


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
