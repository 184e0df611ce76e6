"""Retention: what Woonrust holds about residents goes when the corporation no longer
needs it, by the periods of its `RetentionPolicy` (defaults: personal data 24 months
after the project's end, photos 12 months after their claim closed, message recipients
and texts 6 months after they were written).

Three kinds of work, each in batches of RETENTION_BATCH_SIZE, one transaction a batch:

- **addresses of projects that ended** before the personal-data period: every resident
  there is anonymised as on erasure (privacy/erase.py: names, contact details, care
  needs, her texts, photos, messages, status links, her audit-trail entries), then every
  text left at the address (visit notes, timeline texts, the cases' descriptions) is
  replaced. The addresses are marked done (`AnonymisedDwelling`) in the same
  transaction. A batch of addresses is done with set-based updates and deletes, a
  fixed number of queries however many addresses it holds.
- **photos** of claims closed before the photo period: rows deleted, files queued.
- **messages** written before the message period and no longer pending: recipient,
  address, subject, body and the provider's answer emptied.

Rows stay (anonymised): the resident, her cases with their amounts, dates and states, the
visits, the satisfaction scores, the messages' count and state; so the dashboards
(office/dashboard.py) show the same figures before and after.

Idempotent and resumable: each batch selects only what is still to do (not marked, not
yet deleted, not yet emptied) with `FOR UPDATE SKIP LOCKED`, so two runs at once take
different rows, a crash rolls back one batch only, and the next run continues. Files are
deleted after their batch commits (privacy/files.py); names a dead process left behind
are deleted first thing by the next run. A run stops taking batches after
RETENTION_BUDGET_SECONDS; the next day's run goes on.

Nothing is removed for a corporation before its privacy officer or administrator has
read the dry-run report (`retention_report`) and started retention on the report page.
"""

from __future__ import annotations

import calendar
import datetime
import logging
import time
from collections import Counter
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Organisation
from cases.models import (
    ClaimPhoto,
    Complaint,
    DamageClaim,
    Notification,
    Promise,
    TimelineEvent,
)
from projects.models import Dwelling, Project
from residents.models import CareNeed, Resident, Visit
from statuslink.models import SatisfactionAnswer

from .erase import (
    CASE_TEXTS,
    ERASED,
    anonymise_residents,
    data_scrub,
    erased_text,
    links_cleared,
)
from .files import files_delete_pending, photos_delete
from .models import AnonymisedDwelling, FileToDelete, RetentionPolicy, RetentionRun

log = logging.getLogger(__name__)

LINK_FIELDS = ["status_token", "status_link_secret", "status_link_revoked_at"]
CLAIM_CLOSED_STATUSES = [s for s in DamageClaim.Status.values if s not in DamageClaim.OPEN_STATUSES]


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (the month's last day if shorter)."""
    month0 = day.year * 12 + day.month - 1 - months
    year, month = divmod(month0, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- What is due ----------------------------------------------------------------


def ended_projects(policy: RetentionPolicy, now: datetime.datetime) -> QuerySet[Project]:
    """The corporation's projects that ended more than the personal-data period ago."""
    cut = months_before(timezone.localdate(now), policy.personal_data_months)
    return Project.objects.filter(corporation_id=policy.corporation_id, ends_on__lt=cut)


def dwellings_due(policy: RetentionPolicy, now: datetime.datetime) -> QuerySet[Dwelling]:
    done = AnonymisedDwelling.objects.filter(dwelling=OuterRef("pk"))
    return Dwelling.objects.filter(project__in=ended_projects(policy, now)).exclude(Exists(done))


def photos_due(policy: RetentionPolicy, now: datetime.datetime) -> QuerySet[ClaimPhoto]:
    cut = _moment(months_before(timezone.localdate(now), policy.photo_months))
    closed = Q(closed_at__lt=cut) | Q(
        closed_at__isnull=True, status__in=CLAIM_CLOSED_STATUSES, status_changed_at__lt=cut
    )
    claims = DamageClaim.objects.filter(closed, project__corporation_id=policy.corporation_id)
    return ClaimPhoto.objects.filter(claim__in=claims)


def messages_due(policy: RetentionPolicy, now: datetime.datetime) -> QuerySet[Notification]:
    cut = _moment(months_before(timezone.localdate(now), policy.message_months))
    projects = Project.objects.filter(corporation_id=policy.corporation_id)
    of_corporation = (
        Q(claim__in=DamageClaim.objects.filter(project__in=projects))
        | Q(complaint__in=Complaint.objects.filter(project__in=projects))
        | Q(promise__in=Promise.objects.filter(project__in=projects))
    )
    return _not_emptied(Notification.objects.filter(of_corporation, created_at__lt=cut))


def caseless_messages_due(now: datetime.datetime) -> QuerySet[Notification]:
    """Messages about no case (alerts to staff) by the default message period."""
    cut = _moment(months_before(timezone.localdate(now), RetentionPolicy().message_months))
    return _not_emptied(
        Notification.objects.filter(
            claim__isnull=True, complaint__isnull=True, promise__isnull=True, created_at__lt=cut
        )
    )


def _not_emptied(rows: QuerySet[Notification]) -> QuerySet[Notification]:
    return rows.exclude(status=Notification.Status.PENDING).filter(
        ~Q(to="")
        | ~Q(body="")
        | ~Q(subject="")
        | Q(recipient_resident__isnull=False)
        | Q(recipient_user__isnull=False)
    )


def policies(*, started_only: bool) -> list[RetentionPolicy]:
    """Every corporation's policy (the defaults where none was saved)."""
    saved = {p.corporation_id: p for p in RetentionPolicy.objects.all()}
    found = []
    for corporation in Organisation.objects.filter(kind=Organisation.Kind.CORPORATION):
        policy = saved.get(corporation.pk) or RetentionPolicy(corporation=corporation)
        policy.corporation = corporation
        if policy.started_at is not None or not started_only:
            found.append(policy)
    return found


# --- The dry run ----------------------------------------------------------------


@dataclass
class Report:
    """What a run would remove now for one corporation (counts only)."""

    policy: RetentionPolicy
    projects: int = 0
    dwellings: int = 0
    residents: int = 0
    care_needs: int = 0
    cases: int = 0
    visit_notes: int = 0
    timeline_events: int = 0
    audit_entries: int = 0
    photos: int = 0
    files: int = 0
    messages: int = 0
    cutoffs: dict[str, datetime.date] = field(default_factory=dict)

    @property
    def anything(self) -> bool:
        return any((self.dwellings, self.residents, self.photos, self.messages, self.audit_entries))


def retention_report(policy: RetentionPolicy, now: datetime.datetime | None = None) -> Report:
    """The dry run: counts what `retention_run` would remove now; changes nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = Report(policy=policy)
    report.cutoffs = {
        "personal": months_before(today, policy.personal_data_months),
        "photos": months_before(today, policy.photo_months),
        "messages": months_before(today, policy.message_months),
    }
    dwellings = dwellings_due(policy, now)
    report.projects = ended_projects(policy, now).filter(dwellings__in=dwellings).distinct().count()
    report.dwellings = dwellings.count()
    residents = Resident.objects.filter(dwelling__in=dwellings).exclude(
        first_name="", last_name=ERASED
    )
    report.residents = residents.count()
    report.care_needs = CareNeed.objects.filter(resident__dwelling__in=dwellings).count()
    report.cases = sum(model.objects.filter(dwelling__in=dwellings).count() for model in CASE_TEXTS)
    report.visit_notes = Visit.objects.filter(dwelling__in=dwellings).exclude(note="").count()
    report.timeline_events = TimelineEvent.objects.filter(dwelling__in=dwellings).count()
    # Entries keep their project's id (privacy/audit.py): a short list of ended projects.
    types = ContentType.objects.get_for_models(Resident, CareNeed)
    ended = list(ended_projects(policy, now).values_list("pk", flat=True))
    report.audit_entries = (
        LogEntry.objects.filter(
            content_type__in=list(types.values()), additional_data__project__in=ended
        )
        .exclude(object_repr=ERASED)
        .count()
        if ended and report.dwellings
        else 0
    )
    photos = ClaimPhoto.objects.filter(
        Q(pk__in=photos_due(policy, now)) | Q(claim__dwelling__in=dwellings)
    )
    report.photos = photos.count()
    report.files = photos.exclude(image="").count() + photos.exclude(thumbnail="").count()
    at_addresses = (
        Q(claim__dwelling__in=dwellings)
        | Q(complaint__dwelling__in=dwellings)
        | Q(promise__dwelling__in=dwellings)
    )
    report.messages = Notification.objects.filter(
        Q(pk__in=messages_due(policy, now)) | at_addresses
    ).count()
    return report


# --- The run --------------------------------------------------------------------


def dwellings_anonymise(
    dwellings: list[Dwelling], *, now: datetime.datetime, counts: Counter
) -> None:
    """Inside the caller's transaction: every resident at these addresses anonymised
    (as on erasure, all of them at once), then every text left there replaced; the
    addresses marked done. A fixed number of queries however many addresses."""
    if not dwellings:
        return
    ids = [d.pk for d in dwellings]
    residents = Resident.objects.filter(dwelling_id__in=ids).exclude(
        first_name="", last_name=ERASED
    )
    anonymise_residents(
        list(residents.values_list("pk", flat=True)), now=now, counts=counts, redact=False
    )
    with disable_auditlog():
        counts["visit_notes"] += (
            Visit.objects.filter(dwelling_id__in=ids).exclude(note="").update(note=ERASED)
        )
        events = TimelineEvent.objects.filter(dwelling_id__in=ids)
        counts["timeline_events"] += (
            events.exclude(text="").exclude(text=ERASED).update(text=ERASED)
        )
        data_scrub(events)
        cases_at = {model: model.objects.filter(dwelling_id__in=ids) for model in CASE_TEXTS}
        for model, fields in CASE_TEXTS.items():
            cases = cases_at[model]
            left = Q()
            for name in fields:
                left |= ~Q(**{name: ""}) & ~Q(**{name: ERASED}) & Q(**{f"{name}__isnull": False})
            changes = {name: erased_text(name) for name in fields}
            if model in (DamageClaim, Complaint):
                left |= ~Q(status_link_secret="")
                changes |= links_cleared(model, now)
            cases.filter(left).update(**changes)
        claims = cases_at[DamageClaim].values("pk")
        on_cases = (
            Q(claim__in=claims)
            | Q(complaint__in=cases_at[Complaint].values("pk"))
            | Q(promise__in=cases_at[Promise].values("pk"))
        )
        Notification.objects.filter(on_cases, status=Notification.Status.PENDING).update(
            status=Notification.Status.CANCELLED
        )
        counts["messages"] += _empty(Notification.objects.filter(on_cases))
        SatisfactionAnswer.objects.filter(claim__in=claims).exclude(remark="").update(remark="")
        _photos_delete(ClaimPhoto.objects.filter(claim__in=claims), counts)
    AnonymisedDwelling.objects.bulk_create(
        [AnonymisedDwelling(dwelling_id=pk, at=now) for pk in ids]
    )
    counts["dwellings"] += len(ids)


def _empty(rows: QuerySet[Notification]) -> int:
    return _not_emptied(rows).update(
        recipient_resident=None, recipient_user=None, to="", subject="", body="", provider_answer=""
    )


def _photos_delete(photos: QuerySet[ClaimPhoto], counts: Counter) -> None:
    removed, files = photos_delete(photos)
    if removed:
        counts["photos"] += removed
        counts["files"] += files


class _Clock:
    def __init__(self, budget: float) -> None:
        self.ends = time.monotonic() + budget

    def left(self) -> bool:
        return time.monotonic() < self.ends


def retention_run(
    *,
    now: datetime.datetime | None = None,
    batch: int | None = None,
    budget: float | None = None,
) -> RetentionRun:
    """Apply every started corporation's policy; see the module docstring. Returns the
    run's record (counts, and whether everything due was done)."""
    now = now or timezone.now()
    batch = batch or settings.RETENTION_BATCH_SIZE
    clock = _Clock(budget if budget is not None else settings.RETENTION_BUDGET_SECONDS)
    run = RetentionRun.objects.create(started_at=now)
    counts: Counter = Counter()
    # Files whose rows a run that died already deleted.
    counts["files"] += files_delete_pending()
    complete = True
    for policy in policies(started_only=True):
        complete &= _batches(lambda p=policy: _dwellings_batch(p, now, batch, counts), clock)
        complete &= _batches(lambda p=policy: _photos_batch(p, now, batch, counts), clock)
        complete &= _batches(
            lambda p=policy: _messages_batch(messages_due(p, now), batch, counts), clock
        )
    complete &= _batches(lambda: _messages_batch(caseless_messages_due(now), batch, counts), clock)
    # Normally deleted after each batch's commit already; what a storage error left.
    files_delete_pending()
    complete &= not FileToDelete.objects.exists()
    run.counts = dict(counts)
    run.complete = complete
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "complete", "finished_at"])
    log.info("Retention run %s: %s%s", run.pk, dict(counts), "" if complete else " (more to do)")
    return run


def _batches(step, clock: _Clock) -> bool:
    """Run `step` (one batch; returns whether it found work) until it finds none (True)
    or the time is up (False)."""
    while clock.left():
        if not step():
            return True
    return False


def _dwellings_batch(policy: RetentionPolicy, now, batch: int, counts: Counter) -> bool:
    with transaction.atomic():
        dwellings = list(
            dwellings_due(policy, now)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")[:batch]
        )
        dwellings_anonymise(dwellings, now=now, counts=counts)
    return bool(dwellings)


def _photos_batch(policy: RetentionPolicy, now, batch: int, counts: Counter) -> bool:
    with transaction.atomic():
        photos = list(
            photos_due(policy, now)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        _photos_delete(ClaimPhoto.objects.filter(pk__in=photos), counts)
    return bool(photos)


def _messages_batch(rows: QuerySet[Notification], batch: int, counts: Counter) -> bool:
    with transaction.atomic():
        ids = list(
            rows.select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if ids:
            counts["messages"] += _empty(Notification.objects.filter(pk__in=ids))
    return bool(ids)
