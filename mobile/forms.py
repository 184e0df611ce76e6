"""The four phone forms (visit, promise, complaint, damage) and the photo form.

Forms validate and normalise; the views hand the cleaned values to the services.
Choices render as tap chips with a default chosen, free text is optional where the
record allows it, and dates default to the day the form was filled in on the phone.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Complaint, DamageClaim
from cases.photos import CleanPhoto, PhotoRejected, clean_photo
from residents.models import Resident, Visit

# How far an entered-on-the-phone moment may lie from the server's clock: a phone queues
# offline work for days at most, and its clock may run a little fast.
ENTERED_AT_MAX_AGE = datetime.timedelta(days=14)
ENTERED_AT_MAX_AHEAD = datetime.timedelta(minutes=10)
MAX_PHOTOS_PER_UPLOAD = 10
NO_RESIDENT = "none"


def parse_submission_id(*values: str | None) -> uuid.UUID | None:
    """The first value that is a UUID, else None. Phones send it as a hidden field and
    as the Idempotency-Key header."""
    for value in values:
        if not value or len(value) > 64:
            continue
        try:
            return uuid.UUID(value)
        except ValueError:
            continue
    return None


def photo_ids(submission_id: uuid.UUID, count: int) -> list[uuid.UUID]:
    """One stable id per photo of a submission, so a replay re-sends the same photos under
    the same ids and the server stores each once."""
    return [uuid.uuid5(submission_id, f"photo-{i}") for i in range(count)]


class DateField(forms.DateField):
    widget = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one input; each is decoded and re-encoded in `clean`."""

    widget = MultipleFileInput(
        attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}
    )

    def clean(self, data: Any, initial: Any = None) -> list[CleanPhoto]:
        uploads: Sequence[UploadedFile] = (
            [f for f in data if f] if isinstance(data, list | tuple) else ([data] if data else [])
        )
        if not uploads:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > MAX_PHOTOS_PER_UPLOAD:
            raise forms.ValidationError(
                _("Send at most %(n)d photos at a time."),
                code="too_many",
                params={"n": MAX_PHOTOS_PER_UPLOAD},
            )
        cleaned, errors = [], []
        for number, upload in enumerate(uploads, start=1):
            try:
                cleaned.append(clean_photo(upload))
            except PhotoRejected as rejected:
                errors.append(
                    forms.ValidationError(
                        _("Photo %(number)d: %(reason)s"),
                        code=rejected.code,
                        params={"number": number, "reason": rejected.message},
                    )
                )
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def chips(choices: Sequence[tuple[str, Any]], *, label: Any, initial: str, required: bool = True):
    return forms.ChoiceField(
        label=label, choices=choices, initial=initial, required=required, widget=forms.RadioSelect
    )


class MobileForm(forms.Form):
    """What every phone form has: the moment it was filled in on the phone, and the
    resident it concerns (default: the dwelling's main contact)."""

    entered_at = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    # Dates that start as today; on the phone the script sets the phone's today, so a
    # form kept for offline use does not offer the day it was stored.
    TODAY_FIELDS = ("visited_on", "occurred_on")

    def __init__(self, *args: Any, residents: Sequence[Resident] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # No maxlength: the browser would cut a pasted text without a word. The page
            # counts instead (app.js) and the server says "too long" beside the field.
            if field.widget.attrs.pop("maxlength", None) is not None:
                field.widget.attrs["data-max"] = str(field.max_length)
        if not self.is_bound:
            for name in self.TODAY_FIELDS:
                if name in self.fields:
                    self.fields[name].initial = timezone.localdate
                    self.fields[name].widget.attrs["data-today"] = ""
        self.main_contact = next((r for r in residents or () if r.is_main_contact), None)
        if "resident" in self.fields:
            if residents:
                choices = [(str(r.pk), r.first_name) for r in residents]
                choices.append((NO_RESIDENT, _("Nobody / unknown")))
                self.fields["resident"].choices = choices
                self.fields["resident"].initial = str((self.main_contact or residents[0]).pk)
                self.residents = {str(r.pk): r for r in residents}
            else:
                # The offline form is the same for every address: it names no resident,
                # and the server picks the main contact.
                del self.fields["resident"]
                self.residents = {}

    def full_clean(self) -> None:
        super().full_clean()
        # Tie each message to its field for screen readers, and mark the field invalid.
        for name in self.errors:
            if name in self.fields:
                described = f"err_{name}"
                if self.fields[name].help_text:
                    described += f" {self[name].auto_id}_helptext"
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": described}
                )

    def clean_entered_at(self) -> datetime.datetime:
        now = timezone.now()
        raw = self.cleaned_data.get("entered_at") or ""
        try:
            moment = datetime.datetime.fromisoformat(raw)
        except ValueError:
            return now
        if timezone.is_naive(moment):
            return now
        if not now - ENTERED_AT_MAX_AGE <= moment <= now + ENTERED_AT_MAX_AHEAD:
            return now
        return min(moment, now)

    @property
    def moment(self) -> datetime.datetime:
        return self.cleaned_data.get("entered_at") or timezone.now()

    @property
    def today(self) -> datetime.date:
        """The day on the phone when the form was filled in (not when it arrived)."""
        return timezone.localdate(self.moment)

    def chosen_resident(self) -> Resident | None:
        # Not sent at all (the offline form names nobody): the main contact.
        if "resident" not in self.fields or "resident" not in self.data:
            return self.main_contact
        value = self.cleaned_data.get("resident") or NO_RESIDENT
        return self.residents.get(value)


def resident_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Resident"), choices=(), required=False, widget=forms.RadioSelect
    )


class VisitForm(MobileForm):
    kind = chips(Visit.Kind.choices, label=_("Kind of visit"), initial=Visit.Kind.ROUND)
    outcome = chips(Visit.Outcome.choices, label=_("Outcome"), initial=Visit.Outcome.SPOKEN)
    mood = chips(
        [("", _("Not noted")), *Visit.Mood.choices],
        label=_("Resident's mood"),
        initial="",
        required=False,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visited_on = DateField(
        label=_("Date of the visit"),
        required=False,
        help_text=_("Leave as it is for today."),
    )

    def clean_visited_on(self) -> datetime.date | None:
        day = self.cleaned_data.get("visited_on")
        today = timezone.localdate()
        if day and day > today:
            raise forms.ValidationError(_("A visit cannot be in the future."), code="future")
        if day and day < today - datetime.timedelta(days=365):
            raise forms.ValidationError(
                _("Visits longer than a year ago cannot be logged here."), code="too_old"
            )
        return day

    def visited_at(self) -> datetime.datetime:
        day = self.cleaned_data.get("visited_on")
        if not day or day == self.today:
            return self.moment
        # Another day than the one it was entered on: the time is not known, so midday.
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class PromiseForm(MobileForm):
    DUE_CHOICES = [
        ("today", _("Today")),
        ("tomorrow", _("Tomorrow")),
        ("week", _("In a week")),
        ("date", _("Other date")),
    ]

    description = forms.CharField(
        label=_("What did you promise?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due = chips(DUE_CHOICES, label=_("When"), initial="today")
    due_on = DateField(label=_("Other date"), required=False)
    resident = resident_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        due, today = data.get("due"), self.today
        if due == "date":
            day = data.get("due_on")
            if day is None:
                if "due_on" not in self.errors:
                    self.add_error("due_on", _("Choose the date you promised."))
                return data
            if day < timezone.localdate():
                self.add_error("due_on", _("The date has passed; choose today or later."))
            elif day > today + datetime.timedelta(days=366):
                self.add_error("due_on", _("Choose a date within a year."))
            data["due_date"] = day
        elif due:
            offsets = {"today": 0, "tomorrow": 1, "week": 7}
            data["due_date"] = today + datetime.timedelta(days=offsets[due])
        return data


class ComplaintForm(MobileForm):
    category = chips(
        Complaint.Category.choices, label=_("What is it about?"), initial=Complaint.Category.OTHER
    )
    description = forms.CharField(
        label=_("The complaint, in the resident's words"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resident = resident_field()


class ClaimForm(MobileForm):
    field_order = ["damage_kind", "room", "photos", "description", "occurred_on"]

    damage_kind = chips(
        DamageClaim.DamageKind.choices,
        label=_("What is damaged?"),
        initial=DamageClaim.DamageKind.OTHER,
    )
    room = chips(DamageClaim.Room.choices, label=_("Where?"), initial=DamageClaim.Room.OTHER)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    occurred_on = DateField(label=_("When did it happen?"), required=False)
    amount_claimed = forms.DecimalField(
        label=_("Amount claimed (EUR)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal("99999999.99"),
        max_digits=10,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    photos = PhotosField(
        label=_("Photos"),
        required=False,
        help_text=_("An overview, a closer shot and a detail."),
    )
    resident = resident_field()

    def clean_occurred_on(self) -> datetime.date | None:
        day = self.cleaned_data.get("occurred_on")
        today = timezone.localdate()
        if day and day > today:
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        if day and day < today - datetime.timedelta(days=2 * 365):
            raise forms.ValidationError(_("The date is more than two years ago."), code="too_old")
        return day


class PhotoForm(MobileForm):
    photos = PhotosField(label=_("Photos"))
