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


class RetentionPolicy(models.Model):
    """How long one housing corporation keeps what Woonrust holds about residents.

    A corporation without a row gets the defaults (`RetentionPolicy.for_corporation`).
    Nothing is removed for a corporation until someone has read the dry-run report and
    started retention (`started_at`): the first run deletes for good.
    """

    corporation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("housing corporation"),
        on_delete=models.CASCADE,
        related_name="retention_policy",
    )
    personal_data_months = models.PositiveSmallIntegerField(
        _("personal data: months after the project's end"),
        default=24,
        help_text=_("Residents' names, contact details, care needs and texts about them."),
    )
    photo_months = models.PositiveSmallIntegerField(
        _("photos: months after their claim closed"), default=12
    )
    message_months = models.PositiveSmallIntegerField(
        _("messages: months after they were written"),
        default=6,
        help_text=_("Recipients, addresses and texts of sent messages; the count stays."),
    )
    started_at = models.DateTimeField(_("retention started at"), null=True, blank=True)
    started_by = models.ForeignKey(
        User,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)
    updated_by = models.ForeignKey(
        User,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(personal_data_months__gte=1)
                & models.Q(photo_months__gte=1)
                & models.Q(message_months__gte=1),
                name="retention_months_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.corporation_id}: {self.personal_data_months}/{self.photo_months}"

    @classmethod
    def for_corporation(cls, corporation_id: int) -> RetentionPolicy:
        """The corporation's policy, or an unsaved one with the defaults."""
        found = cls.objects.filter(corporation_id=corporation_id).first()
        return found or cls(corporation_id=corporation_id)


class AnonymisedDwelling(models.Model):
    """Retention has anonymised everything at this address (written in the same
    transaction as the anonymisation, so a crash leaves either both or neither)."""

    dwelling = models.OneToOneField(
        "projects.Dwelling", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("anonymised dwelling")
        verbose_name_plural = _("anonymised dwellings")

    def __str__(self) -> str:
        return f"{self.dwelling_id}"


class FileToDelete(models.Model):
    """A stored file whose row is gone: deleted from storage after the commit, and by the
    next retention run if the process died first. The name is a storage path (random
    names, `cases.models.claims.photo_path`), never a person's name."""

    name = models.CharField(max_length=500, unique=True)
    queued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("file to delete")
        verbose_name_plural = _("files to delete")

    def __str__(self) -> str:
        return self.name


class RetentionRun(models.Model):
    """One run of the retention job: when, and how many of each it removed (counts only)."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    counts = models.JSONField(_("counts"), default=dict)
    complete = models.BooleanField(_("nothing left to do"), default=False)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%d-%m-%Y %H:%M}"
