"""The audit trail of edits to personal data: who changed which resident, care need,
user or dwelling, what, and when (django-auditlog).

Every save and delete of those models through the ORM writes one `auditlog.LogEntry`
with the old and new value of each changed field and the signed-in user
(`AuditlogMiddleware`). Passwords and sign-in moments are not recorded. Each entry keeps
ids in `additional_data` (the project, or the user's organisation; for a care need also
the resident) so that a privacy officer reads only their organisation's entries and an
erasure finds every entry about the resident it erases. The entries' old and new values
are personal data themselves: `audit_scrub` replaces them when the resident is erased
or retention anonymises her (privacy/erase.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from accounts.models import User
from projects.models import Dwelling, Project
from residents.models import CareNeed, Resident

ERASED = "[verwijderd]"

# The models whose edits are personal data, with the fields never recorded.
AUDITED: dict[type, list[str]] = {
    Resident: [],
    CareNeed: [],
    Dwelling: [],
    User: ["password", "last_login"],
}
KINDS = {"resident": Resident, "careneed": CareNeed, "dwelling": Dwelling, "user": User}


def register() -> None:
    for model, excluded in AUDITED.items():
        if model not in auditlog.get_models():
            auditlog.register(model, exclude_fields=excluded)


def audit_scrub(*, residents: Iterable[int], care_needs: Iterable[int] = ()) -> int:
    """Replace every value recorded about these residents and their care needs (the
    field names stay: "someone changed her phone number then" is no personal data).
    Returns how many entries were scrubbed. Two queries, however many residents."""
    types = ContentType.objects.get_for_models(Resident, CareNeed)
    ids = list(residents)
    if not ids:
        return 0
    hers = Q(content_type=types[Resident], object_pk__in=[str(pk) for pk in ids]) | Q(
        content_type=types[CareNeed], additional_data__resident__in=ids
    )
    care_ids = [str(pk) for pk in care_needs]
    if care_ids:
        hers |= Q(content_type=types[CareNeed], object_pk__in=care_ids)
    entries = list(LogEntry.objects.filter(hers).exclude(object_repr=ERASED).only("changes"))
    for entry in entries:
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        entry.changes = {field: [ERASED, ERASED] for field in changes}
        entry.changes_text = ""
        entry.object_repr = ERASED
        entry.serialized_data = None
    fields = ["changes", "changes_text", "object_repr", "serialized_data"]
    LogEntry.objects.bulk_update(entries, fields)
    return len(entries)


def audit_entries(user: User) -> QuerySet[LogEntry]:
    """The entries this privacy officer may read: those about the residents, care needs
    and dwellings of their organisation's projects and about their organisation's users.
    Platform staff read all."""
    audited = ContentType.objects.get_for_models(*AUDITED)
    entries = LogEntry.objects.filter(content_type__in=list(audited.values()))
    if user.is_superuser:
        return entries
    if user.role != User.Role.PRIVACY_OFFICER or user.organisation_id is None:
        return entries.none()
    org = user.organisation_id
    projects = list(
        Project.objects.filter(Q(corporation_id=org) | Q(contractor_id=org)).values_list(
            "pk", flat=True
        )
    )
    return entries.filter(
        Q(content_type=audited[User], additional_data__organisation=org)
        | Q(
            content_type__in=[audited[Resident], audited[CareNeed], audited[Dwelling]],
            additional_data__project__in=projects,
        )
    )
