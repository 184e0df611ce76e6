"""Forms of the back-office: they validate and normalise; the services do the writing."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.models import CallTask, Letter
from cases.services.contact import NOTE_MAX

from .access import CASE_MODELS
from .dashboard import AGE_LABELS
from .queue import SORTS, Filters

# The empty choice of a list, in words instead of Django's "---------".
EMPTY_CHOICE = _("- Choose an option -")

KIND_CHOICES = [
    ("", _("All kinds")),
    ("claim", _("Damage claims")),
    ("complaint", _("Complaints")),
    ("promise", _("Promises")),
]
SORT_CHOICES = [
    ("due", _("Most urgent first")),
    ("new", _("Newest first")),
    ("old", _("Oldest first")),
]


def status_choices() -> list[Any]:
    groups: list[Any] = [("", _("Every open status"))]
    for kind, label in KIND_CHOICES[1:]:
        model = CASE_MODELS[kind]
        labels = dict(model.Status.choices)
        groups.append(
            (label, [(f"{kind}:{value}", labels[value]) for value in model.OPEN_STATUSES])
        )
    return groups


class QueueForm(forms.Form):
    """The queue's filters, read from the URL so a view can be bookmarked and shared."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    project = forms.TypedChoiceField(label=_("Project"), required=False, coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=KIND_CHOICES)
    status = forms.ChoiceField(label=_("Status"), required=False)
    handler = forms.ChoiceField(label=_("Handler"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    care = forms.BooleanField(label=_("Residents with care needs"), required=False)
    age = forms.TypedChoiceField(
        label=_("Working days since recorded"), required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORT_CHOICES)

    def __init__(self, data: Any, *, projects: list[Any], handlers: list[User]) -> None:
        super().__init__(data)
        self.fields["project"].choices = [("", _("All projects"))] + [
            (p.pk, p.name) for p in projects
        ]
        self.fields["status"].choices = status_choices()
        self.fields["age"].choices = [("", _("Any age"))] + list(enumerate(AGE_LABELS))
        self.fields["handler"].choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Nobody yet")),
        ] + [(str(u.pk), str(u)) for u in handlers]
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs["placeholder"] = _("Case number, address, postcode or name")

    def filters(self) -> Filters:
        """The valid part of what was asked; a field with a bad value is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        sort = data.get("sort") or "due"
        return Filters(
            project=data.get("project") or None,
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            handler=data.get("handler") or "",
            overdue=bool(data.get("overdue")),
            care=bool(data.get("care")),
            q=(data.get("q") or "").strip(),
            age=data.get("age"),
            sort=sort if sort in SORTS else "due",
        )


class PeopleField(forms.ChoiceField):
    """A choice of people from a list already loaded (so a page that shows several such
    fields costs one query, not one per field); cleans to the User."""

    def __init__(self, *, people: Any = (), empty_label: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Choose a handler."),
                "invalid_choice": _("Choose a handler from the list."),
            },
        )
        super().__init__(**kwargs)
        self.empty_label = empty_label or EMPTY_CHOICE
        self.set_people(people)

    def set_people(self, people: Any) -> None:
        self.people = {str(u.pk): u for u in people}
        self.choices = [("", self.empty_label)] + [(k, str(u)) for k, u in self.people.items()]

    def clean(self, value: Any) -> User | None:
        value = super().clean(value)
        return self.people.get(value) if value else None


class AssignForm(forms.Form):
    handler = PeopleField(label=_("Handler"), empty_label=_("Choose a handler"))

    def __init__(self, *args: Any, handlers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].set_people(handlers)


class CaseKeysField(forms.MultipleChoiceField):
    """Ticked cases as "<kind>:<id>"; which of them the user may touch is checked later,
    case by case (see services.cases_assign)."""

    KEY = re.compile(r"(claim|complaint|promise):\d{1,18}")

    def valid_value(self, value: str) -> bool:
        return bool(self.KEY.fullmatch(value))


class BulkAssignForm(AssignForm):
    cases = CaseKeysField(
        label=_("Cases"),
        error_messages={"required": _("Tick at least one case.")},
    )

    def selected(self) -> list[tuple[str, int]]:
        return [(kind, int(pk)) for kind, pk in (v.split(":") for v in self.cleaned_data["cases"])]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class NoteAddForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the note.")},
    )


class CallDoneForm(forms.Form):
    """A call made: the button pressed says the outcome; a note is optional."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=CallTask.Outcome.choices,
        error_messages={
            "required": _("Say whether you reached the resident."),
            "invalid_choice": _("Say whether you reached the resident."),
        },
    )
    note = forms.CharField(
        label=_("Note (what was said, or why not)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Keep the note under %(limit_value)s characters.")},
    )
    again = forms.BooleanField(
        label=_("Not reached: call again the next working day"),
        required=False,
        initial=True,
    )


class LettersPostedForm(forms.Form):
    """The letters of the batch that went into the post (all ticked to begin with)."""

    letters = forms.ModelMultipleChoiceField(
        label=_("Letters posted"),
        queryset=Letter.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick the letters you posted."),
            "invalid_choice": _("A letter you ticked is no longer in the batch. Look again."),
            "invalid_pk_value": _("A letter you ticked is no longer in the batch. Look again."),
        },
    )

    def __init__(self, *args: Any, letters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["letters"].queryset = letters
        self.fields["letters"].label_from_instance = lambda letter: letter.subject
