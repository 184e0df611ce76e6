"""The chase asks residents to confirm appointments at home they have not answered.

A work window that needs access is shown on the resident's status page with "confirm"
and "ask for another date". Silence is not an answer: `appointment_confirm_days`
working days before the works start, the chase opens a promise to the resident ("get
the resident's confirmation"), due two working days before the start, and asks the
resident once by their own channel — with the status link of their open claim or
complaint when they have one, where they can answer; by a call or a letter when they
cannot be written to. Nobody answers by the promise's due date: the project's handlers
are reminded to call, and the ladder goes up from there like any promise. The
resident's answer on the status link closes the promise (statuslink/appointments.py).

Once per appointment: the promise is unique per work window, so two sweeps, two beats
or a retry ask once.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from projects.models import WorkWindow
from residents.models import Resident

from .models import ChasePolicy, Complaint, DamageClaim, Promise, TimelineEvent
from .models.base import Case
from .models.promises import Appointment
from .outbox import Changes, dispatch_on_commit
from .recipients import of_resident
from .schedule import next_chase_at, policies_for
from .workdays import local, next_working_day, start_of_day, working_days_before

logger = logging.getLogger(__name__)

# Never further ahead than this, whatever a project's policy says (one bounded query).
LOOK_AHEAD = datetime.timedelta(days=45)
# The handlers' deadline to have the answer: this many working days before the start.
HANDLERS_DUE_BEFORE = 2


@dataclass
class Asked:
    asked: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return f"{self.asked} appointments asked to confirm"


def when_text(window: WorkWindow) -> str:
    if window.starts_on == window.ends_on:
        return window.starts_on.strftime("%d-%m-%Y")
    return f"{window.starts_on:%d-%m-%Y} – {window.ends_on:%d-%m-%Y}"


def ask_on(window: WorkWindow, policy: ChasePolicy) -> datetime.date:
    """The day the chase asks, when the resident has not answered by then."""
    return working_days_before(window.starts_on, policy.appointment_confirm_days)


def unanswered(today: datetime.date):
    """Appointments at home that start after today, nobody answered and the chase has
    not asked about yet (on the partial index `work_window_unanswered_idx`)."""
    asked = Promise.objects.filter(work_window=OuterRef("pk"), appointment=Appointment.CONFIRM)
    return (
        WorkWindow.objects.filter(
            needs_access=True,
            resident_answer="",
            starts_on__gt=today,
            starts_on__lte=today + LOOK_AHEAD,
        )
        .filter(~Exists(asked))
        .select_related("dwelling__project__corporation")
        .order_by("starts_on", "pk")
    )


def ask_due(now: datetime.datetime | None = None, *, limit: int = 500) -> Asked:
    """Ask every resident whose appointment is due to be confirmed (the sweep runs it)."""
    now = now or timezone.now()
    today = local(now).date()
    windows = list(unanswered(today)[:limit])
    policies = policies_for({w.dwelling.project_id for w in windows})
    report = Asked()
    for window in windows:
        policy = policies[window.dwelling.project_id]
        if ask_on(window, policy) > today:
            continue
        try:
            if ask_to_confirm(window, policy, now):
                report.asked += 1
            else:
                report.skipped += 1
        except IntegrityError:
            # Another sweep asked at the same moment: the unique promise is theirs.
            report.skipped += 1
    return report


def ask_to_confirm(window: WorkWindow, policy: ChasePolicy, now: datetime.datetime) -> bool:
    """Open the confirmation promise and ask the resident, in one transaction."""
    with transaction.atomic():
        locked = (
            WorkWindow.objects.select_for_update(skip_locked=True)
            .filter(pk=window.pk, needs_access=True, resident_answer="")
            .first()
        )
        if locked is None:
            return False  # answered meanwhile, or another sweep holds it
        if Promise.objects.filter(work_window=window, appointment=Appointment.CONFIRM).exists():
            return False  # another sweep asked after this one made its list
        project = window.dwelling.project
        resident = main_resident(window.dwelling_id)
        due_on = max(
            working_days_before(window.starts_on, HANDLERS_DUE_BEFORE),
            next_working_day(local(now).date() - datetime.timedelta(days=1)),
        )
        with override(resident.language if resident else "nl"):
            description = _("Get the resident's confirmation for: %(work)s (%(when)s).") % {
                "work": window.description,
                "when": when_text(window),
            }
        promise = Promise(
            project=project,
            dwelling_id=window.dwelling_id,
            resident=resident,
            description=description[:500],
            due_on=due_on,
            status=Promise.Status.OPEN,
            created_at=now,
            status_changed_at=now,
            step_seq=1,
            step_due_at=start_of_day(due_on, hour=policy.office_closes_hour),
            work_window=window,
            appointment=Appointment.CONFIRM,
        )
        promise.save(force_insert=True)
        promise.next_chase_at = next_chase_at(promise, policy)
        promise.save(update_fields=["next_chase_at"])

        changes = Changes(now)
        what = {"work_window": window.pk, "appointment": "confirm_asked", "by": "chase"}
        changes.event(
            promise, TimelineEvent.Kind.CREATED, to_status=promise.status, data=what.copy()
        )
        if resident is not None:
            # Ask on the case whose status link she can answer on; without one, the
            # message comes with the promise and tells her to call.
            carrier: Case = case_with_link(window.dwelling_id, resident) or promise
            changes.tell(
                carrier,
                policy,
                purpose="appointment_confirm",
                what=f"appointment-{window.pk}",
                recipients=[of_resident(resident)],
                extra={"work": window.description, "when": when_text(window)},
            )
            promise.resident_news_at = now
            promise.save(update_fields=["resident_news_at"])
        dispatch_on_commit(changes.save(), now)
    return True


def main_resident(dwelling_id: int) -> Resident | None:
    return (
        Resident.objects.filter(dwelling_id=dwelling_id).order_by("-is_main_contact", "pk").first()
    )


def case_with_link(dwelling_id: int, resident: Resident) -> Case | None:
    """The resident's claim or complaint at this address with a working status link,
    open ones first, then the most recent."""
    found: list[Case] = []
    for model in (DamageClaim, Complaint):
        case = (
            model.objects.filter(
                dwelling_id=dwelling_id,
                resident=resident,
                status_link_revoked_at__isnull=True,
            )
            .exclude(Q(status_link_secret="") | Q(status_token__isnull=True))
            .select_related("project__corporation", "dwelling", "resident")
            .order_by("-created_at")
            .first()
        )
        if case is not None:
            found.append(case)
    found.sort(key=lambda c: (not c.is_open, -c.created_at.timestamp()))
    return found[0] if found else None


def answered(window: WorkWindow, *, now: datetime.datetime, confirmed: bool) -> Promise | None:
    """The resident answered: the chase's open confirmation promise is done."""
    promise = (
        Promise.objects.filter(
            work_window=window, appointment=Appointment.CONFIRM, status=Promise.Status.OPEN
        )
        .select_for_update()
        .first()
    )
    if promise is None:
        return None
    changes = Changes(now)
    changes.event(
        promise,
        TimelineEvent.Kind.STATUS_CHANGED,
        from_status=promise.status,
        to_status=Promise.Status.DONE,
        text=_("The resident confirmed the appointment.")
        if confirmed
        else _("The resident asks for another date."),
        data={"work_window": window.pk, "by": "resident", "action": "done"},
    )
    promise.status = Promise.Status.DONE
    promise.done_at = promise.status_changed_at = now
    promise.step_seq += 1
    promise.step_due_at = promise.next_chase_at = None
    promise.save(chase=True)
    changes.save()
    return promise
