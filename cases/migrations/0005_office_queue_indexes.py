"""Indexes for the back-office work queue (office/queue.py).

The queue reads open cases of one project by deadline (the project filter, the project
dashboard) and open cases by the moment they were recorded (the "newest/oldest first"
orders). Both are partial indexes over the open rows only, like the chase's.

Written as SQL so the models' state is untouched: the indexes are a concern of the
back-office's queries, and the case models (owned by the chase) stay as they are.
"""

from django.db import migrations

OPEN = {
    "cases_damageclaim": (
        "reported",
        "assessing",
        "waiting_resident",
        "waiting_expert",
        "accepted",
        "partly_accepted",
        "rejected",
        "repair_planned",
        "compensation_offered",
        "repaired",
        "paid",
    ),
    "cases_complaint": ("received", "acknowledged", "answered"),
    "cases_promise": ("open",),
}
SHORT = {"cases_damageclaim": "claim", "cases_complaint": "complaint", "cases_promise": "promise"}


def _ops():
    ops = []
    for table, statuses in OPEN.items():
        where = "status IN (" + ", ".join(f"'{s}'" for s in statuses) + ")"
        for suffix, columns in (
            ("office_project_due", "project_id, step_due_at"),
            ("office_created", "created_at"),
        ):
            name = f"{SHORT[table]}_{suffix}_idx"
            ops.append(
                migrations.RunSQL(
                    f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns}) WHERE {where}",
                    f"DROP INDEX IF EXISTS {name}",
                )
            )
    return ops


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_status_link"),
    ]

    operations = _ops()
