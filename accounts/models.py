"""Organisations (housing corporations and contractors) and the people who work for them."""

from __future__ import annotations

import base64
import datetime

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CORPORATION = "corporation", _("Housing corporation")
        CONTRACTOR = "contractor", _("Contractor")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    phone = models.CharField(
        _("phone number for residents"),
        max_length=30,
        blank=True,
        help_text=_("Shown to residents as the number to call."),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    # The corporation's face to residents: a small PNG, re-encoded on upload
    # (office/setup_forms.LogoForm), shown on the status page and printed on letters.
    # Kept in the database: a few kilobytes, no storage to configure or serve.
    logo = models.BinaryField(_("logo"), blank=True, default=b"", editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def logo_data_uri(self) -> str:
        """The logo as a `data:` address for an <img> (the pages' CSP allows data:
        images), or "" without one."""
        if not self.logo:
            return ""
        return "data:image/png;base64," + base64.b64encode(bytes(self.logo)).decode()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("role", User.Role.ADMINISTRATOR)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        # E-mail addresses are matched without regard to case.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who works on renovations. Logs in with an e-mail address.

    `role` says what the person does in their organisation. Which projects they may see
    follows from project team membership (see `projects.models.ProjectQuerySet`), except
    administrators, who see every project of their organisation.
    """

    class Role(models.TextChoices):
        SUPERVISOR = "supervisor", _("Site supervisor / resident liaison")
        HANDLER = "handler", _("Back-office handler")
        MANAGER = "manager", _("Project manager")
        ADMINISTRATOR = "admin", _("Administrator")
        # Answers residents' requests to see or erase their data (privacy/); sees no
        # work queue, only residents of their organisation's projects on the privacy pages.
        PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        help_text=_("Empty only for platform staff."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SUPERVISOR)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=[("nl", "Nederlands"), ("en", "English")],
        default="nl",
    )

    class Delivery(models.TextChoices):
        """How the chase's messages to this person go out over one channel."""

        OFF = "off", _("Not over this channel")
        IMMEDIATE = "immediate", _("At once, one message each")
        DIGEST = "digest", _("Together in one morning digest")

    # Empty: the role's default (handlers get a morning digest, everyone else each
    # message at once). E-mail cannot be switched off: the chase must reach somebody.
    email_delivery = models.CharField(
        _("messages by e-mail"),
        max_length=10,
        blank=True,
        choices=[
            (Delivery.IMMEDIATE.value, Delivery.IMMEDIATE.label),
            (Delivery.DIGEST.value, Delivery.DIGEST.label),
        ],
    )
    sms_delivery = models.CharField(
        _("messages by text message"),
        max_length=10,
        choices=Delivery.choices,
        default=Delivery.OFF,
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("May log in to the administration.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def first_name(self) -> str:
        """The only part of a name a resident is shown."""
        return (self.full_name or self.email).split()[0]

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.first_name

    def get_additional_data(self) -> dict:
        """Kept with each audit-trail entry (ids only): whose privacy officer may read it."""
        return {"organisation": self.organisation_id}

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def delivery(self, channel: str) -> str:
        """How chase messages reach this person over `channel` ("email" or "sms"):
        off, immediate or digest. Text messages need a phone number."""
        if channel == "sms":
            return self.sms_delivery if self.phone else self.Delivery.OFF
        if self.email_delivery:
            return self.email_delivery
        return self.Delivery.DIGEST if self.role == self.Role.HANDLER else self.Delivery.IMMEDIATE

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMINISTRATOR


class AbsenceQuerySet(models.QuerySet["Absence"]):
    def on(self, day: datetime.date) -> AbsenceQuerySet:
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class Absence(models.Model):
    """A person away from a date to a date (both included), and who covers for them:
    while away, the chase's reminders and the call tasks go to the deputy."""

    person = models.ForeignKey(
        User, verbose_name=_("who is away"), on_delete=models.CASCADE, related_name="absences"
    )
    deputy = models.ForeignKey(
        User, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="covers"
    )
    starts_on = models.DateField(_("away from"))
    ends_on = models.DateField(_("away until"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts_on", "pk"]
        indexes = [models.Index(fields=["ends_on", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after"
            ),
            models.CheckConstraint(
                condition=~models.Q(deputy=models.F("person")), name="absence_deputy_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.deputy} ({self.starts_on}–{self.ends_on})"

    def clean(self) -> None:
        super().clean()
        person, deputy = getattr(self, "person", None), getattr(self, "deputy", None)
        if person and deputy and person.organisation_id != deputy.organisation_id:
            raise ValidationError({"deputy": _("A deputy works for the same organisation.")})

    def projects_deputy_lacks(self) -> list:
        """The person's projects whose team the deputy is not on: there the deputy gets
        reminders for cases they cannot open until a manager adds them."""
        from projects.models import Project

        return list(
            Project.objects.filter(members__user=self.person)
            .exclude(members__user=self.deputy)
            .distinct()
            .order_by("name")
        )
