"""Promises (toezeggingen): small things a supervisor promised a resident."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import Case, case_indexes


class PromiseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


PROMISE_OPEN_STATUSES = (PromiseStatus.OPEN,)


class Appointment(models.TextChoices):
    """A promise about an appointment at home (a work window that needs access)."""

    CONFIRM = "confirm", _("Get the resident's confirmation")
    MOVE = "move", _("Find another date with the resident")


class Promise(Case):
    PREFIX = "T"

    Status = PromiseStatus
    OPEN_STATUSES = PROMISE_OPEN_STATUSES

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    description = models.CharField(_("what was promised"), max_length=500)
    due_on = models.DateField(_("due on"), default=timezone.localdate)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # Set when the promise is about an appointment at home: the chase opens one to get
    # an unanswered appointment confirmed (cases/appointments.py), the resident's request
    # to move one opens another. The resident's answer on the status link closes it.
    work_window = models.ForeignKey(
        "projects.WorkWindow",
        verbose_name=_("appointment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promises",
    )
    appointment = models.CharField(
        _("about the appointment"), max_length=10, choices=Appointment, blank=True
    )

    class Meta:
        verbose_name = _("promise")
        verbose_name_plural = _("promises")
        ordering = ["due_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="promise_cancel_has_reason",
            ),
            # The chase asks once per appointment, whichever sweep gets there first.
            models.UniqueConstraint(
                fields=["work_window"],
                condition=Q(appointment="confirm"),
                name="promise_one_confirmation_per_appointment",
            ),
        ]
        indexes = [
            *case_indexes("promise", PROMISE_OPEN_STATUSES),
            models.Index(fields=["dwelling", "due_on"], name="promise_dwelling_due_idx"),
        ]
