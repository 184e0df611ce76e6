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

`anonymise_residents` does this for many residents at once in a fixed number of
queries (the retention job's batches); `anonymise` is the same for one.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from auditlog.context import disable_auditlog
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import Case, F, Q, QuerySet, TextField, Value, When
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
from residents.models import CareNeed, Resident, Visit
from statuslink import tokens
from statuslink.models import SatisfactionAnswer

from .audit import audit_scrub
from .files import photos_delete
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
    the module docstring); returns her row, anonymised. Erasure on request; the same
    code as the retention job's batches (`anonymise_residents`)."""
    anonymise_residents([resident.pk], now=now, counts=counts)
    return Resident.objects.get(pk=resident.pk)


def erased_text(name: str) -> Case:
    """A text column's new value: ERASED, or left as it is when it holds nothing."""
    empty = Q(**{name: ""}) | Q(**{f"{name}__isnull": True})
    return Case(When(empty, then=F(name)), default=Value(ERASED), output_field=TextField())


def anonymise_residents(
    residents: Iterable[int],
    *,
    now: datetime.datetime,
    counts: Counter | None = None,
    redact: bool = True,
) -> int:
    """Inside the caller's transaction: everything written about these residents goes
    (see the module docstring); returns how many were anonymised. `counts` (if given)
    is told what was removed.

    A fixed number of queries however many residents: set-based UPDATEs and DELETEs,
    and the few rows that need Python (timeline details, names inside other texts)
    read in one query each and written back in one `bulk_update`. With `redact` (erasure
    on request) their names are also taken out of the other texts at their addresses;
    retention passes False, as it then replaces every text at those addresses.

    The audit trail records no change made here (it would hold the old values); their
    earlier entries in it are scrubbed instead (privacy/audit.py)."""
    counts = counts if counts is not None else Counter()
    with transaction.atomic(), disable_auditlog():
        found = list(
            Resident.objects.select_for_update()
            .filter(pk__in=list(residents))
            .order_by("pk")
            .only("pk", "dwelling_id", "first_name", "last_name", "email", "phone")
        )
        if not found:
            return 0
        ids = [r.pk for r in found]
        theirs = {model: model.objects.filter(resident_id__in=ids) for model in CASE_TEXTS}

        for cases in theirs.values():
            locked = cases.select_for_update(of=("self",)).order_by("pk")
            counts["cases"] += len(locked.values_list("pk", flat=True))

        claims = theirs[DamageClaim].values("pk")
        on_their_cases = (
            Q(claim__in=claims)
            | Q(complaint__in=theirs[Complaint].values("pk"))
            | Q(promise__in=theirs[Promise].values("pk"))
        )
        events = TimelineEvent.objects.filter(on_their_cases)
        counts["timeline_events"] += events.exclude(text="").update(text=ERASED)
        data_scrub(events)
        if redact:
            _redact_at_addresses(found, on_their_cases, counts)

        Notification.objects.filter(
            Q(recipient_resident_id__in=ids) | on_their_cases, status=Notification.Status.PENDING
        ).update(status=Notification.Status.CANCELLED)
        counts["messages"] += Notification.objects.filter(recipient_resident_id__in=ids).update(
            recipient_resident=None, to="", subject="", body="", provider_answer=""
        )
        # Messages about their cases to staff and experts quote her name and her case.
        Notification.objects.filter(on_their_cases).update(subject="", body="", provider_answer="")
        # Nobody calls or writes to them any more; what was said to them is kept as a
        # fact (who, when, the outcome), not its text.
        CallTask.objects.filter(resident_id__in=ids, done_at__isnull=True).delete()
        Letter.objects.filter(resident_id__in=ids, posted_at__isnull=True).delete()
        CallTask.objects.filter(resident_id__in=ids).update(
            resident=None, subject="", body="", note=""
        )
        Letter.objects.filter(resident_id__in=ids).update(resident=None, subject="", body="")

        SatisfactionAnswer.objects.filter(claim__in=claims).update(remark="")
        # What was written on the status page about an appointment at their homes.
        WorkWindow.objects.filter(dwelling_id__in={r.dwelling_id for r in found}).exclude(
            resident_answer_note=""
        ).update(resident_answer_note=ERASED)
        photos, files = photos_delete(ClaimPhoto.objects.filter(claim__in=claims))
        counts["photos"] += photos
        counts["files"] += files
        care_needs = list(CareNeed.objects.filter(resident_id__in=ids).values_list("pk", flat=True))
        if care_needs:
            CareNeed.objects.filter(pk__in=care_needs).delete()
        counts["care_needs"] += len(care_needs)

        _admin_history_redact(found)
        counts["audit_entries"] += audit_scrub(residents=ids, care_needs=care_needs)

        # Their cases stay (their numbers count) with their texts replaced, but no longer
        # belong to anyone: the chase then neither writes to her nor asks staff to call
        # her (recipients.of_resident). One UPDATE per kind of case, each row written once.
        for model, fields in CASE_TEXTS.items():
            changes = {name: erased_text(name) for name in fields}
            if model in (DamageClaim, Complaint):
                # The link is her key to the case; the status_link_revoke service
                # asks for a decider on the case, the privacy officer is not one.
                changes |= links_cleared(model, now)
            theirs[model].update(resident=None, **changes)

        Resident.objects.filter(pk__in=ids).update(
            first_name="", last_name=ERASED, phone="", email="", non_essential_messages=False
        )
        counts["residents"] += len(ids)
    return len(ids)


def links_cleared(model: type, now: datetime.datetime) -> dict:
    """Update expressions that switch off the status link of every case that has one
    (as `tokens.clear`) and leave the others as they are."""
    without = Q(status_link_secret="")
    return {
        name: Case(
            When(without, then=F(name)),
            default=Value(value),
            output_field=model._meta.get_field(name),
        )
        for name, value in tokens.cleared(now).items()
    }


def data_scrub(events: QuerySet[TimelineEvent]) -> int:
    """Keep only the codes and counts in these events' details (two queries); returns
    how many changed."""
    changed = []
    for pk, data in events.exclude(data={}).values_list("pk", "data"):
        kept = _safe_data(data)
        if kept != data:
            changed.append(TimelineEvent(pk=pk, data=kept))
    TimelineEvent.objects.bulk_update(changed, ["data"])
    return len(changed)


def _redact_at_addresses(residents: list[Resident], theirs: Q, counts: Counter) -> None:
    """Texts at their addresses about others or the home: their names out, the rest
    kept. One read and one write per kind of text."""
    needles = defaultdict(list)
    for resident in residents:
        needles[resident.dwelling_id] += _needles(resident)
    patterns = {d: p for d, n in needles.items() if (p := _pattern(n)) is not None}
    if not patterns:
        return
    at = list(patterns)
    ids = [r.pk for r in residents]

    def rewrite(rows, fields: tuple[str, ...]) -> list:
        changed = []
        for row in rows.filter(dwelling_id__in=at).only("pk", "dwelling_id", *fields):
            new = {f: _redact(getattr(row, f), patterns[row.dwelling_id]) for f in fields}
            if any(new[f] != getattr(row, f) for f in fields):
                for f, text in new.items():
                    setattr(row, f, text)
                changed.append(row)
        if changed:
            rows.model.objects.bulk_update(changed, list(fields))
        return changed

    counts["timeline_events"] += len(rewrite(TimelineEvent.objects.exclude(theirs), ("text",)))
    counts["visit_notes"] += len(rewrite(Visit.objects.all(), ("note",)))
    for model, fields in CASE_TEXTS.items():
        rewrite(model.objects.exclude(resident_id__in=ids), fields)


def _admin_history_redact(residents: list[Resident]) -> None:
    """The admin's history names the rows it changed: their names out (two queries)."""
    names = {r.last_name for r in residents if r.last_name}
    pattern = _pattern(n for r in residents for n in _needles(r))
    if not names or pattern is None:
        return
    wanted = Q()
    for name in names:
        wanted |= Q(object_repr__icontains=name) | Q(change_message__icontains=name)
    changed = []
    for entry in LogEntry.objects.filter(wanted).only("pk", "object_repr", "change_message"):
        repr_, message = _redact(entry.object_repr, pattern), _redact(entry.change_message, pattern)
        if (repr_, message) != (entry.object_repr, entry.change_message):
            entry.object_repr, entry.change_message = repr_, message
            changed.append(entry)
    LogEntry.objects.bulk_update(changed, ["object_repr", "change_message"])


def is_erased(resident: Resident) -> bool:
    return resident.last_name == ERASED and not resident.first_name
