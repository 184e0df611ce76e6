"""The notification outbox: one row per message, written in the transaction that caused it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from residents.models import Resident

from .claims import DamageClaim
from .complaints import Complaint
from .promises import Promise


class Notification(models.Model):
    """A message to one person over one channel, sent exactly once per purpose.

    `key` names the purpose (case, step, ladder level, recipient, channel); the unique
    constraint on it is what makes a second sweep, a retry or a second worker unable
    to write the same message twice.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Not sent: the case no longer wanted it when delivery looked (provider_answer
        # says why, e.g. the claim was withdrawn since the reminder was written).
        CANCELLED = "cancelled", _("Cancelled")

    key = models.CharField(_("key"), max_length=200, unique=True)
    claim = models.ForeignKey(
        DamageClaim,
        verbose_name=_("damage claim"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    promise = models.ForeignKey(
        Promise,
        verbose_name=_("promise"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    purpose = models.CharField(_("purpose"), max_length=50)
    recipient_user = models.ForeignKey(
        User,
        verbose_name=_("recipient (staff)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    recipient_resident = models.ForeignKey(
        Resident,
        verbose_name=_("recipient (resident)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    to = models.CharField(_("address or number"), max_length=254)
    language = models.CharField(_("language"), max_length=10, default="nl")
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    provider_answer = models.TextField(_("provider's answer"), blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    # Not before this moment (office hours); also the back-off after a failed attempt.
    send_after = models.DateTimeField(_("send after"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # When a delivery task was last published for this row; the sweep publishes again
    # only rows that were never published or whose task went missing.
    dispatched_at = models.DateTimeField(_("handed to the queue at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            # The re-dispatch of messages that never left: pending rows by due moment.
            models.Index(
                fields=["send_after"],
                condition=Q(status="pending"),
                name="notification_pending_idx",
            ),
            # The sweep's look for messages no task carries (outbox.stale): never handed
            # to the broker, or handed over long ago. Rows on their way are not read.
            models.Index(
                fields=["dispatched_at"],
                condition=Q(status="pending"),
                name="notification_dispatch_idx",
            ),
            models.Index(fields=["claim", "-created_at"], name="notification_claim_idx"),
            models.Index(fields=["complaint", "-created_at"], name="notification_complaint_idx"),
            models.Index(fields=["promise", "-created_at"], name="notification_promise_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} → {self.to} ({self.get_status_display()})"
