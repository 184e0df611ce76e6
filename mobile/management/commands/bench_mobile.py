"""`manage.py bench_mobile`: server time of the phone app's pages on a big project.

Builds (once) a project with --dwellings homes and a realistic load of residents, care
needs, visits, works, claims, complaints, promises and timeline events, then times the
round, the project's round, an address search and the busiest dwelling page through
Django's test client (no network), and prints the median and 95th percentile. Meant for
a scratch database: run it with DEBUG=false for production-like figures.
"""

from __future__ import annotations

import datetime
import statistics
import time
from random import Random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from accounts.models import Organisation, User
from cases.models import Complaint, DamageClaim, Promise, TimelineEvent
from projects.models import Dwelling, Project, ProjectMember, WorkWindow
from residents.models import CareNeed, Resident, Visit

CODE = "bench-mobile"
EMAIL = "bench-supervisor@woonrust.invalid"


class Command(BaseCommand):
    help = "Time the phone app's round and dwelling pages on a project with many dwellings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dwellings", type=int, default=1000)
        parser.add_argument("--runs", type=int, default=40)

    def handle(self, *args: Any, **options: Any) -> None:
        # Keep one database connection, as production does (DATABASE_CONN_MAX_AGE): the
        # figures are the pages' own time, not connection setup.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        project, supervisor = self._project(options["dwellings"])
        host = next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h), "localhost")
        client = Client(SERVER_NAME=host.lstrip("."), secure=not settings.DEBUG)
        client.force_login(supervisor)
        busiest = (
            TimelineEvent.objects.filter(dwelling__project=project)
            .values("dwelling")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        pages = {
            "round /m/": "/m/",
            "project round": f"/m/p/{project.pk}/",
            "search 'Lindelaan 1'": f"/m/p/{project.pk}/?q=Lindelaan+1",
            f"dwelling ({busiest['n']} events)": f"/m/d/{busiest['dwelling']}/",
        }
        self.stdout.write(
            f"{project.dwellings.count():,} dwellings in {project.name}; "
            f"{options['runs']} runs per page, DEBUG={settings.DEBUG}"
        )
        for label, url in pages.items():
            headers = {"HX-Request": "true"} if "search" in label else {}
            for _ in range(3):  # warm up connections and template caches
                client.get(url, headers=headers)
            times = []
            queries: list[str] = []
            with connection.execute_wrapper(
                lambda run, sql, *a, seen=queries: seen.append(sql) or run(sql, *a)
            ):
                response = client.get(url, headers=headers)
            assert response.status_code == 200, (url, response.status_code)
            for _ in range(options["runs"]):
                started = time.perf_counter()
                client.get(url, headers=headers)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
            self.stdout.write(
                f"  {label:<28} median {statistics.median(times):6.1f} ms   "
                f"p95 {p95:6.1f} ms   {len(queries)} queries   {len(response.content):,} bytes"
            )

    @transaction.atomic
    def _project(self, dwellings: int) -> tuple[Project, User]:
        existing = Project.objects.filter(code=CODE).first()
        if existing is not None:
            return existing, User.objects.get(email=EMAIL)
        self.stdout.write(f"Building {CODE} with {dwellings:,} dwellings (once)...")
        rng = Random(7)
        now, today = timezone.now(), timezone.localdate()
        corp, _ = Organisation.objects.get_or_create(
            name="Bench Wonen", defaults={"kind": Organisation.Kind.CORPORATION}
        )
        contr, _ = Organisation.objects.get_or_create(
            name="Bench Bouw", defaults={"kind": Organisation.Kind.CONTRACTOR}
        )
        supervisor = User.objects.create_user(
            EMAIL, None, organisation=contr, role=User.Role.SUPERVISOR, full_name="Bench Uitvoerder"
        )
        project = Project.objects.create(
            name="Bench Lindenbuurt",
            code=CODE,
            corporation=corp,
            contractor=contr,
            city="Utrecht",
            starts_on=today - datetime.timedelta(days=200),
            ends_on=today + datetime.timedelta(days=300),
            phase=Project.Phase.EXECUTION,
        )
        ProjectMember.objects.create(project=project, user=supervisor, role="supervisor")
        streets = ["Lindelaan", "Eikenlaan", "Beukenlaan", "Berkenlaan", "Iepenlaan"]
        homes = Dwelling.objects.bulk_create(
            Dwelling(
                project=project,
                street=streets[i % len(streets)],
                number=i // len(streets) + 1,
                postcode=f"35{10 + i % len(streets)} AB",
                city="Utrecht",
            )
            for i in range(dwellings)
        )
        residents = Resident.objects.bulk_create(
            Resident(
                dwelling=d,
                first_name=f"Bewoner{k}",
                last_name=f"{d.number}",
                is_main_contact=k == 0,
            )
            for d in homes
            for k in range(rng.choice((1, 1, 2, 2, 3)))
        )
        CareNeed.objects.bulk_create(
            CareNeed(resident=r, kind=rng.choice(CareNeed.Kind.values))
            for r in residents
            if rng.random() < 0.1
        )
        visits = Visit.objects.bulk_create(
            Visit(
                dwelling=d,
                visited_by=supervisor,
                visited_at=now - datetime.timedelta(days=rng.uniform(0, 180)),
                note="Rondgang",
            )
            for d in homes
            for _ in range(rng.randint(1, 8))
        )
        WorkWindow.objects.bulk_create(
            WorkWindow(
                dwelling=d,
                description=rng.choice(["Keuken", "Badkamer", "Kozijnen", "Dak"]),
                starts_on=today + datetime.timedelta(days=rng.randint(-10, 30)),
                ends_on=today + datetime.timedelta(days=rng.randint(30, 40)),
            )
            for d in homes
        )

        def cases(model, n: int, **fields) -> list:
            return model.objects.bulk_create(
                model(
                    project=project,
                    dwelling=rng.choice(homes),
                    created_by=supervisor,
                    step_due_at=now + datetime.timedelta(days=rng.uniform(-10, 20)),
                    **fields,
                )
                for _ in range(n)
            )

        claims = cases(DamageClaim, dwellings * 4 // 10, description="Kras in de vloer")
        complaints = cases(Complaint, dwellings * 15 // 100, description="Geluid")
        promises = cases(
            Promise,
            dwellings * 3 // 10,
            description="Deurstopper",
            due_on=today + datetime.timedelta(days=rng.randint(-5, 10)),
        )
        events = [
            TimelineEvent(dwelling_id=v.dwelling_id, visit=v, kind="visit", at=v.visited_at)
            for v in visits
        ]
        for case in [*claims, *complaints, *promises]:
            kind = {DamageClaim: "claim", Complaint: "complaint", Promise: "promise"}[type(case)]
            for step in range(rng.randint(1, 6)):
                events.append(
                    TimelineEvent(
                        dwelling_id=case.dwelling_id,
                        kind="created" if step == 0 else "note",
                        at=now - datetime.timedelta(days=rng.uniform(0, 100)),
                        text="Stap",
                        **{kind: case},
                    )
                )
        TimelineEvent.objects.bulk_create(events, batch_size=5000)
        return project, supervisor
