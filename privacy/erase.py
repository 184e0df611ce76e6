"""Erasure of one resident on request (Art. 17 GDPR), at once and for good.

The resident row stays, anonymised, and her cases stay without a resident, so that what
the dashboards count (cases, amounts, dates, states, satisfaction scores) and the
care-need access log keep their meaning:
"user X saw the care needs of resident #7 on this date" still answers who looked, while
nothing says who #7 was. Everything written about her goes: names and contact details,
care needs, the free text of her cases and their timeline, photos (files and thumbnails,
through the storage API), her messages' recipients and bodies, her status links and
what she wrote on the status page. Texts at her address that are not hers (visit notes,
a housemate's cases) keep their words but lose her name, number and address.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from auditlog.context import disable_auditlog
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

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
from projects.models import WorkWindow
from residents.models import Resident, Visit
from statuslink import tokens
from statuslink.models import SatisfactionAnswer

from .audit import audit_scrub
from .files import files_of, files_queue
from .models import PrivacyRequest

log = logging.getLogger(__name__)

# What replaces a text written about her. Not translated: it is data, not interface.
ERASED = "[verwijderd]"
# The free-text fields of each kind of case; amounts, dates and states are kept.
CASE_TEXTS: dict[type, tuple[str, ...]] = {
    DamageClaim: ("description", "decision_reason", "resident_answer_reason"),
    Complaint: ("description", "extension_reason", "resolution"),
    Promise: ("description", "cancel_reason"),
}
# Timeline details that are codes or counts, never words about a person.
SAFE_DATA_KEYS = {
    "action",
    "via",
    "status_link",
    "kind",
    "outcome",
    "mood",
    "days",
    "photos",
    "by",
    "answer",
    "appointment",
}


def _needles(resident: Resident) -> list[str]:
    """What identifies her in a text: names (three letters or more), phone, e-mail."""
    found = [resident.full_name, resident.last_name, resident.first_name]
    found += [resident.email, resident.phone]
    return [n.strip() for n in found if n and len(n.strip()) >= 3]


def _pattern(needles: Iterable[str]) -> re.Pattern[str] | None:
    parts = []
    for needle in sorted(set(needles), key=len, reverse=True):
        if any(c.isdigit() for c in needle) and not any(c.isalpha() for c in needle):
            # A phone number with or without spaces and dashes, and without its leading 0
            # so that +31 6 ... and 0031 6 ... are found too.
            digits = "".join(c for c in needle if c.isdigit()).lstrip("0")
            if len(digits) >= 6:
                parts.append(r"[\s-]*".join(digits))
        else:
            parts.append(r"\b" + re.escape(needle) + r"\b")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def _redact(text: str, pattern: re.Pattern[str] | None) -> str:
    return pattern.sub(ERASED, text) if pattern and text else text


def _safe_data(data: Any) -> dict:
    if not isinstance(data, dict):
        return {}
    kept = {}
    for key, value in data.items():
        plain = isinstance(value, (bool, int, float)) or value is None
        if plain or (isinstance(value, str) and key in SAFE_DATA_KEYS):
            kept[key] = value
    return kept


def resident_erase(*, resident: Resident, by: User, requested_by: str, reason: str) -> None:
    """Anonymise `resident` now, and record who did it. Files are deleted after the
    commit (privacy/files.py), so a failure halfway leaves both the rows and the files
    as they were."""
    now = timezone.now()
    with transaction.atomic():
        resident = anonymise(resident, now=now)
        PrivacyRequest.objects.create(
            kind=PrivacyRequest.Kind.ERASURE,
            resident=resident,
            resident_number=resident.pk,
            requested_by=requested_by,
            reason=reason,
            done_by=by,
            at=now,
        )
    log.info("resident %s erased by user %s", resident.pk, by.pk)


def anonymise(resident: Resident, *, now: datetime.datetime, counts: Counter | None = None):
    """Inside the caller's transaction: everything written about `resident` goes (see
    the module docstring); returns her row, anonymised. Used by erasure on request and
    by the retention job. `counts` (if given) is told what was removed.

    The audit trail records no change made here (it would hold the old values); her
    earlier entries in it are scrubbed instead (privacy/audit.py)."""
    counts = counts if counts is not None else Counter()
    with transaction.atomic(), disable_auditlog():
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        pattern = _pattern(_needles(resident))
        dwelling_id = resident.dwelling_id

        her_cases: list[Any] = []
        for model, fields in CASE_TEXTS.items():
            for case in model.objects.select_for_update(of=("self",)).filter(resident=resident):
                for name in fields:
                    if getattr(case, name):
                        setattr(case, name, ERASED)
                changed = list(fields)
                if isinstance(case, (DamageClaim, Complaint)) and case.status_link_secret:
                    # The link is her key to the case; the status_link_revoke service
                    # asks for a decider on the case, the privacy officer is not one.
                    tokens.clear(case, now)
                    changed += ["status_token", "status_link_secret", "status_link_revoked_at"]
                case.save(update_fields=changed)
                her_cases.append(case)
        counts["cases"] += len(her_cases)

        claims = [c for c in her_cases if isinstance(c, DamageClaim)]
        on_her_cases = (
            Q(claim__in=claims)
            | Q(complaint__in=[c for c in her_cases if isinstance(c, Complaint)])
            | Q(promise__in=[c for c in her_cases if isinstance(c, Promise)])
        )
        # One UPDATE for all of them, not one per event (retention does thousands).
        events = list(TimelineEvent.objects.filter(on_her_cases).only("pk", "text", "data"))
        for event in events:
            event.text = ERASED if event.text else ""
            event.data = _safe_data(event.data)
        TimelineEvent.objects.bulk_update(events, ["text", "data"], batch_size=500)
        counts["timeline_events"] += len(events)
        # Texts at her address about others or the home: her name out, the rest kept.
        for event in TimelineEvent.objects.filter(dwelling_id=dwelling_id).exclude(on_her_cases):
            text = _redact(event.text, pattern)
            if text != event.text:
                event.text = text
                event.save(update_fields=["text"])
                counts["timeline_events"] += 1
        for visit in Visit.objects.filter(dwelling_id=dwelling_id):
            note = _redact(visit.note, pattern)
            if note != visit.note:
                visit.note = note
                visit.save(update_fields=["note"])
                counts["visit_notes"] += 1
        for model, fields in CASE_TEXTS.items():
            for case in model.objects.filter(dwelling_id=dwelling_id).exclude(resident=resident):
                changed = []
                for name in fields:
                    text = _redact(getattr(case, name), pattern)
                    if text != getattr(case, name):
                        setattr(case, name, text)
                        changed.append(name)
                if changed:
                    case.save(update_fields=changed)

        Notification.objects.filter(
            Q(recipient_resident=resident) | on_her_cases, status=Notification.Status.PENDING
        ).update(status=Notification.Status.CANCELLED)
        counts["messages"] += Notification.objects.filter(recipient_resident=resident).update(
            recipient_resident=None, to="", subject="", body="", provider_answer=""
        )
        # Messages about her cases to staff and experts quote her name and her case.
        Notification.objects.filter(on_her_cases).update(subject="", body="", provider_answer="")
        # Nobody calls or writes to her any more; what was said to her is kept as a fact
        # (who, when, the outcome), not its text.
        CallTask.objects.filter(resident=resident, done_at__isnull=True).delete()
        Letter.objects.filter(resident=resident, posted_at__isnull=True).delete()
        CallTask.objects.filter(resident=resident).update(
            resident=None, subject="", body="", note=""
        )
        Letter.objects.filter(resident=resident).update(resident=None, subject="", body="")

        SatisfactionAnswer.objects.filter(claim__in=claims).update(remark="")
        # What was written on the status page about an appointment at her home.
        WorkWindow.objects.filter(dwelling_id=dwelling_id).exclude(resident_answer_note="").update(
            resident_answer_note=ERASED
        )
        photos = list(ClaimPhoto.objects.filter(claim__in=claims))
        names = files_of(photos)
        ClaimPhoto.objects.filter(pk__in=[p.pk for p in photos]).delete()
        files_queue(names)
        counts["photos"] += len(photos)
        counts["files"] += len(names)
        care_needs = list(resident.care_needs.values_list("pk", flat=True))
        resident.care_needs.all().delete()
        counts["care_needs"] += len(care_needs)

        # The admin's history names the rows it changed.
        for entry in LogEntry.objects.filter(
            Q(object_repr__icontains=resident.last_name)
            | Q(change_message__icontains=resident.last_name)
        ):
            entry.object_repr = _redact(entry.object_repr, pattern)
            entry.change_message = _redact(entry.change_message, pattern)
            entry.save(update_fields=["object_repr", "change_message"])
        counts["audit_entries"] += audit_scrub(resident=resident, care_needs=care_needs)

        # Her cases stay (their numbers count) but no longer belong to anyone: the chase
        # then neither writes to her nor asks staff to call her (recipients.of_resident).
        for model in CASE_TEXTS:
            model.objects.filter(resident=resident).update(resident=None)

        resident.first_name = ""
        resident.last_name = ERASED
        resident.phone = ""
        resident.email = ""
        resident.non_essential_messages = False
        resident.save(
            update_fields=["first_name", "last_name", "phone", "email", "non_essential_messages"]
        )
        counts["residents"] += 1
    return resident


def is_erased(resident: Resident) -> bool:
    return resident.last_name == ERASED and not resident.first_name
