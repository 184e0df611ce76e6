"""Writes about residents and their homes that are not cases: site visits."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from projects.models import Dwelling, Project

from .models import Visit


def visit_log(
    *,
    by: User,
    dwelling: Dwelling,
    kind: str = Visit.Kind.ROUND,
    outcome: str = Visit.Outcome.SPOKEN,
    mood: str = "",
    note: str = "",
    visited_at: datetime.datetime | None = None,
    submission_id: uuid.UUID | None = None,
) -> Visit:
    """Record that `by` was at `dwelling`, with a timeline event, in one transaction.

    A second call with the same `submission_id` (a double tap, an offline replay, a retry
    after a lost response) returns the visit the first one created and writes nothing.
    Raises PermissionDenied when `by` may not see the dwelling's project.
    """
    # Imported here: cases depends on residents, not the other way round.
    from cases.models import TimelineEvent

    if not Project.objects.visible_to(by).filter(pk=dwelling.project_id).exists():
        raise PermissionDenied("This dwelling is not in one of your projects.")
    if submission_id is not None:
        existing = Visit.objects.filter(submission_id=submission_id).first()
        if existing is not None:
            return existing
    now = timezone.now()
    visit = Visit(
        dwelling=dwelling,
        visited_by=by,
        visited_at=visited_at or now,
        kind=kind,
        outcome=outcome,
        mood=mood,
        note=note,
        submission_id=submission_id,
        created_at=now,
    )
    try:
        with transaction.atomic():
            visit.save(force_insert=True)
            TimelineEvent.objects.create(
                dwelling=dwelling,
                visit=visit,
                kind=TimelineEvent.Kind.VISIT,
                at=visit.visited_at,
                actor=by,
                text=note,
                data={"kind": kind, "outcome": outcome, "mood": mood},
            )
    except IntegrityError:
        # Another request with the same submission id got there first.
        if submission_id is not None:
            existing = Visit.objects.filter(submission_id=submission_id).first()
            if existing is not None:
                return existing
        raise
    return visit
