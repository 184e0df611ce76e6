"""`manage.py seed_demo`: fill the database with realistic Dutch demo data."""

from __future__ import annotations

import argparse
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from projects import demo
from projects.models import Project


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of 0 or more, got {value!r}")
    return number


class Command(BaseCommand):
    help = (
        "Add a batch of demo projects with dwellings, residents, visits, promises, complaints "
        "and damage claims in every state. Demo logins (password "
        f"{demo.DEMO_PASSWORD}) are created when DEBUG is on or with --demo-users."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dwellings",
            type=_count,
            default=None,
            help="Dwellings in total (default 300, or claims/10 when that is more).",
        )
        parser.add_argument(
            "--claims",
            type=_count,
            default=demo.DEFAULT_CLAIMS,
            help="Damage claims in total; complaints and promises follow in proportion.",
        )
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Create the demo logins even when DEBUG is off.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has a project.",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed, for reproducible data (default 1)."
        )
        parser.add_argument(
            "--workers",
            type=_count,
            default=None,
            help="Projects filled at the same time (default: several for a big run on "
            "PostgreSQL, else 1).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # `make run` asks for -v0: it prints the logins itself, last, once.
        quiet = options["verbosity"] == 0
        if options["if_empty"] and Project.objects.exists():
            if not quiet:
                self.stdout.write("The database already has projects: no demo data added.")
            return
        try:
            sizes = demo.sizes_for(options["dwellings"], options["claims"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        with_demo_users = options["demo_users"] or settings.DEBUG
        if not with_demo_users:
            self.stdout.write("Demo users skipped: DEBUG is off (use --demo-users to add them).")

        report = demo.seed(
            sizes=sizes,
            with_demo_users=with_demo_users,
            random_seed=options["seed"],
            workers=options["workers"] or None,
            log=(lambda line: None) if quiet else self.stdout.write,
        )
        if quiet:
            self.stdout.write(
                f"Demo data loaded in {report.seconds:.0f} s: {sizes.dwellings:,} dwellings, "
                f"{sizes.claims:,} damage claims."
            )
            return

        self.stdout.write(
            f"Done in {report.seconds:.1f} s ({report.workers} at a time). Rows added:"
        )
        for model, rows in sorted(report.rows.items(), key=lambda item: item[0]._meta.label):
            self.stdout.write(f"  {model._meta.label:<24} {rows:>12,}")
        self.stdout.write(f"  {'total':<24} {sum(report.rows.values()):>12,}")
        if report.demo is not None:
            self.stdout.write(f"Demo logins (password {demo.DEMO_PASSWORD}):")
            for login in demo.DEMO_LOGINS:
                if login.platform_staff and not settings.DEBUG:
                    continue
                self.stdout.write(f"  {login.email:<32} {login.title:<28} {login.lands}")
        if report.status_link:
            self.stdout.write(f"A resident with an offer to answer: {report.status_link}")
