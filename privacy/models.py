"""What the privacy officer did: one row per export or erasure of a resident's data.

The rows hold ids and choices only, never a name or a free text, so they may be kept
after the resident's data is gone and still answer "who did what to whose data, when".
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from residents.models import Resident


class PrivacyRequest(models.Model):
    class Kind(models.TextChoices):
        EXPORT = "export", _("Data export (right of access)")
        ERASURE = "erasure", _("Erasure")

    class Requester(models.TextChoices):
        RESIDENT = "resident", _("The resident")
        REPRESENTATIVE = "representative", _("A legal representative of the resident")
        CORPORATION = "corporation", _("The housing corporation")

    class Reason(models.TextChoices):
        REQUEST = "request", _("The resident asked for erasure (Art. 17 GDPR)")
        OBJECTION = "objection", _("The resident objected to the processing (Art. 21 GDPR)")
        NOT_NEEDED = "not_needed", _("The data is no longer needed")
        UNLAWFUL = "unlawful", _("The data was processed unlawfully")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The resident row outlives an erasure (anonymised), but `resident_number` keeps the
    # id even if the dwelling, and with it the row, is deleted later.
    resident = models.ForeignKey(
        Resident,
        verbose_name=_("resident"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    resident_number = models.PositiveBigIntegerField(_("resident number"))
    requested_by = models.CharField(
        _("asked by"), max_length=20, choices=Requester.choices, default=Requester.RESIDENT
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    done_by = models.ForeignKey(
        User, verbose_name=_("done by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        ordering = ["-at"]
        indexes = [models.Index(fields=["resident_number", "-at"], name="privacy_resident_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="export") | ~models.Q(reason=""),
                name="privacy_erasure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.resident_number} {self.at:%d-%m-%Y}"
