"""What every case (claim, complaint, promise) has in common."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from projects.models import Dwelling, Project
from residents.models import Resident

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> CaseQuerySet:
        return self.filter(project__in=Project.objects.visible_to(user))

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=self.model.OPEN_STATUSES)

    def due(self, now: datetime) -> CaseQuerySet:
        """Open cases whose next chase moment has passed (served by a partial index)."""
        return self.open().filter(next_chase_at__lte=now)


class Case(models.Model):
    """Abstract base of the three kinds of case the chase follows."""

    PREFIX: ClassVar[str] = ""
    OPEN_STATUSES: ClassVar[tuple[str, ...]] = ()
    # The columns the lifecycle and the chase own (cases/services, cases/sweep).
    CHASE_FIELDS: ClassVar[tuple[str, ...]] = (
        "status",
        "status_changed_at",
        "step_seq",
        "step_due_at",
        "next_chase_at",
        "reminders_sent",
        "escalation_level",
        "last_reminder_at",
        "resident_news_at",
    )

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="%(class)ss"
    )
    dwelling = models.ForeignKey(
        Dwelling, verbose_name=_("dwelling"), on_delete=models.PROTECT, related_name="%(class)ss"
    )
    resident = models.ForeignKey(
        Resident,
        verbose_name=_("resident"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    handler = models.ForeignKey(
        User,
        verbose_name=_("handler"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    # The deadline of the step the case is in now, and the next moment the chase
    # looks at it again. Both in UTC in the database; the chase computes them in
    # working days, Europe/Amsterdam.
    step_due_at = models.DateTimeField(_("current step due"), null=True, blank=True)
    next_chase_at = models.DateTimeField(_("next chase moment"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent for this step"), default=0)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    # Counts the steps the case has been through; part of every notification key, so a
    # case that returns to a status (objection, expert ↔ assessing) gets fresh keys.
    step_seq = models.PositiveIntegerField(_("step number"), default=0)
    # The moment the reminder cadence counts from (the last reminder's due moment).
    last_reminder_at = models.DateTimeField(_("last reminder due at"), null=True, blank=True)
    # The last time the resident was told something (or staff were asked to call them);
    # the resident update is due a number of working days after it.
    resident_news_at = models.DateTimeField(_("resident last informed at"), null=True, blank=True)
    # Generated on the phone; a replayed or double-tapped submission hits the unique
    # constraint instead of creating a second case.
    submission_id = models.UUIDField(_("submission id"), unique=True, null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, chase: bool = False, **kwargs: Any) -> None:
        """Saving an existing case writes every column except the chase's, unless
        `update_fields` names them or `chase=True` (the services, on a locked row).

        A whole-row save of a copy read before a sweep (the admin's change form, a
        script) would otherwise put `reminders_sent` and `next_chase_at` back, and the
        case would be chased, and its reminder written, twice."""
        if not chase and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.CHASE_FIELDS
            ]
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        """The case number people quote on the phone, e.g. S-000123."""
        return f"{self.PREFIX}-{self.pk:06d}" if self.pk else f"{self.PREFIX}-?"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, now: datetime) -> bool:
        return self.is_open and self.step_due_at is not None and self.step_due_at < now


def case_indexes(prefix: str, open_statuses: tuple[str, ...]) -> list[models.Index]:
    """The indexes every case table needs for the chase and the work queue."""
    is_open = Q(status__in=open_statuses)
    return [
        # The sweep: open cases by next chase moment; cost grows with what is due.
        models.Index(fields=["next_chase_at"], condition=is_open, name=f"{prefix}_open_chase_idx"),
        # The sweep's safety net for open cases without a chase moment (normally none):
        # an index of exactly those rows, so the planner knows there are few and a sweep
        # with nothing to do does not scan the open cases.
        models.Index(
            fields=["id"],
            condition=is_open & Q(next_chase_at__isnull=True),
            name=f"{prefix}_open_unscheduled_idx",
        ),
        # The work queue: open cases by deadline.
        models.Index(fields=["step_due_at"], condition=is_open, name=f"{prefix}_open_due_idx"),
        models.Index(fields=["project", "status"], name=f"{prefix}_project_status_idx"),
        models.Index(fields=["dwelling", "-created_at"], name=f"{prefix}_dwelling_idx"),
        models.Index(fields=["handler", "status"], name=f"{prefix}_handler_status_idx"),
    ]
