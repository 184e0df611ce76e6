"""Moments for demo data: office hours in Amsterdam, working days, all before 'now'."""

from __future__ import annotations

import datetime as dt
from random import Random
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def add_working_days(day: dt.date, n: int) -> dt.date:
    """`day` plus `n` working days (Monday–Friday).

    Public holidays are ignored on purpose: demo deadlines need only look right, and the
    chase recomputes every deadline it moves with its own exact calendar.
    """
    weekday = day.weekday()
    if weekday >= 5:  # a weekend counts from the Monday after
        day += dt.timedelta(days=7 - weekday)
        weekday = 0
    weeks, rest = divmod(n, 5)
    extra = rest + (2 if weekday + rest >= 5 else 0)
    return day + dt.timedelta(days=weeks * 7 + extra)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Roughly how many working days lie between two dates (0 when `end` is not later)."""
    days = (end - start).days
    return max(0, days * 5 // 7)


class Clock:
    """Plausible office-hour moments, counted back from one fixed 'now'."""

    def __init__(self, now: dt.datetime, rng: Random) -> None:
        self.now = now.astimezone(AMSTERDAM)
        self.today = self.now.date()
        self._rng = rng

    def office_time(self, day: dt.date) -> dt.datetime:
        """A moment between 08:00 and 17:30 on `day` (a weekend moves back to Friday)."""
        if day.weekday() >= 5:
            day -= dt.timedelta(days=day.weekday() - 4)
        # The office day, 08:00 to 17:30, in minutes.
        minutes = 480 + int(self._rng.random() * 570)
        moment = dt.datetime(
            day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=AMSTERDAM
        )
        if moment > self.now:
            # Something 'today' that would lie in the future happened a little earlier.
            return self.now - dt.timedelta(minutes=1 + int(self._rng.random() * 90))
        return moment

    def days_ago(self, days: float) -> dt.datetime:
        return self.office_time(self.today - dt.timedelta(days=int(days)))

    def path(self, age: float, latest: float, steps: int) -> list[dt.datetime]:
        """`steps` + 1 ordered moments: the first `age` days ago, the last `latest` days ago."""
        if steps == 0:
            return [self.days_ago(age)]
        between = [self._rng.uniform(latest, age) for _ in range(steps - 1)]
        return sorted(self.days_ago(days) for days in (age, *between, latest))

    def due(self, start: dt.datetime, working_days: int) -> dt.datetime:
        """The same time of day, `working_days` working days after `start`."""
        day = add_working_days(start.date(), working_days)
        return start.replace(year=day.year, month=day.month, day=day.day)

    def at(self, day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, tzinfo=AMSTERDAM)
