"""The working-day calendar every chase deadline is counted in.

Working days are Monday to Friday minus the Dutch public holidays the brief names: New
Year's Day, Easter Monday, King's Day, Liberation Day (in lustrum years, as the
`holidays` package has it), Ascension Day, Whit Monday and both Christmas days. Good
Friday is left out on purpose: it is not a general day off in the Netherlands.

All arithmetic happens on local dates and wall-clock times in Europe/Amsterdam and is
converted to an aware datetime only at the end, so a daylight-saving change never moves
a deadline's hour or makes it happen twice. (Both changes fall on a Sunday, which is
never a working day, so an office moment can never be a missing or repeated hour.)
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
OFFICE_OPENS = 8
OFFICE_CLOSES = 18

# Names as the holidays package spells them in English (the `en_US` locale).
_NOT_A_DAY_OFF = {"Good Friday"}


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[datetime.date]:
    days = holidays.country_holidays("NL", years=year, language="en_US")
    return frozenset(day for day, name in days.items() if name not in _NOT_A_DAY_OFF)


def is_holiday(day: datetime.date) -> bool:
    return day in _holidays_of(day.year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def next_working_day(day: datetime.date) -> datetime.date:
    """The first working day strictly after `day`."""
    day += datetime.timedelta(days=1)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def working_days_before(day: datetime.date, days: int) -> datetime.date:
    """The working day `days` working days before `day` (`day` itself may be any day)."""
    for _ in range(days):
        day -= datetime.timedelta(days=1)
        while not is_working_day(day):
            day -= datetime.timedelta(days=1)
    return day


def local(moment: datetime.datetime) -> datetime.datetime:
    """`moment` (aware) as wall-clock time in Amsterdam."""
    if moment.tzinfo is None:
        raise ValueError("The chase calendar needs aware datetimes.")
    return moment.astimezone(AMSTERDAM)


def _at(day: datetime.date, wall: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, wall, tzinfo=AMSTERDAM).astimezone(datetime.UTC)


def next_office_moment(
    moment: datetime.datetime, *, opens: int = OFFICE_OPENS, closes: int = OFFICE_CLOSES
) -> datetime.datetime:
    """`moment` itself if it falls within office hours on a working day, else the next
    working morning at opening time. Returned in UTC."""
    here = local(moment)
    day, hour = here.date(), here.hour
    if is_working_day(day) and opens <= hour < closes:
        return moment.astimezone(datetime.UTC)
    if is_working_day(day) and hour < opens:
        return _at(day, datetime.time(opens))
    return _at(next_working_day(day), datetime.time(opens))


def add_working_days(
    moment: datetime.datetime,
    days: int,
    *,
    opens: int = OFFICE_OPENS,
    closes: int = OFFICE_CLOSES,
) -> datetime.datetime:
    """The same wall-clock time `days` working days after `moment`, in UTC.

    A moment outside office hours first moves to the next working morning, so "within 2
    working days" of a report made on Saturday means Wednesday at opening time. The
    result is always an office moment.
    """
    start = local(next_office_moment(moment, opens=opens, closes=closes))
    day = start.date()
    for _ in range(days):
        day = next_working_day(day)
    return _at(day, start.time().replace(tzinfo=None))


def working_days_between(start: datetime.datetime, end: datetime.datetime) -> int:
    """How many working days lie after `start`'s local date up to and including `end`'s
    (0 when `end` is on the same day or earlier). The inverse of `add_working_days`."""
    first, last = local(start).date(), local(end).date()
    count, day = 0, first
    while day < last:
        day = next_working_day(day)
        if day <= last:
            count += 1
    return count


def local_date_text(moment: datetime.datetime) -> str:
    """dd-mm-yyyy in Amsterdam, as residents and staff read dates."""
    return local(moment).strftime("%d-%m-%Y")


def local_moment_text(moment: datetime.datetime) -> str:
    return local(moment).strftime("%d-%m-%Y %H:%M")


def start_of_day(day: datetime.date, *, hour: int = OFFICE_OPENS) -> datetime.datetime:
    """`day` at `hour` o'clock in Amsterdam, in UTC (e.g. a promise's due date at opening).
    Hour 24 is the end of `day` (an office open until midnight closes at 24:00)."""
    if hour == 24:
        return _at(day + datetime.timedelta(days=1), datetime.time(0))
    return _at(day, datetime.time(hour))
