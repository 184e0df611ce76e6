"""The three things a supervisor does with a promise on the phone: done, move, cancel."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DateField, MobileForm


class PromiseDoneForm(MobileForm):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PromiseMoveForm(MobileForm):
    due_on = DateField(label=_("New date"))
    reason = forms.CharField(
        label=_("Why does the date move?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PromiseCancelForm(MobileForm):
    reason = forms.CharField(
        label=_("Why is the promise cancelled?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


ACTION_FORMS: dict[str, type[MobileForm]] = {
    "done": PromiseDoneForm,
    "move": PromiseMoveForm,
    "cancel": PromiseCancelForm,
}
