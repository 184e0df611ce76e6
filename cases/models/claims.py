"""Damage claims and their photos."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .base import Case, CaseQuerySet, case_indexes


class ClaimStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ASSESSING = "assessing", _("Being assessed")
    WAITING_RESIDENT = "waiting_resident", _("Waiting for the resident")
    WAITING_EXPERT = "waiting_expert", _("Waiting for the expert")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")
    REPAIR_PLANNED = "repair_planned", _("Repair planned")
    COMPENSATION_OFFERED = "compensation_offered", _("Compensation offered")
    REPAIRED = "repaired", _("Repaired")
    PAID = "paid", _("Paid")
    SETTLED = "settled", _("Settled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A rejected claim stays open while the resident may still object; the chase
# closes it when the objection period has passed.
CLAIM_OPEN_STATUSES = (
    ClaimStatus.REPORTED,
    ClaimStatus.ASSESSING,
    ClaimStatus.WAITING_RESIDENT,
    ClaimStatus.WAITING_EXPERT,
    ClaimStatus.ACCEPTED,
    ClaimStatus.PARTLY_ACCEPTED,
    ClaimStatus.REJECTED,
    ClaimStatus.REPAIR_PLANNED,
    ClaimStatus.COMPENSATION_OFFERED,
    ClaimStatus.REPAIRED,
    ClaimStatus.PAID,
)


class ResidentAnswer(models.TextChoices):
    """The resident's answer to an offered amount or a planned repair date."""

    AWAITED = "awaited", _("Waiting for the resident's answer")
    ACCEPTED = "accepted", _("Accepted by the resident")
    DECLINED = "declined", _("Declined by the resident")


# The steps in which the handler's proposal waits for the resident's yes or no.
ANSWERABLE_STATUSES = (ClaimStatus.REPAIR_PLANNED, ClaimStatus.COMPENSATION_OFFERED)


class ClaimQuerySet(CaseQuerySet):
    def open(self) -> ClaimQuerySet:
        """Open claims: an open status, and not a rejection whose objection period is over."""
        return super().open().filter(closed_at__isnull=True)


class DamageClaim(Case):
    """Damage a resident suffered because of the works, followed until settled.

    A rejected claim keeps its status (the decision stays readable) but is closed by the
    chase when the objection period has passed: `closed_at` is set and `next_chase_at`
    cleared, and `open()` / `is_open` no longer count it.
    """

    PREFIX = "S"

    Status = ClaimStatus
    OPEN_STATUSES = CLAIM_OPEN_STATUSES
    # The resident's answer is the lifecycle's too: a stale full-row save keeps it.
    CHASE_FIELDS = (*Case.CHASE_FIELDS, "resident_answer")
    Answer = ResidentAnswer

    class Room(models.TextChoices):
        LIVING_ROOM = "living_room", _("Living room")
        KITCHEN = "kitchen", _("Kitchen")
        BATHROOM = "bathroom", _("Bathroom")
        TOILET = "toilet", _("Toilet")
        BEDROOM = "bedroom", _("Bedroom")
        HALLWAY = "hallway", _("Hallway / stairs")
        ATTIC = "attic", _("Attic / storage")
        BALCONY_GARDEN = "balcony_garden", _("Balcony / garden")
        OUTSIDE = "outside", _("Outside / facade")
        OTHER = "other", _("Other")

    class DamageKind(models.TextChoices):
        FLOOR = "floor", _("Floor")
        WALL = "wall", _("Wall / ceiling")
        FURNITURE = "furniture", _("Furniture")
        APPLIANCE = "appliance", _("Appliance / electronics")
        DOOR_WINDOW = "door_window", _("Door / window")
        PLANTS = "plants", _("Garden / plants")
        BELONGINGS = "belongings", _("Other belongings")
        OTHER = "other", _("Other")

    class Party(models.TextChoices):
        UNKNOWN = "unknown", _("Not yet known")
        CONTRACTOR = "contractor", _("Contractor")
        SUBCONTRACTOR = "subcontractor", _("Subcontractor")
        CORPORATION = "corporation", _("Housing corporation")
        INSURER = "insurer", _("Insurer")

    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.REPORTED
    )
    damage_kind = models.CharField(
        _("what is damaged"), max_length=20, choices=DamageKind.choices, default=DamageKind.OTHER
    )
    room = models.CharField(_("where"), max_length=20, choices=Room.choices, default=Room.OTHER)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    occurred_on = models.DateField(_("damage occurred on"), default=timezone.localdate)
    amount_claimed = models.DecimalField(
        _("amount claimed (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    amount_offered = models.DecimalField(
        _("amount offered (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    amount_paid = models.DecimalField(
        _("amount paid (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    responsible_party = models.CharField(
        _("responsible party"), max_length=20, choices=Party.choices, default=Party.UNKNOWN
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    repair_date = models.DateField(_("repair date"), null=True, blank=True)
    resident_accepted = models.BooleanField(_("resident accepted"), null=True, blank=True)
    objection_used = models.BooleanField(_("objection used"), default=False)
    # The resident's yes or no to the offered amount or the planned repair date (empty:
    # nothing asked, e.g. a claim without a resident). Set by cases/services only.
    resident_answer = models.CharField(
        _("resident's answer"), max_length=10, choices=ResidentAnswer, blank=True
    )
    resident_answer_at = models.DateTimeField(_("resident answered at"), null=True, blank=True)
    resident_answer_reason = models.TextField(_("resident's reason"), max_length=1000, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
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
    # Chase bookkeeping added with the lifecycle (see cases/services/claims.py).
    objection_deadline = models.DateTimeField(_("objection possible until"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    settle_due_at = models.DateTimeField(_("to be settled by"), null=True, blank=True)
    # The handler's deadline while the clock is paused (waiting for the resident or expert).
    paused_due_at = models.DateTimeField(_("paused deadline"), null=True, blank=True)
    expert_name = models.CharField(_("expert"), max_length=200, blank=True)
    expert_email = models.EmailField(_("expert's e-mail address"), blank=True)
    expert_requested_at = models.DateTimeField(_("expert requested at"), null=True, blank=True)
    expert_reported_at = models.DateTimeField(_("expert reported at"), null=True, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("damage claim")
        verbose_name_plural = _("damage claims")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_claimed__isnull=True) | Q(amount_claimed__gte=Decimal(0)),
                name="claim_amount_claimed_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_offered__isnull=True) | Q(amount_offered__gte=Decimal(0)),
                name="claim_amount_offered_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_paid__isnull=True) | Q(amount_paid__gte=Decimal(0)),
                name="claim_amount_paid_not_negative",
            ),
        ]
        indexes = case_indexes("claim", CLAIM_OPEN_STATUSES)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES and self.closed_at is None

    @property
    def awaits_resident_answer(self) -> bool:
        """The handler offered an amount or a repair date and the resident has not said
        yes or no yet: the chase follows the resident."""
        return (
            self.is_open
            and self.status in ANSWERABLE_STATUSES
            and self.resident_answer == ResidentAnswer.AWAITED
        )


def photo_path(instance: ClaimPhoto, filename: str) -> str:
    # Never reuse the uploaded name: it may carry personal data or path tricks.
    return f"claims/{instance.claim_id}/{uuid.uuid4().hex}.jpg"


def thumbnail_path(instance: ClaimPhoto, filename: str) -> str:
    return f"claims/{instance.claim_id}/thumbs/{uuid.uuid4().hex}.jpg"


class ClaimPhoto(models.Model):
    """A photo of the damage, re-encoded without metadata; served only after an access check."""

    claim = models.ForeignKey(
        DamageClaim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=photo_path)
    thumbnail = models.FileField(_("thumbnail"), upload_to=thumbnail_path, blank=True)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        User,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    submission_id = models.UUIDField(_("submission id"), unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("claim photo")
        verbose_name_plural = _("claim photos")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"{self.claim.number} photo {self.pk}"
