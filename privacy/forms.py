from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PrivacyRequest


class ExportForm(forms.Form):
    requested_by = forms.ChoiceField(
        label=_("Who asked for the data?"),
        choices=PrivacyRequest.Requester.choices,
        initial=PrivacyRequest.Requester.RESIDENT,
    )


class ErasureForm(forms.Form):
    requested_by = forms.ChoiceField(
        label=_("Who asked for the erasure?"),
        choices=PrivacyRequest.Requester.choices,
        initial=PrivacyRequest.Requester.RESIDENT,
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", "—"), *PrivacyRequest.Reason.choices],
        error_messages={"required": _("Choose the reason for the erasure.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that this erases the resident's data now and cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )


class AccessLogFilter(forms.Form):
    """Filters of the care-need access log; every one optional."""

    resident = forms.IntegerField(label=_("Resident number"), required=False, min_value=1)
    seen_by = forms.EmailField(label=_("Seen by (e-mail address)"), required=False)
    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("Up to and including"), required=False)

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date lies before the start date."))
        return data
