"""`python manage.py chase`: one chase sweep, exactly what the beat job runs, printed.

    python manage.py chase                      # now, as the beat job does every minute
    python manage.py chase --at "tomorrow 09:00"   # the demo database only

`--at` runs the sweep as if the clock showed that moment, and delivers the messages it
wrote at that moment too: right after `make run` in the evening the chase would move
every message to the next morning and nothing visible would happen. It refuses any
database but the demo's (the demo logins are there and DEBUG is on): on real data a
reminder sent "tomorrow" today would be a lie to a resident.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.models import User
from accounts.second_factor import DEMO_DOMAIN
from cases.appointments import ask_due
from cases.delivery import deliver_batch
from cases.models import ChasePolicy, Notification
from cases.outbox import DISPATCH_CHUNK
from cases.schedule import office
from cases.sweep import sweep
from cases.workdays import local, next_office_moment, next_working_day
from ops import watchdog

_AT = re.compile(
    r"^\s*(?P<day>today|tomorrow|next-working-day|\d{4}-\d{2}-\d{2})\s+"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*$",
    re.IGNORECASE,
)


def parse_at(text: str, now: datetime.datetime) -> datetime.datetime:
    """'tomorrow 09:00', 'today 16:30', 'next-working-day 09:00' or '2026-12-07 09:00',
    in the site's time zone."""
    match = _AT.match(text)
    if match is None:
        raise CommandError(
            f"--at {text!r}: give a day (today, tomorrow, next-working-day or YYYY-MM-DD) "
            'and a time, e.g. --at "tomorrow 09:00".'
        )
    today = local(now).date()
    day_text = match["day"].lower()
    if day_text == "today":
        day = today
    elif day_text == "tomorrow":
        day = today + datetime.timedelta(days=1)
    elif day_text == "next-working-day":
        day = next_working_day(today)
    else:
        try:
            day = datetime.date.fromisoformat(day_text)
        except ValueError as error:
            raise CommandError(f"--at {text!r}: {error}.") from error
    try:
        moment = datetime.time(int(match["hour"]), int(match["minute"]))
    except ValueError as error:
        raise CommandError(f"--at {text!r}: {error}.") from error
    return timezone.make_aware(datetime.datetime.combine(day, moment))


def is_demo_database() -> bool:
    return settings.DEBUG and User.objects.filter(email__iendswith=DEMO_DOMAIN).exists()


class Command(BaseCommand):
    help = (
        "Run one chase sweep now (what the beat job runs every minute) and print what it "
        "did; on the demo database, --at runs it at a later moment and sends its messages."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-dispatch",
            action="store_true",
            help="Write messages to the outbox but do not publish delivery tasks.",
        )
        parser.add_argument(
            "--at",
            metavar="WHEN",
            help='Demo database only: sweep as if it were WHEN ("tomorrow 09:00", '
            '"next-working-day 09:00", "2026-12-07 09:00") and deliver what is due then.',
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["at"]:
            self._at(str(options["at"]))
            return
        report = sweep(dispatch=not options["no_dispatch"])
        watchdog.beat(watchdog.CHASE, str(report))
        self.stdout.write(str(report))
        self.stdout.write(str(ask_due()))

    def _at(self, text: str) -> None:
        now = timezone.now()
        at = parse_at(text, now)
        if not is_demo_database():
            raise CommandError(
                "--at is for the demo database only (DEBUG on, demo logins present): "
                "on real cases it would send tomorrow's reminders today."
            )
        if at <= now:
            raise CommandError(f"--at {text!r} is not later than now ({local(now):%d-%m %H:%M}).")
        # Delivered here, at `at`, not by the workers: they would see the real clock and
        # hold every message until the office opens. (With the console e-mail backend of
        # `make run` the messages print here, above the summary.)
        report = sweep(now=at, dispatch=False)
        asked = ask_due(now=at)
        due = Notification.objects.filter(
            status=Notification.Status.PENDING, send_after__lte=at
        ).values_list("pk", flat=True)
        due = list(due)
        outcomes: Counter[str] = Counter()
        for start in range(0, len(due), DISPATCH_CHUNK):
            outcomes.update(deliver_batch(due[start : start + DISPATCH_CHUNK], now=at).values())
        self.stdout.write(f"The chase at {local(at):%A %d-%m-%Y %H:%M}:")
        if next_office_moment(at, **office(ChasePolicy())) > at:
            self.stdout.write(
                "  outside office hours: messages wait for the office to open; try a "
                'working day at 09:00, e.g. --at "next-working-day 09:00"'
            )
        self.stdout.write(f"  {report}")
        self.stdout.write(f"  {asked}")
        told = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(f"  messages delivered at that moment: {told or 'none'}")
        self.stdout.write(
            "The reminders and escalations are on the cases' timelines (/office/, 'Mijn werk')."
        )
