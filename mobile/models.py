"""What the phone app keeps about itself: the log of who looked at care needs."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from residents.models import Resident


class CareNeedAccess(models.Model):
    """One person saw one resident's care needs (special-category data, GDPR Art. 9).

    Holds no care-need text: who, whose, when, through which page. Append-only.
    """

    user = models.ForeignKey(
        User, verbose_name=_("seen by"), on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    purpose = models.CharField(_("purpose"), max_length=50, default="site visit")

    class Meta:
        verbose_name = _("care-need access")
        verbose_name_plural = _("care-need accesses")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["resident", "-at"], name="careaccess_resident_idx"),
            models.Index(fields=["user", "-at"], name="careaccess_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d-%m-%Y %H:%M} {self.user_id} → {self.resident_id}"


def care_needs_seen(*, by: User, residents: Iterable[Resident], purpose: str) -> None:
    """Log that `by` was shown the care needs of these residents: one row each.

    Every page that shows care-need details calls this (the phone's care page, the
    admin), so the log answers "who saw whose care needs" for all of them.
    """
    CareNeedAccess.objects.bulk_create(
        CareNeedAccess(user=by, resident=r, purpose=purpose) for r in residents
    )
    # Unusually many in a day: the privacy officer is told (once per user per day).
    from privacy.alerts import care_reads_check

    care_reads_check(user=by)
