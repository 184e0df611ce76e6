"""allauth's forms where they need a word of ours."""

from __future__ import annotations

from typing import Any

from allauth.mfa.webauthn.forms import AddWebAuthnForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class AddSecurityKeyForm(AddWebAuthnForm):
    # allauth leaves this label to Django, which derives it untranslated from the name.
    name = forms.CharField(
        label=_("Name of the key"),
        required=False,
        help_text=_("So that you can tell your keys apart, e.g. “key ring” or “phone”."),
    )


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
