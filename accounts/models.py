"""Organisations (housing corporations and contractors) and the people who work for them."""

from __future__ import annotations

import base64

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
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

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMINISTRATOR
