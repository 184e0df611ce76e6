"""Complaints, handled in two stages as mature complaint codes prescribe."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .base import Case, case_indexes


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# An answered complaint stays open while the resident may still escalate it.
COMPLAINT_OPEN_STATUSES = (
    ComplaintStatus.RECEIVED,
    ComplaintStatus.ACKNOWLEDGED,
    ComplaintStatus.ANSWERED,
)


class Complaint(Case):
    PREFIX = "K"

    Status = ComplaintStatus
    OPEN_STATUSES = COMPLAINT_OPEN_STATUSES

    class Category(models.TextChoices):
        NOISE = "noise", _("Noise")
        DUST = "dust", _("Dust")
        ACCESS = "access", _("Access")
        PLANNING = "planning", _("Planning")
        BEHAVIOUR = "behaviour", _("Behaviour")
        CLEANLINESS = "cleanliness", _("Cleanliness")
        OTHER = "other", _("Other")

    class Stage(models.IntegerChoices):
        FIRST = 1, _("Stage 1")
        SECOND = 2, _("Stage 2")

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    description = models.TextField(_("description"), max_length=2000)
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage.choices, default=Stage.FIRST)
    stage_one_handler = models.ForeignKey(
        User,
        verbose_name=_("stage 1 handler"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    extended = models.BooleanField(_("answer deadline extended"), default=False)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    resolution = models.TextField(_("answer"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    status_token = models.CharField(
        _("status link token"), max_length=64, unique=True, null=True, blank=True
    )
    # The status link (statuslink/tokens.py): `status_token` holds the SHA-256 of the
    # link's token, never the token; the token is derived from `status_link_secret` with
    # a key the database does not hold. Empty secret: no link (or revoked).
    status_link_secret = models.CharField(_("status link secret"), max_length=64, blank=True)
    status_link_issued_at = models.DateTimeField(_("status link issued at"), null=True, blank=True)
    status_link_revoked_at = models.DateTimeField(
        _("status link revoked at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=[1, 2]), name="complaint_stage_1_or_2"),
            # Stage 2 is handled by someone other than the stage 1 handler.
            models.CheckConstraint(
                condition=Q(stage=1)
                | Q(handler__isnull=True)
                | Q(stage_one_handler__isnull=True)
                | ~Q(handler=F("stage_one_handler")),
                name="complaint_stage_2_other_handler",
            ),
            models.CheckConstraint(
                condition=Q(extended=False) | ~Q(extension_reason=""),
                name="complaint_extension_has_reason",
            ),
        ]
        indexes = case_indexes("complaint", COMPLAINT_OPEN_STATUSES)
