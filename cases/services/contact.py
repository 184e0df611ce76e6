"""Working the calls and letters that stand in for messages (cases/models/contact.py).

`call_task_done` records a call's outcome once (a double click or a colleague who got
there first changes nothing) and, for a resident not reached, may put the call on the
next working day's list. `letters_posted` marks the letters a person put in the post.
Both say on the case's timeline what really happened.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import CallTask, ChasePolicy, Letter, TimelineEvent
from ..workdays import local, local_date_text, next_working_day, start_of_day
from .base import may_see
from .errors import IllegalTransition, InvalidInput, NotAllowed

NOTE_MAX = 1000
# Every retry gets its own key: the first call's key with the attempt's number.
AGAIN = "/again-"


def _case_fields(task: CallTask | Letter) -> dict:
    return {
        "claim_id": task.claim_id,
        "complaint_id": task.complaint_id,
        "promise_id": task.promise_id,
    }


def call_task_done(
    *, task: CallTask, by: User, outcome: str, note: str = "", again: bool = False
) -> CallTask | None:
    """Record that `by` called: `outcome` reached or not reached, with a note. Not
    reached and `again`: a new call task for the next working day (same person, same
    text), which is returned."""
    if outcome not in CallTask.Outcome.values:
        raise InvalidInput(_("Say whether you reached the resident."), field="outcome")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(
            _("Keep the note under %(max)s characters.") % {"max": NOTE_MAX}, field="note"
        )
    now = timezone.now()
    with transaction.atomic():
        if not by.is_authenticated or not may_see(by, task.project_id):
            raise NotAllowed(_("You have no access to this case."))
        # Only the request whose update changed the row goes on: a second click, or a
        # colleague who marked it a moment earlier, finds it done and changes nothing.
        changed = CallTask.objects.filter(pk=task.pk, done_at__isnull=True).update(
            done_at=now, done_by=by, outcome=outcome, note=note
        )
        if not changed:
            raise IllegalTransition(_("This call was already marked as done."))
        retry = None
        if outcome == CallTask.Outcome.NOT_REACHED and again:
            retry = _again(task, now)
        label = CallTask.Outcome(outcome).label
        lines = [f"{label}." + (f" {note}" if note else "")]
        if retry is not None:
            lines.append(_("Call again on %(date)s.") % {"date": local_date_text(retry.due_at)})
        TimelineEvent.objects.create(
            dwelling_id=task.dwelling_id,
            kind=TimelineEvent.Kind.CALLED,
            at=now,
            actor=by,
            text="\n".join(lines),
            data={
                "call": task.key,
                "outcome": outcome,
                "again": retry.key if retry else "",
                "purpose": task.purpose,
            },
            **_case_fields(task),
        )
    task.done_at, task.done_by, task.outcome, task.note = now, by, outcome, note
    return retry


def _again(task: CallTask, now) -> CallTask:
    """The same call, on the next working day's list from opening time."""
    project = task.project
    policy = ChasePolicy.for_project(project)
    day = next_working_day(local(now).date())
    root = task.key.split(AGAIN, 1)[0]
    retry = CallTask(
        key=f"{root}{AGAIN}{task.attempt + 1}",
        project_id=task.project_id,
        dwelling_id=task.dwelling_id,
        resident_id=task.resident_id,
        assigned_to_id=task.assigned_to_id,
        purpose=task.purpose,
        language=task.language,
        subject=task.subject,
        body=task.body,
        created_at=now,
        due_at=start_of_day(day, hour=policy.office_opens_hour),
        attempt=task.attempt + 1,
        **_case_fields(task),
    )
    retry.save(force_insert=True)
    return retry


def letters_posted(*, letters: Iterable[Letter], by: User) -> int:
    """Mark these letters as posted by `by`; returns how many were still to post (a
    letter someone else marked in the meantime is left as it is)."""
    ids = [letter.pk for letter in letters]
    now = timezone.now()
    with transaction.atomic():
        locked = list(
            Letter.objects.visible_to(by)
            .unposted()
            .filter(pk__in=ids)
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        if not locked:
            return 0
        Letter.objects.filter(pk__in=[letter.pk for letter in locked]).update(
            posted_at=now, posted_by=by
        )
        TimelineEvent.objects.bulk_create(
            [
                TimelineEvent(
                    dwelling_id=letter.dwelling_id,
                    kind=TimelineEvent.Kind.LETTER_POSTED,
                    at=now,
                    actor=by,
                    text=letter.subject,
                    data={"letter": letter.key, "purpose": letter.purpose},
                    **_case_fields(letter),
                )
                for letter in locked
            ]
        )
    return len(locked)
