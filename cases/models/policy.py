"""Chase policy: deadlines and cadences per project, in working days."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.models import Project


class ChasePolicy(models.Model):
    """How hard the chase pushes in one project. Defaults are the brief's.

    A project without a row of its own is chased with these defaults
    (`ChasePolicy.for_project`).
    """

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="chase_policy"
    )
    # Damage claims.
    claim_contact_days = models.PositiveSmallIntegerField(
        _("claim: a person contacts the resident within (working days)"), default=2
    )
    claim_decision_days = models.PositiveSmallIntegerField(
        _("claim: decision within (working days)"), default=5
    )
    claim_settle_days = models.PositiveSmallIntegerField(
        _("claim: settled within (working days)"), default=20
    )
    expert_threshold = models.DecimalField(
        _("claims above this amount go to the insurer's expert (EUR)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("10000.00"),
    )
    objection_days = models.PositiveSmallIntegerField(
        _("claim: resident may object to a rejection within (working days)"), default=30
    )
    expert_report_days = models.PositiveSmallIntegerField(
        _("claim: the expert reports within (working days)"), default=10
    )
    resident_answer_days = models.PositiveSmallIntegerField(
        _("claim: the resident answers an offer or a repair date within (working days)"),
        default=5,
    )
    # Reminders and escalation.
    reminder_every_days = models.PositiveSmallIntegerField(
        _("remind every (working days) once a step is due"), default=2
    )
    escalate_to_manager_after = models.PositiveSmallIntegerField(
        _("escalate to the project manager after (missed reminders)"), default=2
    )
    escalate_to_corporation_after = models.PositiveSmallIntegerField(
        _("escalate to the corporation after (missed reminders)"), default=4
    )
    appointment_confirm_days = models.PositiveSmallIntegerField(
        _("appointment at home: ask an unanswered resident to confirm (working days before)"),
        default=5,
        help_text=_(
            "Still unanswered two working days before the appointment, the project's "
            "handlers are reminded to call the resident."
        ),
    )
    resident_update_days = models.PositiveSmallIntegerField(
        _("update the resident after (working days without news)"), default=10
    )
    # Complaints (two stages).
    complaint_acknowledge_days = models.PositiveSmallIntegerField(
        _("complaint: acknowledge within (working days)"), default=5
    )
    complaint_answer_days = models.PositiveSmallIntegerField(
        _("complaint stage 1: answer within (working days after acknowledgement)"), default=10
    )
    complaint_extension_days = models.PositiveSmallIntegerField(
        _("complaint stage 1: one extension of at most (working days)"), default=10
    )
    complaint_stage2_answer_days = models.PositiveSmallIntegerField(
        _("complaint stage 2: answer within (working days after acknowledgement)"), default=20
    )
    complaint_close_after_days = models.PositiveSmallIntegerField(
        _("complaint: close an answered complaint after (working days without escalation)"),
        default=20,
    )
    # Promises.
    promise_escalate_days = models.PositiveSmallIntegerField(
        _("promise: escalate (working days after the due date)"), default=2
    )
    # Office hours, Europe/Amsterdam: messages go out only between these hours.
    office_opens_hour = models.PositiveSmallIntegerField(_("office opens (hour)"), default=8)
    office_closes_hour = models.PositiveSmallIntegerField(_("office closes (hour)"), default=18)

    class Meta:
        verbose_name = _("chase policy")
        verbose_name_plural = _("chase policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(office_opens_hour__lt=models.F("office_closes_hour"))
                & Q(office_closes_hour__lte=24),
                name="policy_office_hours_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    escalate_to_corporation_after__gt=models.F("escalate_to_manager_after")
                ),
                name="policy_ladder_ascends",
            ),
            models.CheckConstraint(
                condition=Q(expert_threshold__gte=Decimal(0)), name="policy_threshold_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Chase policy of %(project)s") % {"project": self.project})

    @classmethod
    def for_project(cls, project: Project) -> ChasePolicy:
        """The project's policy, or an unsaved one with the defaults."""
        try:
            return project.chase_policy
        except cls.DoesNotExist:
            return cls(project=project)
