"""`manage.py bench_office`: server time of the back-office's main pages.

Run it against a scratch database, e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/woonrust_bench_10k \\
        python manage.py bench_office --seed 10000

`--seed N` first fills the database with `seed_demo --claims N` when it holds fewer
claims than that. The pages are requested in-process through Django's test client as
the demo handler (everything the server does: middleware, queries, templates; no
network), and the median and 95th percentile of each page are printed.
"""

from __future__ import annotations

import re
import statistics
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from accounts.middleware import SECOND_FACTOR_KEY
from accounts.models import User
from cases.models import DamageClaim
from projects.demo import DEMO_LOGINS
from projects.models import Dwelling
from residents.models import Resident


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = (
        "Print the server time (median, p95) of the queue, a filter, a search, "
        "a case page and the dashboard."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=0, help="Seed demo data up to N claims first."
        )
        parser.add_argument("--runs", type=int, default=30, help="Requests per page (default 30).")
        parser.add_argument(
            "--user", default=DEMO_LOGINS[1].email, help="Who looks (default: the demo handler)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        claims = DamageClaim.objects.count()
        if options["seed"] and claims < options["seed"]:
            self.stdout.write(f"Seeding {options['seed'] - claims:,} claims …")
            call_command("seed_demo", "--demo-users", "--claims", str(options["seed"] - claims))
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            claims = DamageClaim.objects.count()
        user = User.objects.filter(email__iexact=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']}: seed demo data with --demo-users.")
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        # As if the person had confirmed their second factor at sign-in: the benchmark
        # measures the pages, not the set-up the demo users have not done.
        session = client.session
        session[SECOND_FACTOR_KEY] = user.pk
        session.save()
        first = client.get("/office/")
        if first.status_code != 200:
            raise CommandError(f"/office/ answered {first.status_code}")
        case = (
            DamageClaim.objects.visible_to(user).open().order_by("step_due_at").only("pk").first()
        )
        surname = (
            Resident.objects.visible_to(user)
            .order_by("pk")
            .values_list("last_name", flat=True)
            .first()
            or "Jansen"
        )
        postcode = (
            DamageClaim.objects.visible_to(user)
            .open()
            .values_list("dwelling__postcode", flat=True)
            .first()
            or "1234 AB"
        )
        street = (
            Dwelling.objects.visible_to(user)
            .order_by("pk")
            .values_list("street", flat=True)
            .first()
            or "Rijnstraat"
        )
        description = (
            DamageClaim.objects.visible_to(user)
            .exclude(description="")
            .order_by("pk")
            .values_list("description", flat=True)
            .first()
            or "kras"
        )
        word = max(description.split(), key=len)
        pages = [
            ("queue, first page", "/office/", {}),
            ("queue, overdue claims", "/office/", {"kind": "claim", "overdue": "on"}),
            ("queue, next page", "/office/", None),
            ("search, surname", "/office/", {"q": surname}),
            ("search, part of a street", "/office/", {"q": street[1:6]}),
            ("search, description word", "/office/", {"q": word}),
            ("search, name and street", "/office/", {"q": f"{surname} {street[:5]}"}),
            ("search, nothing found", "/office/", {"q": "qzxwv"}),
            ("search, postcode", "/office/", {"q": postcode}),
            ("case page", f"/office/claim/{case.pk}/" if case else "/office/", {}),
            ("dashboard, all projects", "/office/dashboard/", {}),
        ]
        # The next page: follow the first page's "more" link.
        more = re.search(r'href="\?([^"]+)" hx-get', first.content.decode())
        self.stdout.write(
            f"{claims:,} claims in the database; "
            f"{options['runs']} requests per page as {user.email}"
        )
        self.stdout.write(f"{'page':<30} {'median ms':>10} {'p95 ms':>10}")
        with override_settings(DEBUG=False):
            for name, url, query in pages:
                if query is None:
                    if not more:
                        continue
                    url, query = "/office/?" + more.group(1).replace("&amp;", "&"), {}
                times = []
                for _run in range(options["runs"]):
                    start = time.perf_counter()
                    response = client.get(url, query)
                    if hasattr(response, "streaming_content"):
                        b"".join(response.streaming_content)
                    times.append((time.perf_counter() - start) * 1000)
                    if response.status_code != 200:
                        raise CommandError(f"{url} answered {response.status_code}")
                self.stdout.write(
                    f"{name:<30} {statistics.median(times):>10.1f} {percentile(times, 0.95):>10.1f}"
                )
