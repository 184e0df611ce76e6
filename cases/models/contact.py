"""What stands in for a message when a resident gets none: a call to make, a letter to post.

The chase never pretends a resident was written to. A resident who must be called
(who asked for calls, or left no number for texts and no e-mail address) gets a
`CallTask` for a person; one who asked for paper gets a `Letter` for the day's print
batch. Both hold the text the message would have had, and a unique `key` built like a
notification's (`…/resident-7/call`, `…/resident-7/letter`), written with
`ON CONFLICT DO NOTHING` in the transaction that changes the case: a second sweep or
worker cannot make the same call task or letter twice.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from projects.models import Dwelling, Project
from residents.models import Resident

from .claims import DamageClaim
from .complaints import Complaint
from .promises import Promise

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .base import Case


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> ContactQuerySet:
        return self.filter(project__in=Project.objects.visible_to(user))


def _one_case() -> Q:
    return (
        Q(claim__isnull=False, complaint__isnull=True, promise__isnull=True)
        | Q(claim__isnull=True, complaint__isnull=False, promise__isnull=True)
        | Q(claim__isnull=True, complaint__isnull=True, promise__isnull=False)
    )


class ContactBase(models.Model):
    """What a call task and a letter share: the case, the resident and what to tell."""

    key = models.CharField(_("key"), max_length=220, unique=True)
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    dwelling = models.ForeignKey(
        Dwelling, verbose_name=_("dwelling"), on_delete=models.CASCADE, related_name="+"
    )
    claim = models.ForeignKey(
        DamageClaim,
        verbose_name=_("damage claim"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    promise = models.ForeignKey(
        Promise,
        verbose_name=_("promise"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    resident = models.ForeignKey(
        Resident,
        verbose_name=_("resident"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    purpose = models.CharField(_("purpose"), max_length=50)
    language = models.CharField(_("language"), max_length=10, default="nl")
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("what to tell"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    objects = ContactQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def case(self) -> Case | None:
        return self.claim or self.complaint or self.promise

    @property
    def case_kind(self) -> str:
        if self.claim_id:
            return "claim"
        return "complaint" if self.complaint_id else "promise"


class CallTaskQuerySet(ContactQuerySet):
    def open(self) -> CallTaskQuerySet:
        return self.filter(done_at__isnull=True)


class CallTask(ContactBase):
    """A resident to call, by a person, with what to tell them; done with the outcome."""

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached")
        NOT_REACHED = "not_reached", _("Not reached")

    # Whose call it is: the case's handler (the promise's owner for a promise). Empty:
    # the case has nobody yet, and the project's handlers share it.
    assigned_to = models.ForeignKey(
        User,
        verbose_name=_("to be called by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="call_tasks",
    )
    # Not before this moment (office hours; a retry: the next working day).
    due_at = models.DateTimeField(_("call from"), default=timezone.now)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        User,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = CallTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("call task")
        verbose_name_plural = _("call tasks")
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=_one_case(), name="call_task_one_case"),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, outcome="")
                | (Q(done_at__isnull=False) & ~Q(outcome="")),
                name="call_task_done_has_outcome",
            ),
        ]
        indexes = [
            # "Te bellen": a person's open tasks, and a project's (managers, the unassigned).
            models.Index(
                fields=["assigned_to", "due_at"],
                condition=Q(done_at__isnull=True),
                name="call_task_open_person_idx",
            ),
            models.Index(
                fields=["project", "due_at"],
                condition=Q(done_at__isnull=True),
                name="call_task_open_project_idx",
            ),
            models.Index(fields=["claim", "-created_at"], name="call_task_claim_idx"),
            models.Index(fields=["complaint", "-created_at"], name="call_task_complaint_idx"),
            models.Index(fields=["promise", "-created_at"], name="call_task_promise_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_outcome_display() or _('to call')})"

    @property
    def is_open(self) -> bool:
        return self.done_at is None


class LetterQuerySet(ContactQuerySet):
    def unposted(self) -> LetterQuerySet:
        return self.filter(posted_at__isnull=True)

    def due(self, day: datetime.date) -> LetterQuerySet:
        """The print batch of `day`: every letter due by then and not yet posted."""
        return self.unposted().filter(due_on__lte=day)


class Letter(ContactBase):
    """A message on paper for a resident who asked for letters; printed in the day's
    batch and marked posted by the person who put it in the post."""

    # The working day whose print batch it is in (written after office hours: the next).
    due_on = models.DateField(_("print on"), default=timezone.localdate)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    posted_by = models.ForeignKey(
        User,
        verbose_name=_("posted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["due_on", "pk"]
        constraints = [models.CheckConstraint(condition=_one_case(), name="letter_one_case")]
        indexes = [
            models.Index(
                fields=["project", "due_on"],
                condition=Q(posted_at__isnull=True),
                name="letter_unposted_idx",
            ),
            models.Index(fields=["claim", "-created_at"], name="letter_claim_idx"),
            models.Index(fields=["complaint", "-created_at"], name="letter_complaint_idx"),
            models.Index(fields=["promise", "-created_at"], name="letter_promise_idx"),
        ]

    def __str__(self) -> str:
        return self.subject
