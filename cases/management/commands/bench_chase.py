"""`python manage.py bench_chase`: time a sweep over N due claims among M stored.

Seeds its own project with M claims (COPY on PostgreSQL, bulk inserts elsewhere): `due`
of them due now, 2% open but not yet due, the rest settled or withdrawn, as a national
deployment looks. Then it times one sweep over the due claims, and a second sweep with
nothing due, prints the figures, and deletes everything it seeded (unless --keep).
"""

from __future__ import annotations

import datetime
import time
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation, User
from cases.models import DamageClaim, Notification, TimelineEvent
from cases.sweep import sweep
from cases.workdays import local_moment_text, next_office_moment
from projects.models import Dwelling, Project, ProjectMember
from residents.models import Resident

DWELLINGS = 1000
S = DamageClaim.Status


class Command(BaseCommand):
    help = "Seed claims, time one chase sweep over the due ones and one with nothing due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--total", type=int, default=1_000_000)
        parser.add_argument("--due", type=int, default=10_000)
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument(
            "--dispatch",
            action="store_true",
            help="Also publish the delivery tasks to the broker (as the beat job does).",
        )
        parser.add_argument("--keep", action="store_true", help="Leave the seeded data.")

    def handle(self, *args: Any, **options: Any) -> None:
        total, due = options["total"], options["due"]
        if not 0 < due <= total:
            raise CommandError("--due must be between 1 and --total.")
        # Sweep as at an office moment, so the figures do not depend on the hour the
        # benchmark runs (outside office hours the sweep only defers cases).
        now = next_office_moment(timezone.now())
        project = self._project()
        try:
            started = time.monotonic()
            self._seed(project, total=total, due=due, now=now)
            seeded = time.monotonic() - started
            self.stdout.write(
                f"Seeded {total:,} claims ({due:,} due at {local_moment_text(now)}) "
                f"in {seeded:.1f}s"
            )
            report = sweep(
                now=now, batch_size=options["batch_size"], budget=3600, dispatch=options["dispatch"]
            )
            written = Notification.objects.filter(claim__project=project).count()
            chased = DamageClaim.objects.filter(project=project, reminders_sent=1).count()
            self.stdout.write(f"Sweep over {due:,} due: {report}")
            self.stdout.write(
                f"  {report.seconds:.2f}s, {report.tally.cases / report.seconds:,.0f} cases/s, "
                f"{written:,} notifications in the outbox"
                + ("" if options["dispatch"] else " (delivery tasks not published)")
            )
            if chased != due or written != due:
                raise CommandError(f"expected {due} chased and {due} messages: {report}")
            empty = sweep(now=now, dispatch=options["dispatch"])
            self.stdout.write(
                f"Sweep with nothing due: {empty.seconds * 1000:.1f} ms ({empty.tally.cases} cases)"
            )
        finally:
            if not options["keep"]:
                started = time.monotonic()
                self._clean(project)
                self.stdout.write(f"Cleaned up in {time.monotonic() - started:.1f}s")

    def _project(self) -> Project:
        tag = uuid.uuid4().hex[:8]
        corp = Organisation.objects.create(name=f"Bench corporatie {tag}", kind="corporation")
        contr = Organisation.objects.create(name=f"Bench aannemer {tag}", kind="contractor")
        project = Project.objects.create(
            name=f"Bench {tag}",
            code=f"bench-{tag}",
            corporation=corp,
            contractor=contr,
            city="Utrecht",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2028, 12, 31),
        )
        for role in ("handler", "manager"):
            # Each reminder by its own e-mail (a handler's default is the morning digest,
            # which writes no message per case): the sweep writes one message per case.
            user = User.objects.create_user(
                f"bench-{role}-{tag}@example.nl",
                None,
                organisation=corp,
                role=role,
                email_delivery=User.Delivery.IMMEDIATE,
            )
            ProjectMember.objects.create(project=project, user=user, role=role)
        return project

    def _seed(self, project: Project, *, total: int, due: int, now: datetime.datetime) -> None:
        Dwelling.objects.bulk_create(
            Dwelling(
                project=project,
                street="Benchstraat",
                number=n + 1,
                postcode="3500 AA",
                city="Utrecht",
            )
            for n in range(DWELLINGS)
        )
        dwellings = list(project.dwellings.values_list("pk", flat=True))
        Resident.objects.bulk_create(
            Resident(dwelling_id=d, first_name="Bench", last_name=str(d), phone="0600000000")
            for d in dwellings
        )
        residents = dict(
            Resident.objects.filter(dwelling_id__in=dwellings).values_list("dwelling_id", "pk")
        )
        open_not_due = max(0, min(total - due, total // 50))
        fields = [f for f in DamageClaim._meta.concrete_fields if not f.primary_key]
        template = DamageClaim(project=project, dwelling_id=dwellings[0])

        def rows():
            for i in range(total):
                dwelling = dwellings[i % len(dwellings)]
                values = {"dwelling_id": dwelling, "resident_id": residents[dwelling]}
                age = datetime.timedelta(days=1 + i % 700)
                values["created_at"] = values["status_changed_at"] = now - age
                if i < due:
                    values |= {"status": S.REPORTED, "step_seq": 1, "resident_news_at": now}
                    values["step_due_at"] = values["next_chase_at"] = now - datetime.timedelta(
                        minutes=1 + i % 600
                    )
                elif i < due + open_not_due:
                    values |= {"status": S.ASSESSING, "step_seq": 2, "resident_news_at": now}
                    values["step_due_at"] = values["next_chase_at"] = now + datetime.timedelta(
                        hours=1 + i % 300
                    )
                else:
                    values["status"] = S.SETTLED if i % 10 else S.WITHDRAWN
                    values["settled_at"] = now - age
                yield tuple(values.get(f.attname, getattr(template, f.attname)) for f in fields)

        table = DamageClaim._meta.db_table
        columns = [f.column for f in fields]
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    sql = f'COPY "{table}" ({", ".join(columns)}) FROM STDIN'
                    with cursor.cursor.copy(sql) as copy:
                        for row in rows():
                            copy.write_row(row)
            else:
                batch = []
                for row in rows():
                    batch.append(
                        DamageClaim(**{f.attname: v for f, v in zip(fields, row, strict=True)})
                    )
                    if len(batch) == 5000:
                        DamageClaim.objects.bulk_create(batch)
                        batch = []
                DamageClaim.objects.bulk_create(batch)
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{table}"' if connection.vendor == "postgresql" else "ANALYZE")

    def _clean(self, project: Project) -> None:
        """Delete exactly what was seeded, table by table (no cascade: only these rows)."""
        orgs = [project.corporation_id, project.contractor_id]
        claims = DamageClaim.objects.filter(project=project)
        with transaction.atomic():
            for query in (
                Notification.objects.filter(claim__in=claims),
                TimelineEvent.objects.filter(dwelling__project=project),
                claims,
                Resident.objects.filter(dwelling__project=project),
                Dwelling.objects.filter(project=project),
                ProjectMember.objects.filter(project=project),
                Project.objects.filter(pk=project.pk),
                User.objects.filter(organisation_id__in=orgs),
                Organisation.objects.filter(pk__in=orgs),
            ):
                query._raw_delete(connection.alias)
