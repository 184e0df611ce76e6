"""Renovation projects, their teams, and the dwellings (addresses) in them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")


def normalise_postcode(value: str) -> str:
    """'1234ab' and '1234 AB ' become '1234 AB'; anything else raises ValidationError."""
    match = POSTCODE_RE.match(value or "")
    if not match:
        raise ValidationError(
            _("Enter a Dutch postcode: four digits and two letters, like 1234 AB."),
            code="postcode",
        )
    return f"{match.group(1)} {match.group(2).upper()}"


class ProjectQuerySet(models.QuerySet["Project"]):
    def visible_to(self, user: User | AnonymousUser) -> ProjectQuerySet:
        """The projects this user may see: the single rule every view goes through.

        Platform staff (superusers) see everything; an organisation's administrators
        see every project their organisation takes part in; everyone else sees the
        projects whose team they are on, and only while their organisation takes part.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.organisation_id is None:
            return self.none()
        of_my_org = Q(corporation_id=user.organisation_id) | Q(contractor_id=user.organisation_id)
        if user.role == User.Role.ADMINISTRATOR:
            return self.filter(of_my_org)
        on_team = ProjectMember.objects.filter(user=user).values("project_id")
        return self.filter(of_my_org, id__in=on_team)


class Project(models.Model):
    class Phase(models.TextChoices):
        PREPARATION = "preparation", _("Preparation")
        EXECUTION = "execution", _("Execution")
        COMPLETION = "completion", _("Completion")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    corporation = models.ForeignKey(
        Organisation,
        verbose_name=_("housing corporation"),
        on_delete=models.PROTECT,
        related_name="projects_as_corporation",
        limit_choices_to={"kind": Organisation.Kind.CORPORATION},
    )
    contractor = models.ForeignKey(
        Organisation,
        verbose_name=_("contractor"),
        on_delete=models.PROTECT,
        related_name="projects_as_contractor",
        limit_choices_to={"kind": Organisation.Kind.CONTRACTOR},
    )
    city = models.CharField(_("city"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.PREPARATION
    )
    corporation_contact = models.ForeignKey(
        User,
        verbose_name=_("corporation contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Last step of the escalation ladder."),
    )
    resident_phone = models.CharField(
        _("phone number for residents"),
        max_length=30,
        blank=True,
        help_text=_(
            "The number on the status page, in messages and letters. Empty: the "
            "corporation's number."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="project_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def phone_for_residents(self) -> str:
        """The number residents are told to call: the project's own, else the
        corporation's, else the contractor's (empty when none has one)."""
        return self.resident_phone or self.corporation.phone or self.contractor.phone

    def team(self, role: str) -> models.QuerySet[User]:
        return User.objects.filter(memberships__project=self, memberships__role=role)


class ProjectMember(models.Model):
    """A person on a project's team, in one role."""

    class Role(models.TextChoices):
        SUPERVISOR = "supervisor", _("Site supervisor")
        HANDLER = "handler", _("Handler")
        MANAGER = "manager", _("Project manager")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user", "role"], name="project_member_unique"
            ),
        ]
        indexes = [models.Index(fields=["user", "project"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) – {self.project}"


class DwellingQuerySet(models.QuerySet["Dwelling"]):
    def visible_to(self, user: User | AnonymousUser) -> DwellingQuerySet:
        return self.filter(project__in=Project.objects.visible_to(user))


class Dwelling(models.Model):
    """One address in a project."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="dwellings"
    )
    street = models.CharField(_("street"), max_length=200)
    number = models.PositiveIntegerField(_("house number"))
    addition = models.CharField(_("addition"), max_length=10, blank=True, default="")
    postcode = models.CharField(_("postcode"), max_length=7)
    city = models.CharField(_("city"), max_length=100)
    block = models.CharField(_("block / entrance"), max_length=50, blank=True, default="")
    external_ref = models.CharField(
        _("corporation's reference"),
        max_length=50,
        blank=True,
        default="",
        help_text=_("The dwelling's number in the corporation's own system."),
    )

    objects = DwellingQuerySet.as_manager()

    class Meta:
        verbose_name = _("dwelling")
        verbose_name_plural = _("dwellings")
        ordering = ["street", "number", "addition"]
        constraints = [
            # An address (postcode + number + addition identifies it in NL) is unique
            # within a project.
            models.UniqueConstraint(
                fields=["project", "postcode", "number", "addition"],
                name="dwelling_address_unique_in_project",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="dwelling_number_positive"),
        ]
        indexes = [
            models.Index(fields=["project", "street", "number"]),
            models.Index(fields=["postcode", "number"]),
        ]

    def __str__(self) -> str:
        return f"{self.address}, {self.postcode} {self.city}"

    @property
    def house_number(self) -> str:
        return f"{self.number}{'-' + self.addition if self.addition else ''}"

    @property
    def address(self) -> str:
        return f"{self.street} {self.house_number}"

    def get_additional_data(self) -> dict:
        """Kept with each audit-trail entry (ids only): whose privacy officer may read it."""
        return {"project": self.project_id}

    def clean(self) -> None:
        super().clean()
        if self.postcode:
            self.postcode = normalise_postcode(self.postcode)
        self.addition = (self.addition or "").strip().upper()


class WorkWindow(models.Model):
    """Planned works in one dwelling, e.g. "kitchen, 12–14 March".

    When someone must enter the home (`needs_access`), the resident is asked on their
    status page to confirm the appointment or to ask to move it (statuslink/answers.py);
    a request to move becomes a promise that the chase follows until someone handles it.
    """

    class Answer(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed by the resident")
        MOVE_ASKED = "move_asked", _("The resident asks to move it")

    dwelling = models.ForeignKey(
        Dwelling, verbose_name=_("dwelling"), on_delete=models.CASCADE, related_name="work_windows"
    )
    description = models.CharField(_("work"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.TextField(_("note"), blank=True)
    needs_access = models.BooleanField(
        _("someone must enter the home"),
        default=False,
        help_text=_("The resident is asked to confirm the appointment on their status page."),
    )
    resident_answer = models.CharField(
        _("resident's answer"), max_length=12, choices=Answer.choices, blank=True
    )
    resident_answer_at = models.DateTimeField(_("resident answered at"), null=True, blank=True)
    resident_answer_note = models.TextField(_("resident's wish"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("work window")
        verbose_name_plural = _("work windows")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="work_window_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["dwelling", "starts_on"]),
            # The chase's question: which appointments at home are still unanswered.
            models.Index(
                fields=["starts_on"],
                condition=Q(needs_access=True, resident_answer=""),
                name="work_window_unanswered_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.starts_on:%d-%m-%Y} – {self.ends_on:%d-%m-%Y})"
