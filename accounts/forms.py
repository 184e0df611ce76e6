"""allauth's forms where they need a word of ours, and the account pages' own forms."""

from __future__ import annotations

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
