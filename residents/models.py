"""Residents of dwellings, their care needs and contact preferences, and site visits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from projects.models import Dwelling, Project

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class ResidentQuerySet(models.QuerySet["Resident"]):
    def visible_to(self, user: User | AnonymousUser) -> ResidentQuerySet:
        return self.filter(dwelling__project__in=Project.objects.visible_to(user))


class Resident(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("Text message")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone call")
        LETTER = "letter", _("Letter")

    dwelling = models.ForeignKey(
        Dwelling, verbose_name=_("dwelling"), on_delete=models.CASCADE, related_name="residents"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=[("nl", "Nederlands"), ("en", "English")],
        default="nl",
    )
    contact_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=Channel.choices, default=Channel.SMS
    )
    is_main_contact = models.BooleanField(_("main contact for the dwelling"), default=True)
    non_essential_messages = models.BooleanField(
        _("wants updates"),
        default=True,
        help_text=_("Off: only messages about decisions and deadlines, no progress updates."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["dwelling"]),
            models.Index(fields=["last_name"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_additional_data(self) -> dict:
        """Kept with each audit-trail entry (ids only): whose privacy officer may read it."""
        return {"project": self.dwelling.project_id}


class CareNeed(models.Model):
    """Something the team must take into account with this resident.

    Sensitive personal data: record only what the work needs.
    """

    class Kind(models.TextChoices):
        ELDERLY = "elderly", _("Elderly")
        MOBILITY = "mobility", _("Reduced mobility")
        HEARING = "hearing", _("Hard of hearing")
        SIGHT = "sight", _("Visually impaired")
        MEDICAL_EQUIPMENT = "medical_equipment", _("Medical equipment at home")
        NIGHT_WORK = "night_work", _("Works nights")
        PETS = "pets", _("Pets")
        LANGUAGE = "language", _("Language: needs help with Dutch")
        OTHER = "other", _("Other")

    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="care_needs"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("care need")
        verbose_name_plural = _("care needs")
        constraints = [
            models.UniqueConstraint(fields=["resident", "kind"], name="care_need_unique_kind"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def get_additional_data(self) -> dict:
        """Kept with each audit-trail entry: erasure finds her entries by `resident`."""
        return {"resident": self.resident_id, "project": self.resident.dwelling.project_id}


class VisitQuerySet(models.QuerySet["Visit"]):
    def visible_to(self, user: User | AnonymousUser) -> VisitQuerySet:
        return self.filter(dwelling__project__in=Project.objects.visible_to(user))


class Visit(models.Model):
    class Kind(models.TextChoices):
        ROUND = "round", _("Daily round")
        INTAKE = "intake", _("Intake")
        ANNOUNCEMENT = "announcement", _("Announcement of works")
        HANDOVER = "handover", _("Handover")

    class Outcome(models.TextChoices):
        SPOKEN = "spoken", _("Spoke to the resident")
        NOT_HOME = "not_home", _("Not at home")
        CARD_LEFT = "card_left", _("Left a card")
        WORK_CHECKED = "work_checked", _("Checked the work")

    class Mood(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        NEUTRAL = "neutral", _("Neutral")
        WORRIED = "worried", _("Worried")
        ANGRY = "angry", _("Angry")

    dwelling = models.ForeignKey(
        Dwelling, verbose_name=_("dwelling"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_by = models.ForeignKey(
        User, verbose_name=_("visited by"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_at = models.DateTimeField(_("visited at"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ROUND)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.SPOKEN
    )
    mood = models.CharField(
        _("resident's mood"), max_length=20, choices=Mood.choices, blank=True, default=""
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    # Generated on the phone; a replayed or double-tapped submission hits the unique
    # constraint instead of creating a second visit.
    submission_id = models.UUIDField(_("submission id"), unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at"]
        indexes = [models.Index(fields=["dwelling", "-visited_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.dwelling.address} {self.visited_at:%d-%m-%Y}"
