"""The resident's forms. Messages are short, translated, and say what to do."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.photos import CleanPhoto, PhotoRejected, clean_photo

from .services import MAX_PHOTOS_PER_ANSWER

SCORE_MESSAGE = _("Choose a score from 1 to 10.")
SCORES = [(n, str(n)) for n in range(1, 11)]


class SatisfactionForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with how your claim was handled?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        # 0, 11, text or nothing: the same clear message.
        error_messages={"required": SCORE_MESSAGE, "invalid_choice": SCORE_MESSAGE},
    )
    remark = forms.CharField(
        label=_("Do you want to tell us more? (not required)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Write at most %(limit_value)d characters.")},
    )


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos, each checked and re-encoded by cases.photos.clean_photo."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "widget", PhotosInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list[CleanPhoto]:
        uploads = [upload for upload in (data or []) if upload]
        if len(uploads) > MAX_PHOTOS_PER_ANSWER:
            raise ValidationError(
                _("Send at most %(n)d photos at a time.") % {"n": MAX_PHOTOS_PER_ANSWER},
                code="too_many",
            )
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(clean_photo(upload))
            except PhotoRejected as refused:
                # The file's own name helps the resident find it; it is never stored.
                errors.append(
                    ValidationError(
                        _("“%(name)s”: %(reason)s")
                        % {"name": upload.name, "reason": refused.message},
                        code=refused.code,
                    )
                )
        if errors:
            raise ValidationError(errors)
        return cleaned


class InformationForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _("Write at most %(limit_value)d characters.")},
    )
    photos = PhotosField(
        label=_("Photos (not required)"),
        required=False,
        help_text=_("JPEG, PNG or WebP photos, at most 5."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if "text" in data and "photos" in data and not data["text"].strip() and not data["photos"]:
            self.add_error("text", _("Write your answer or add a photo."))
        return data


ANSWER_MESSAGE = _("Choose yes or no.")


class ReplyForm(forms.Form):
    """The resident's yes or no to an offered amount or a repair date. `step` is the step
    the page showed, so an answer from a page left open never answers a newer proposal."""

    answer = forms.ChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        error_messages={"required": ANSWER_MESSAGE, "invalid_choice": ANSWER_MESSAGE},
    )
    reason = forms.CharField(
        label=_("Why not? (not required)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Write at most %(limit_value)d characters.")},
    )
    step = forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Please open the page again and answer once more."),
            "invalid": _("Please open the page again and answer once more."),
            "min_value": _("Please open the page again and answer once more."),
        },
    )


class AppointmentForm(forms.Form):
    """Confirm an appointment at home, or ask to move it (with the days that suit)."""

    answer = forms.ChoiceField(
        choices=[("confirm", _("Yes, that suits me")), ("move", _("Ask for another date"))],
        error_messages={
            "required": _("Choose whether the date suits you."),
            "invalid_choice": _("Choose whether the date suits you."),
        },
    )
    note = forms.CharField(
        label=_("Which days suit you better? (not required)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Write at most %(limit_value)d characters.")},
    )
