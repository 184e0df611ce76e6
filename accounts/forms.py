"""allauth's forms where they need a word of ours, and the account pages' own forms."""

from __future__ import annotations

from typing import Any

from allauth.mfa.webauthn.forms import AddWebAuthnForm
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Absence, User

# Who takes reminders and call tasks, and so who may be away and who may cover.
COVER_ROLES = (User.Role.SUPERVISOR, User.Role.HANDLER, User.Role.MANAGER, User.Role.ADMINISTRATOR)


class AddSecurityKeyForm(AddWebAuthnForm):
    # allauth leaves this label to Django, which derives it untranslated from the name.
    name = forms.CharField(
        label=_("Name of the key"),
        required=False,
        help_text=_("So that you can tell your keys apart, e.g. “key ring” or “phone”."),
    )


class AbsenceForm(forms.ModelForm):
    """Away from a date to a date, and who covers: a colleague of one's own
    organisation who can take the same work."""

    class Meta:
        model = Absence
        fields = ["starts_on", "ends_on", "deputy"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, person: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.person = person
        self.fields["deputy"].queryset = (
            User.objects.filter(
                organisation_id=person.organisation_id, is_active=True, role__in=COVER_ROLES
            )
            .exclude(pk=person.pk)
            .order_by("full_name", "email")
        )
        self.fields["deputy"].empty_label = _("– Choose a colleague –")

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        if ends and ends < timezone.localdate():
            self.add_error("ends_on", _("This day has passed."))
        if starts and ends and ends >= starts:
            overlap = Absence.objects.filter(
                person=self.instance.person, starts_on__lte=ends, ends_on__gte=starts
            )
            if overlap.exists():
                self.add_error(None, _("You are already away on some of these days."))
        return data


class MessageSettingsForm(forms.Form):
    """How the chase's reminders reach this person, per channel."""

    email_delivery = forms.ChoiceField(
        label=_("By e-mail"),
        widget=forms.RadioSelect,
        choices=[
            (User.Delivery.IMMEDIATE, User.Delivery.IMMEDIATE.label),
            (User.Delivery.DIGEST, User.Delivery.DIGEST.label),
        ],
        error_messages={"required": _("Choose how e-mail reaches you.")},
    )
    sms_delivery = forms.ChoiceField(
        label=_("By text message"),
        widget=forms.RadioSelect,
        choices=User.Delivery.choices,
        error_messages={"required": _("Choose how text messages reach you.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"email_delivery": user.delivery("email"), "sms_delivery": user.sms_delivery},
        )
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_sms_delivery(self) -> str:
        value = self.cleaned_data["sms_delivery"]
        if value != User.Delivery.OFF and not self.user.phone:
            raise forms.ValidationError(
                _(
                    "Text messages need a phone number on your account; "
                    "ask your administrator to add it."
                )
            )
        return value
