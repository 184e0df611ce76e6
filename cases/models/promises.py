"""Promises (toezeggingen): small things a supervisor promised a resident."""

from __future__ import annotations

import datetime

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

    class Meta:
        verbose_name = _("promise")
        verbose_name_plural = _("promises")
        ordering = ["due_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="promise_cancel_has_reason",
            ),
        ]
        indexes = [
            *case_indexes("promise", PROMISE_OPEN_STATUSES),
            models.Index(fields=["dwelling", "due_on"], name="promise_dwelling_due_idx"),
        ]

    def is_due(self, today: datetime.date) -> bool:
        return self.is_open and self.due_on <= today
