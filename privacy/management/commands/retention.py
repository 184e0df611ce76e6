"""`python manage.py retention [--dry-run]`: what the daily retention job does, now."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from privacy.retention import policies, retention_report, retention_run

FIGURES = [
    ("projects", "projects ended"),
    ("dwellings", "addresses"),
    ("residents", "residents"),
    ("care_needs", "care needs"),
    ("cases", "cases"),
    ("visit_notes", "visit notes"),
    ("timeline_events", "timeline events"),
    ("audit_entries", "audit-trail entries"),
    ("photos", "photos"),
    ("files", "files"),
    ("messages", "messages"),
]


class Command(BaseCommand):
    help = (
        "Apply the retention periods of every corporation that started retention (what the "
        "daily job runs), or with --dry-run print what would be removed, changing nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count only; change nothing.")
        parser.add_argument("--batch", type=int, default=None, help="Rows per transaction.")
        parser.add_argument(
            "--budget", type=float, default=None, help="Seconds to keep taking batches."
        )

    def handle(self, *args: object, **options) -> None:
        if options["dry_run"]:
            for policy in policies(started_only=False):
                report = retention_report(policy)
                state = "started" if policy.started_at else "not started"
                self.stdout.write(f"{policy.corporation} ({state}):")
                for name, label in FIGURES:
                    self.stdout.write(f"  {label}: {getattr(report, name)}")
            return
        run = retention_run(batch=options["batch"], budget=options["budget"])
        figures = ", ".join(f"{label} {run.counts.get(name, 0)}" for name, label in FIGURES[1:])
        more = "" if run.complete else " (more to do: the next run goes on)"
        self.stdout.write(f"retention: {figures}{more}")
