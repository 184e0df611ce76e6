"""allauth's forms where they need a word of ours."""

from __future__ import annotations

from allauth.mfa.webauthn.forms import AddWebAuthnForm
from django import forms
from django.utils.translation import gettext_lazy as _


class AddSecurityKeyForm(AddWebAuthnForm):
    # allauth leaves this label to Django, which derives it untranslated from the name.
    name = forms.CharField(
        label=_("Name of the key"),
        required=False,
        help_text=_("So that you can tell your keys apart, e.g. “key ring” or “phone”."),
    )
