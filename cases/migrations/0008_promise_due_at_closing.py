"""Open promises are due at the end of their day (closing time), not at its opening.

Only `step_due_at` moves: the first reminder of a promise is still due at the opening of
that day, which is where `next_chase_at` already points."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEFAULT_CLOSES = 18


def due_at_closing(apps, schema_editor) -> None:
    Promise = apps.get_model("cases", "Promise")
    ChasePolicy = apps.get_model("cases", "ChasePolicy")
    closes = dict(ChasePolicy.objects.values_list("project_id", "office_closes_hour"))
    for promise in Promise.objects.filter(status="open", step_due_at__isnull=False).iterator():
        day = promise.step_due_at.astimezone(AMSTERDAM).date()
        hour = closes.get(promise.project_id, DEFAULT_CLOSES)
        end = datetime.datetime.combine(day, datetime.time(hour), tzinfo=AMSTERDAM)
        if end != promise.step_due_at:
            Promise.objects.filter(pk=promise.pk).update(step_due_at=end.astimezone(datetime.UTC))


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_notification_body_without_link")]

    operations = [migrations.RunPython(due_at_closing, migrations.RunPython.noop)]
