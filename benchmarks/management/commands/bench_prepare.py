"""`manage.py bench_prepare`: ready a seeded database for bench/http; prints JSON.

Run with WOONRUST_BENCH on, on a database seeded with `seed_demo --demo-users`, and
with the SECRET_KEY the server will run with (a session is bound to it). Each run:

- fills the yardstick table to 10,000 rows (once);
- tops the benchmark's case up to 6 photos and 60 timeline events (the first open claim
  the demo handler may see, so the same data gives the same case; the photos are rows
  only: the case page links to them and never reads the files);
- signs in the demo handler and the demo supervisor as bench_office does (a session
  made on the server, with the second factor counted as confirmed: the benchmark times
  pages, not the set-up the demo users have not done);
- prints the session keys and the pages' arguments (a surname, a postcode, a case
  number, the dwelling) as one JSON object.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from django.utils import timezone

from accounts.middleware import SECOND_FACTOR_KEY
from accounts.models import User
from benchmarks.models import YARDSTICK_ROWS, YardstickRow
from cases.models import ClaimPhoto, DamageClaim, TimelineEvent
from projects.demo import DEMO_LOGINS
from residents.models import Resident

PHOTOS = 6
EVENTS = 60


def signed_in(user: User) -> str:
    """A session key for `user`, second factor confirmed (as bench_office signs in)."""
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_KEY] = user.pk
    session.save()
    return session.session_key or ""


def fill_yardstick() -> None:
    if YardstickRow.objects.count() == YARDSTICK_ROWS:
        return
    with transaction.atomic():
        YardstickRow.objects.all().delete()
        YardstickRow.objects.bulk_create(
            (
                YardstickRow(
                    name=f"Bewoner {n}",
                    street=f"Lindelaan {n % 400 + 1}",
                    postcode=f"{3500 + n % 400} AB",
                    city="Utrecht",
                    amount=Decimal(n % 5000) + Decimal("0.50"),
                )
                for n in range(YARDSTICK_ROWS)
            ),
            batch_size=2000,
        )


@transaction.atomic
def bench_case(handler: User) -> DamageClaim:
    """The first open claim the handler may see, topped up to PHOTOS photos and EVENTS
    timeline events (a second run adds nothing)."""
    case = DamageClaim.objects.visible_to(handler).open().order_by("pk").first()
    if case is None:
        raise CommandError("The demo handler sees no open claim: seed with --demo-users.")
    case = DamageClaim.objects.select_for_update().get(pk=case.pk)
    now = timezone.now()
    have = ClaimPhoto.objects.filter(claim=case).count()
    ClaimPhoto.objects.bulk_create(
        ClaimPhoto(
            claim=case,
            image=f"claims/{case.pk}/bench-{n}.jpg",
            thumbnail=f"claims/{case.pk}/thumbs/bench-{n}.jpg",
            width=1600,
            height=1200,
            caption=f"Schade {n + 1}",
            uploaded_by=handler,
            uploaded_at=now - datetime.timedelta(hours=n),
        )
        for n in range(have, PHOTOS)
    )
    have = case.timeline.count()
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            dwelling_id=case.dwelling_id,
            claim=case,
            kind=TimelineEvent.Kind.NOTE,
            actor=handler,
            at=case.created_at + datetime.timedelta(minutes=n + 1),
            text=f"Gebeld met de bewoner ({n + 1}).",
        )
        for n in range(have, EVENTS)
    )
    return case


class Command(BaseCommand):
    help = "Ready a seeded database for bench/http and print sessions and page arguments."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.BENCH:
            raise CommandError("Run with WOONRUST_BENCH=1 (the yardstick table needs it).")
        logins = {login.role: login.email for login in DEMO_LOGINS if not login.platform_staff}
        handler = User.objects.filter(email=logins[User.Role.HANDLER]).first()
        supervisor = User.objects.filter(email=logins[User.Role.SUPERVISOR]).first()
        if handler is None or supervisor is None:
            raise CommandError("No demo handler or supervisor: seed with --demo-users.")
        fill_yardstick()
        case = bench_case(handler)
        surname = (
            Resident.objects.visible_to(handler)
            .order_by("pk")
            .values_list("last_name", flat=True)
            .first()
        )
        postcode = (
            DamageClaim.objects.visible_to(handler)
            .open()
            .order_by("pk")
            .values_list("dwelling__postcode", flat=True)
            .first()
        )
        self.stdout.write(
            json.dumps(
                {
                    "handler_session": signed_in(handler),
                    "supervisor_session": signed_in(supervisor),
                    "session_cookie": settings.SESSION_COOKIE_NAME,
                    "claims": DamageClaim.objects.count(),
                    "case": case.pk,
                    "case_number": case.number,
                    "case_photos": ClaimPhoto.objects.filter(claim=case).count(),
                    "case_events": case.timeline.count(),
                    "dwelling": case.dwelling_id,
                    "surname": surname or "Jansen",
                    "postcode": postcode or "1234 AB",
                }
            )
        )
