"""Everything Woonrust holds about one resident, gathered for their data export.

Each section lists the rows that reference the resident (or her cases), with the
fields that mean something to her. Left out on purpose: secrets (the status link's
hash and secret, submission ids) and the ids of staff rows. Visits belong to the
address, not to one resident: their notes are included only when she is the only
resident there, because a note at a shared address may be about a housemate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import (
    CallTask,
    ClaimPhoto,
    Complaint,
    DamageClaim,
    Letter,
    Notification,
    Promise,
    TimelineEvent,
)
from mobile.models import CareNeedAccess
from residents.models import Resident, Visit
from statuslink.models import SatisfactionAnswer

from .models import PrivacyRequest

# Never in an export: keys to the status link, technical ids, and rows about staff.
HIDDEN = {
    "id",
    "status_token",
    "status_link_secret",
    "submission_id",
    "project",
    "dwelling",
    "resident",
    "handler",
    "created_by",
    "stage_one_handler",
    "claim",
    "complaint",
    "promise",
    "visit",
    "actor",
    "visited_by",
    "uploaded_by",
    "user",
    "recipient_user",
    "recipient_resident",
    "key",
    "dispatched_at",
    "done_by",
    "assigned_to",
    "posted_by",
    "image",
    "thumbnail",
}


@dataclass
class Section:
    key: str
    title: str
    items: list[dict[str, Any]] = field(default_factory=list)  # JSON: field name → value
    shown: list[list[tuple[str, str]]] = field(default_factory=list)  # PDF: label, text


@dataclass
class Photo:
    name: str  # the name inside the ZIP
    photo: ClaimPhoto


@dataclass
class ResidentData:
    resident: Resident
    sections: list[Section]
    photos: list[Photo]


def _json(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, (datetime.date, Decimal)):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


def _text(obj: models.Model, f: models.Field) -> str:
    value = getattr(obj, f.attname)
    if value in (None, ""):
        return "—"
    if f.choices:
        return str(getattr(obj, f"get_{f.name}_display")())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in HIDDEN]


def _add(section: Section, obj: models.Model, **extra: tuple[str, Any]) -> None:
    """One row: its own fields, then `extra` (name=(label, value)) for related facts."""
    item: dict[str, Any] = {"id": obj.pk}
    shown: list[tuple[str, str]] = []
    for f in _fields(type(obj)):
        item[f.name] = _json(getattr(obj, f.attname))
        shown.append((str(f.verbose_name), _text(obj, f)))
    for name, (label, value) in extra.items():
        item[name] = _json(value)
        shown.append((label, "—" if value in (None, "") else str(value)))
    section.items.append(item)
    section.shown.append(shown)


def _person(user: User | None) -> str:
    """Staff as residents are shown them: first name and organisation."""
    if user is None:
        return _("Woonrust (automatic)")
    org = user.organisation.name if user.organisation_id else "Woonrust"
    return f"{user.first_name} ({org})"


def resident_data(resident: Resident) -> ResidentData:
    dwelling = resident.dwelling
    me = Section("resident", _("Your details"))
    _add(
        me,
        resident,
        address=(_("address"), f"{dwelling.address}, {dwelling.postcode} {dwelling.city}"),
        number=(_("resident number"), resident.pk),
    )

    care = Section("care_needs", _("Care needs"))
    for need in resident.care_needs.order_by("kind"):
        _add(care, need)

    alone = not Resident.objects.filter(dwelling=dwelling).exclude(pk=resident.pk).exists()
    visits = Section("visits", _("Visits to your home"))
    for visit in Visit.objects.filter(dwelling=dwelling).select_related("visited_by__organisation"):
        if not alone:
            visit.note = ""
        _add(visits, visit, visited_by=(_("visited by"), _person(visit.visited_by)))

    sections = [me, care, visits]
    photos: list[Photo] = []
    events = Section("timeline", _("What happened in your cases"))
    for key, title, model in (
        ("claims", _("Damage claims"), DamageClaim),
        ("complaints", _("Complaints"), Complaint),
        ("promises", _("Promises"), Promise),
    ):
        section = Section(key, title)
        for case in model.objects.filter(resident=resident).order_by("created_at", "pk"):
            _add(section, case, number=(_("case number"), case.number))
            timeline = TimelineEvent.objects.filter(**{key[:-1]: case})
            for event in timeline.select_related("actor__organisation").order_by("at", "pk"):
                _add(
                    events,
                    event,
                    case=(_("case number"), case.number),
                    by=(_("by"), _person(event.actor)),
                )
            if isinstance(case, DamageClaim):
                for i, photo in enumerate(case.photos.order_by("uploaded_at", "pk"), start=1):
                    photos.append(Photo(f"photos/{case.number}-{i}.jpg", photo))
        sections.append(section)
    sections.append(events)

    answers = Section("status_link_answers", _("Your answers on the status page"))
    for answer in SatisfactionAnswer.objects.filter(claim__resident=resident).select_related(
        "claim"
    ):
        _add(answers, answer, case=(_("case number"), answer.claim.number))
    sections.append(answers)

    photo_section = Section("photos", _("Photos"))
    for p in photos:
        _add(photo_section, p.photo, file=(_("file"), p.name))
    sections.append(photo_section)

    messages = Section("messages", _("Messages we sent you"))
    for note in Notification.objects.filter(recipient_resident=resident).order_by(
        "created_at", "pk"
    ):
        _add(messages, note)
    sections.append(messages)

    # What stood in for messages: the calls we were to make and the letters we wrote.
    calls = Section("calls", _("Calls instead of a message"))
    for task in CallTask.objects.filter(resident=resident).order_by("created_at", "pk"):
        _add(calls, task)
    sections.append(calls)
    letters = Section("letters", _("Letters we wrote you"))
    for letter in Letter.objects.filter(resident=resident).order_by("created_at", "pk"):
        _add(letters, letter)
    sections.append(letters)

    seen = Section("care_need_access", _("Who looked at your care needs"))
    for access in CareNeedAccess.objects.filter(resident=resident).select_related(
        "user__organisation"
    ):
        _add(seen, access, by=(_("seen by"), _person(access.user)))
    sections.append(seen)

    requests = Section("privacy_requests", _("Your requests about your data"))
    for request in PrivacyRequest.objects.filter(resident_number=resident.pk):
        _add(requests, request)
    sections.append(requests)
    return ResidentData(resident=resident, sections=sections, photos=photos)
