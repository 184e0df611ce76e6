"""The timeline: every event at an address or on a case, append-only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from projects.models import Dwelling, Project
from residents.models import Visit

from .claims import DamageClaim
from .complaints import Complaint
from .promises import Promise

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class TimelineQuerySet(models.QuerySet["TimelineEvent"]):
    def visible_to(self, user: User | AnonymousUser) -> TimelineQuerySet:
        return self.filter(dwelling__project__in=Project.objects.visible_to(user))


class TimelineEvent(models.Model):
    """One thing that happened. Rows are only ever added, never changed."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Recorded")
        STATUS_CHANGED = "status_changed", _("Status changed")
        NOTE = "note", _("Note")
        ASSIGNED = "assigned", _("Assigned")
        REMINDER_SENT = "reminder_sent", _("Reminder sent")
        ESCALATED = "escalated", _("Escalated")
        RESIDENT_INFORMED = "resident_informed", _("Resident informed")
        PHOTO_ADDED = "photo_added", _("Photo added")
        VISIT = "visit", _("Visit")
        CLOSED = "closed", _("Closed")
        MESSAGE_FAILED = "message_failed", _("Message not delivered")
        # A resident who gets no message: a person calls, or a letter goes by post.
        CALL_DUE = "call_due", _("To call")
        CALLED = "called", _("Called")
        LETTER_DUE = "letter_due", _("Letter to post")
        LETTER_POSTED = "letter_posted", _("Letter posted")

    dwelling = models.ForeignKey(
        Dwelling, verbose_name=_("dwelling"), on_delete=models.CASCADE, related_name="timeline"
    )
    claim = models.ForeignKey(
        DamageClaim,
        verbose_name=_("damage claim"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="timeline",
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="timeline",
    )
    promise = models.ForeignKey(
        Promise,
        verbose_name=_("promise"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="timeline",
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="timeline",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        User,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system did it (the chase)."),
    )
    from_status = models.CharField(_("from status"), max_length=30, blank=True)
    to_status = models.CharField(_("to status"), max_length=30, blank=True)
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = TimelineQuerySet.as_manager()

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["-at", "-id"]
        constraints = [
            # An event belongs to at most one case or visit (or only to the dwelling).
            models.CheckConstraint(
                condition=(
                    Q(claim__isnull=True, complaint__isnull=True, promise__isnull=True)
                    | Q(claim__isnull=True, complaint__isnull=True, visit__isnull=True)
                    | Q(claim__isnull=True, promise__isnull=True, visit__isnull=True)
                    | Q(complaint__isnull=True, promise__isnull=True, visit__isnull=True)
                ),
                name="timeline_event_one_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["dwelling", "-at"], name="timeline_dwelling_idx"),
            models.Index(fields=["claim", "-at"], name="timeline_claim_idx"),
            models.Index(fields=["complaint", "-at"], name="timeline_complaint_idx"),
            models.Index(fields=["promise", "-at"], name="timeline_promise_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d-%m-%Y %H:%M} {self.get_kind_display()}"

    @property
    def by_resident(self) -> bool:
        """The resident did this themselves (through their status link): the timeline
        names them, not the chase."""
        data = self.data or {}
        return self.actor_id is None and (
            data.get("by") == "resident" or data.get("via") == "status_link"
        )
