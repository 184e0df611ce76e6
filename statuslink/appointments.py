"""The resident's answer to an appointment at home (a work window that needs access).

Either answer closes the promise the chase opened when the resident had not answered in
time (cases/appointments.py). Confirming is noted on the address's timeline. Asking to
move it opens a promise to the resident ("contact them about another date"), so the
chase follows the request until someone has handled it: the project's handlers are
reminded on its due date and the ladder goes up from there, like any promise. Each
window is answered once: the answer is written with a conditional UPDATE, so a second
tap or a second tab changes nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import appointments
from cases.models import ChasePolicy, Promise, TimelineEvent
from cases.models.base import Case
from cases.models.promises import Appointment
from cases.outbox import Changes, dispatch_on_commit
from cases.recipients import Teams, handlers
from cases.schedule import in_working_days, next_chase_at
from cases.services import AlreadyAnswered
from cases.workdays import local, start_of_day
from projects.models import WorkWindow

A = WorkWindow.Answer


def windows_for(case: Case, today: datetime.date) -> list[WorkWindow]:
    """The planned works at the case's home that are not over yet (one query)."""
    return list(
        WorkWindow.objects.filter(dwelling_id=case.dwelling_id, ends_on__gte=today).order_by(
            "starts_on", "pk"
        )[:20]
    )


def appointment_answer(
    *, case: Case, window_id: int, confirmed: bool, note: str = ""
) -> WorkWindow:
    """Record the resident's answer, given through the status link of `case`, to the
    appointment `window_id` at the same home. Raises WorkWindow.DoesNotExist for a
    window elsewhere (or without an appointment) and AlreadyAnswered the second time."""
    now = timezone.now()
    note = (note or "").strip()[:1000]
    window = WorkWindow.objects.get(
        pk=window_id,
        dwelling_id=case.dwelling_id,
        needs_access=True,
        ends_on__gte=timezone.localdate(now),
    )
    answer = A.CONFIRMED if confirmed else A.MOVE_ASKED
    with transaction.atomic():
        # Only the first answer changes the row: exactly once, whatever arrives after.
        taken = WorkWindow.objects.filter(pk=window.pk, resident_answer="").update(
            resident_answer=answer, resident_answer_at=now, resident_answer_note=note
        )
        if taken != 1:
            raise AlreadyAnswered(_("We have already received your answer."))
        window.resident_answer, window.resident_answer_at = answer, now
        window.resident_answer_note = note
        what = {"work_window": window.pk, "by": "resident", "via": "status_link"}
        if confirmed:
            TimelineEvent.objects.create(
                dwelling_id=window.dwelling_id,
                kind=TimelineEvent.Kind.NOTE,
                at=now,
                text=_("The resident confirmed the appointment: %(work)s, %(when)s.")
                % {"work": window.description, "when": appointments.when_text(window)},
                data={**what, "appointment": "confirmed"},
            )
        else:
            _open_move_request(case, window, note, now, what)
        appointments.answered(window, now=now, confirmed=confirmed)
    return window


def _open_move_request(
    case: Case, window: WorkWindow, note: str, now: datetime.datetime, what: dict
) -> Promise:
    """A promise to contact the resident about another date, chased until done."""
    policy = ChasePolicy.for_project(case.project)
    due_on = local(in_working_days(now, policy.claim_contact_days, policy)).date()
    description = _("Find another date with the resident for: %(work)s (%(when)s).") % {
        "work": window.description,
        "when": appointments.when_text(window),
    }
    promise = Promise(
        project_id=case.project_id,
        dwelling_id=window.dwelling_id,
        resident_id=case.resident_id,
        description=description[:500],
        due_on=due_on,
        status=Promise.Status.OPEN,
        created_at=now,
        status_changed_at=now,
        step_seq=1,
        # Due at the end of that working day, like every promise.
        step_due_at=start_of_day(due_on, hour=policy.office_closes_hour),
        work_window=window,
        appointment=Appointment.MOVE,
    )
    promise.save(force_insert=True)
    promise.project = case.project
    promise.next_chase_at = next_chase_at(promise, policy)
    promise.save(update_fields=["next_chase_at"])
    changes = Changes(now)
    changes.event(
        promise,
        TimelineEvent.Kind.CREATED,
        to_status=promise.status,
        text=note,
        data={**what, "appointment": "move_asked", "action": "record"},
    )
    changes.tell(
        promise,
        policy,
        purpose="appointment_move_asked",
        what="appointment_move_asked",
        recipients=handlers(promise, Teams([promise.project_id])),
        extra={
            "work": window.description,
            "when": appointments.when_text(window),
            "wish": note,
            "due": promise.step_due_at,
        },
    )
    dispatch_on_commit(changes.save(), now)
    return promise
