"""`python manage.py chase`: one chase sweep, exactly what the beat job runs, printed."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from cases.appointments import ask_due
from cases.sweep import sweep
from ops import watchdog


class Command(BaseCommand):
    help = "Run one chase sweep now (what the beat job runs every minute) and print what it did."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-dispatch",
            action="store_true",
            help="Write messages to the outbox but do not publish delivery tasks.",
        )

    def handle(self, *args: object, **options: object) -> None:
        report = sweep(dispatch=not options["no_dispatch"])
        watchdog.beat(watchdog.CHASE, str(report))
        self.stdout.write(str(report))
        self.stdout.write(str(ask_due()))
