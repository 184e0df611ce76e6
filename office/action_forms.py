"""One form per lifecycle step on the case page, and the fields they share.

They validate and normalise (amounts as people type them, dates not in the past); the
service function the step calls checks the rest and may still refuse.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import DateInput, PeopleField

# --- Amounts and dates -------------------------------------------------------------


class EuroField(forms.Field):
    """An amount in euros as people type it: '12,50', '€ 1.250,00', '12.50'."""

    widget = forms.TextInput

    def __init__(self, *, allow_zero: bool = False, **kwargs: Any) -> None:
        self.allow_zero = allow_zero
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "20"})
        return attrs

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()[:40]
        if not text:
            return None
        text = text.replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
        if "," in text:
            # Dutch: '.' groups thousands, ',' separates the cents.
            text = text.replace(".", "").replace(",", ".")
        if not re.fullmatch(r"-?\d{1,8}(\.\d{1,2})?", text):
            raise forms.ValidationError(_("Enter an amount in euros, like 125,50."), code="invalid")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(
                _("Enter an amount in euros, like 125,50."), code="invalid"
            ) from None
        if amount < 0:
            raise forms.ValidationError(_("The amount cannot be negative."), code="negative")
        if amount == 0 and not self.allow_zero:
            raise forms.ValidationError(_("Enter an amount above zero."), code="zero")
        return amount


def future_date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={
            "required": _("Choose a date."),
            "invalid": _("Enter a date as dd-mm-yyyy."),
        },
    )


def _text(label: Any, *, required: bool, message: Any = None, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message or _("This field is required.")},
    )


# --- One form per transition -------------------------------------------------------


class NoteForm(forms.Form):
    note = _text(_("Note (optional)"), required=False)

    def kwargs(self) -> dict[str, Any]:
        return {"note": self.cleaned_data["note"]}


class ReasonForm(forms.Form):
    reason = _text(_("Reason"), required=True, message=_("Give a reason."))

    def kwargs(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


class AskResidentForm(forms.Form):
    question = _text(
        _("What do you ask the resident?"), required=True, message=_("Write down what you ask.")
    )

    def kwargs(self) -> dict[str, Any]:
        return {"question": self.cleaned_data["question"]}


class ExpertForm(forms.Form):
    expert_name = forms.CharField(
        label=_("Expert"), max_length=200, error_messages={"required": _("Name the expert.")}
    )
    expert_email = forms.EmailField(
        label=_("Expert's e-mail address"),
        error_messages={
            "required": _("Give the expert's e-mail address."),
            "invalid": _("Enter a valid e-mail address."),
        },
    )
    note = _text(_("Note (optional)"), required=False)

    def kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class DecisionForm(forms.Form):
    """Accept or partly accept: a reason, and the compensation offered (optional)."""

    reason_required = False
    reason = _text(_("Reason for the decision"), required=False)
    amount_offered = EuroField(
        label=_("Compensation offered (EUR, optional)"), required=False, allow_zero=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.reason_required:
            self.fields["reason"].required = True
            self.fields["reason"].label = _("Reason for the decision")
            self.fields["reason"].error_messages["required"] = _(
                "Give the reason for the decision."
            )

    def kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PartlyAcceptForm(DecisionForm):
    reason_required = True


class RejectForm(forms.Form):
    reason = _text(
        _("Reason for the rejection"), required=True, message=_("Say why the claim is rejected.")
    )

    def kwargs(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


class ObjectionForm(forms.Form):
    reason = _text(
        _("The resident's objection"),
        required=True,
        message=_("Write down the resident's objection."),
    )

    def kwargs(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


class RepairForm(forms.Form):
    repair_date = future_date_field(_("Repair date"))
    note = _text(_("Note (optional)"), required=False)

    def clean_repair_date(self) -> datetime.date:
        day = self.cleaned_data["repair_date"]
        if day < timezone.localdate():
            raise forms.ValidationError(
                _("The repair date is in the past: choose today or a later day."), code="past"
            )
        return day

    def kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class CompensationForm(forms.Form):
    amount = EuroField(
        label=_("Compensation (EUR)"), error_messages={"required": _("Enter the amount offered.")}
    )

    def kwargs(self) -> dict[str, Any]:
        return {"amount": self.cleaned_data["amount"]}


class PaidForm(forms.Form):
    amount_paid = EuroField(label=_("Amount paid (EUR; empty: the amount offered)"), required=False)

    def kwargs(self) -> dict[str, Any]:
        return {"amount_paid": self.cleaned_data["amount_paid"]}


class ResidentAnswerForm(forms.Form):
    """The resident's yes or no, heard on the phone or at the door."""

    reason = _text(_("What the resident said (optional)"), required=False)

    def kwargs(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


class SettleForm(forms.Form):
    resident_accepted = forms.TypedChoiceField(
        label=_("Did the resident accept the settlement?"),
        choices=[("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not known"))],
        initial="yes",
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        widget=forms.RadioSelect,
    )
    note = _text(_("Note (optional)"), required=False)

    def kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AcknowledgeForm(forms.Form):
    handler = PeopleField(label=_("Handled by (empty: you)"), required=False)

    def __init__(self, *args: Any, handlers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].set_people(handlers)

    def kwargs(self) -> dict[str, Any]:
        return {"handler": self.cleaned_data["handler"]}


class ExtendForm(forms.Form):
    days = forms.IntegerField(
        label=_("Extra working days"),
        min_value=1,
        max_value=60,
        error_messages={
            "required": _("Enter a number of working days."),
            "invalid": _("Enter a whole number of working days."),
            "min_value": _("Extend by at least 1 working day."),
            "max_value": _("That is too long an extension."),
        },
    )
    reason = _text(
        _("Reason (told to the resident)"), required=True, message=_("Say why more time is needed.")
    )

    def kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AnswerForm(forms.Form):
    resolution = _text(
        _("The answer to the resident"), required=True, message=_("Write the answer."), rows=5
    )

    def kwargs(self) -> dict[str, Any]:
        return {"resolution": self.cleaned_data["resolution"]}


class EscalateForm(AcknowledgeForm):
    reason = _text(
        _("Why the resident takes it to stage 2"),
        required=True,
        message=_("Write down why the resident escalates."),
    )
    field_order = ["reason", "handler"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].label = _("Stage 2 handler (optional)")

    def kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


# action -> form, per kind. Forms that need handlers take `handlers=`.
ACTION_FORMS: dict[str, dict[str, type[forms.Form]]] = {
    "claim": {
        "start_assessment": NoteForm,
        "ask_resident": AskResidentForm,
        "resident_answered": NoteForm,
        "request_expert": ExpertForm,
        "expert_reported": NoteForm,
        "accept": DecisionForm,
        "partly_accept": PartlyAcceptForm,
        "reject": RejectForm,
        "object": ObjectionForm,
        "plan_repair": RepairForm,
        "offer_compensation": CompensationForm,
        "accept_offer": ResidentAnswerForm,
        "decline_offer": ResidentAnswerForm,
        "accept_repair_date": ResidentAnswerForm,
        "decline_repair_date": ResidentAnswerForm,
        "mark_repaired": NoteForm,
        "mark_paid": PaidForm,
        "settle": SettleForm,
        "withdraw": ReasonForm,
    },
    "complaint": {
        "acknowledge": AcknowledgeForm,
        "extend": ExtendForm,
        "answer": AnswerForm,
        "escalate": EscalateForm,
        "close": NoteForm,
        "withdraw": ReasonForm,
    },
    "promise": {"done": NoteForm, "cancel": ReasonForm},
}
NEEDS_HANDLERS = (AcknowledgeForm, EscalateForm)
