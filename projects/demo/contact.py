"""A resident who wants a call and one who wants letters, each with news due, on the
demo handler's cases: "Te bellen" and the day's letters are not empty in `make run`.

Written through the real outbox (`cases.outbox.Changes`), as the chase writes them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import models, transaction

from cases.models import CallTask, ChasePolicy, DamageClaim, Letter
from cases.outbox import Changes
from cases.recipients import of_resident
from cases.workdays import local
from residents.models import Resident

from .people import DemoTeam


def seed_contact(team: DemoTeam, now: dt.datetime) -> Counter[type[models.Model]]:
    rows: Counter[type[models.Model]] = Counter()
    recent = (
        DamageClaim.objects.open()
        .filter(handler=team.handler, resident__isnull=False)
        .select_related(
            "project__corporation", "project__contractor", "dwelling", "resident", "handler"
        )
        .order_by("-created_at", "pk")[:20]
    )
    # Two different residents: one is called, the other gets letters.
    claims = list({claim.resident_id: claim for claim in reversed(recent)}.values())[-2:]
    channels = (Resident.Channel.PHONE, Resident.Channel.LETTER)
    for claim, channel in zip(claims, channels, strict=False):
        resident = claim.resident
        resident.contact_channel = channel
        resident.save(update_fields=["contact_channel"])
        with transaction.atomic():
            changes = Changes(now)
            changes.tell(
                claim,
                ChasePolicy.for_project(claim.project),
                purpose="resident_update",
                what=f"update-{local(now):%Y%m%d}",
                recipients=[of_resident(resident)],
                extra={
                    "date": claim.step_due_at
                    if claim.step_due_at and claim.step_due_at > now
                    else None
                },
            )
            changes.save()
            # Due now, even when the demo is loaded after office hours.
            rows[CallTask] += CallTask.objects.filter(claim=claim).update(due_at=now)
            rows[Letter] += Letter.objects.filter(claim=claim).update(due_on=local(now).date())
    return rows
