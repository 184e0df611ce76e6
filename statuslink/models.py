"""What residents tell us through their status link: how satisfied they are."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import DamageClaim
from projects.models import Project

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

# The resident may change their answer for this long after first giving it.
CHANGE_WINDOW = datetime.timedelta(days=7)


class SatisfactionQuerySet(models.QuerySet["SatisfactionAnswer"]):
    def visible_to(self, user: User | AnonymousUser) -> SatisfactionQuerySet:
        return self.filter(claim__project__in=Project.objects.visible_to(user))

    def summary(self) -> dict[str, float | int | None]:
        """For dashboards: how many answered, the mean score, and the share of 8 or more."""
        result = self.aggregate(
            answers=Count("id"), average=Avg("score"), satisfied=Count("id", filter=Q(score__gte=8))
        )
        answers = result["answers"]
        return {
            "answers": answers,
            "average": round(result["average"], 1) if result["average"] is not None else None,
            "satisfied_share": round(result["satisfied"] / answers, 3) if answers else None,
        }


class SatisfactionAnswer(models.Model):
    """The resident's answer to "How satisfied are you?" after their claim was settled.

    One per claim; changeable for CHANGE_WINDOW after it was first given."""

    claim = models.OneToOneField(
        DamageClaim,
        verbose_name=_("damage claim"),
        on_delete=models.CASCADE,
        related_name="satisfaction",
    )
    score = models.PositiveSmallIntegerField(_("score (1–10)"))
    remark = models.TextField(_("remark"), max_length=1000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    objects = SatisfactionQuerySet.as_manager()

    class Meta:
        verbose_name = _("satisfaction answer")
        verbose_name_plural = _("satisfaction answers")
        ordering = ["-answered_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=10), name="satisfaction_score_1_to_10"
            ),
        ]
        indexes = [models.Index(fields=["answered_at"], name="satisfaction_answered_idx")]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.score}"

    def may_change(self, now: datetime.datetime) -> bool:
        return now <= self.answered_at + CHANGE_WINDOW
