"""Forms for setting up a project: the project, its chase policy, its team, an import."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from cases.models import ChasePolicy
from projects.models import Project, ProjectMember

from .forms import EMPTY_CHOICE, DateInput, PeopleField


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "code",
            "corporation",
            "contractor",
            "city",
            "starts_on",
            "ends_on",
            "phase",
            "resident_phone",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starts_on", "ends_on"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d-%m-%Y"]
        corporations = Organisation.objects.filter(kind=Organisation.Kind.CORPORATION)
        contractors = Organisation.objects.filter(kind=Organisation.Kind.CONTRACTOR)
        if not user.is_superuser and self.instance.pk is None:
            # An administrator creates projects their own organisation takes part in.
            own = Q(pk=user.organisation_id)
            if user.organisation and user.organisation.kind == Organisation.Kind.CORPORATION:
                corporations = corporations.filter(own)
            else:
                contractors = contractors.filter(own)
        self.fields["corporation"].queryset = corporations
        self.fields["contractor"].queryset = contractors
        for name in ("corporation", "contractor"):
            self.fields[name].empty_label = EMPTY_CHOICE
        if self.instance.pk is not None:
            # The organisations of an existing project do not change here.
            del self.fields["corporation"]
            del self.fields["contractor"]
            del self.fields["code"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data


class PolicyForm(forms.ModelForm):
    class Meta:
        model = ChasePolicy
        fields = [
            f.name for f in ChasePolicy._meta.concrete_fields if f.name not in ("id", "project")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("office_opens_hour"), data.get("office_closes_hour")
        if opens is not None and closes is not None and not (opens < closes <= 24):
            self.add_error("office_closes_hour", _("The office closes after it opens, by 24:00."))
        manager = data.get("escalate_to_manager_after")
        corporation = data.get("escalate_to_corporation_after")
        if manager is not None and corporation is not None and corporation <= manager:
            self.add_error(
                "escalate_to_corporation_after",
                _("Escalate to the corporation later than to the project manager."),
            )
        return data


class MemberForm(forms.Form):
    user = PeopleField(label=_("Person"), empty_label=_("Choose a person"))
    role = forms.ChoiceField(label=_("Role"), choices=ProjectMember.Role.choices)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].set_people(people)
        self.fields["user"].error_messages["required"] = _("Choose a person.")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or Excel)"),
        error_messages={
            "required": _("Choose a file."),
            "empty": _("The file is empty."),
        },
    )


LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_BOX = (600, 200)


class LogoForm(forms.Form):
    """The corporation's logo: any common image, re-encoded as a small PNG (at most
    600 × 200 pixels, no metadata) before it is stored."""

    logo = forms.FileField(
        label=_("Logo (PNG, JPEG or WebP, at most 2 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove = forms.BooleanField(label=_("Remove the logo"), required=False)

    def clean_logo(self) -> bytes | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("The logo is too large: at most 2 MB."), code="size")
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(upload) as image:
                if image.format not in ("PNG", "JPEG", "WEBP"):
                    raise forms.ValidationError(
                        _("Choose a PNG, JPEG or WebP image."), code="format"
                    )
                if image.width * image.height > 40_000_000:
                    raise forms.ValidationError(
                        _("The logo is too large: at most 2 MB."), code="size"
                    )
                image = image.convert("RGBA")
                image.thumbnail(LOGO_BOX)
                out = io.BytesIO()
                image.save(out, format="PNG", optimize=True)
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            raise forms.ValidationError(
                _("This file is not an image we can read. Choose a PNG, JPEG or WebP image."),
                code="invalid",
            ) from None
        return out.getvalue()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not data.get("logo") and not data.get("remove"):
            self.add_error("logo", _("Choose a logo, or tick “Remove the logo”."))
        return data
