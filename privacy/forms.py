from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PrivacyRequest, RetentionPolicy


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


def _months(label: str) -> forms.IntegerField:
    message = _("Enter a number of months from 1 to 240.")
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=240,
        error_messages={
            "required": _("Enter a number of months."),
            "invalid": _("Enter a whole number of months."),
            "min_value": message,
            "max_value": message,
        },
    )


class RetentionPolicyForm(forms.ModelForm):
    """The corporation's retention periods, in whole months (1 to 240)."""

    personal_data_months = _months(_("Personal data: months after the project's end"))
    photo_months = _months(_("Photos: months after their claim closed"))
    message_months = _months(_("Messages: months after they were written"))

    class Meta:
        model = RetentionPolicy
        fields = ["personal_data_months", "photo_months", "message_months"]


class RetentionStartForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I have read what the first run removes. Start retention: from now on the daily "
            "job removes what is past its period, for good."
        ),
        error_messages={"required": _("Tick the box to start retention.")},
    )


class AuditFilter(forms.Form):
    """Filters of the audit trail; every one optional."""

    kind = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[
            ("", _("Everything")),
            ("resident", _("Residents")),
            ("careneed", _("Care needs")),
            ("dwelling", _("Dwellings")),
            ("user", _("Users")),
        ],
    )
    number = forms.IntegerField(
        label=_("Number"),
        required=False,
        min_value=1,
        max_value=2**62,
        help_text=_("A resident's number also finds the changes to her care needs."),
    )
    changed_by = forms.EmailField(label=_("Changed by (e-mail address)"), required=False)
    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("Up to and including"), required=False)

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date lies before the start date."))
        return data
