"""The working-day calendar: weekends, Dutch holidays, office hours, daylight saving."""

from __future__ import annotations

import datetime

import pytest

from cases.workdays import (
    AMSTERDAM,
    add_working_days,
    is_working_day,
    local,
    next_office_moment,
    start_of_day,
    working_days_between,
)


def ams(*args: int, fold: int = 0) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=AMSTERDAM, fold=fold)


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (datetime.date(2026, 1, 1), "New Year's Day"),
        (datetime.date(2026, 4, 6), "Easter Monday"),
        (datetime.date(2026, 4, 27), "King's Day"),
        (datetime.date(2025, 4, 26), "King's Day on a Saturday"),
        (datetime.date(2025, 5, 5), "Liberation Day, lustrum year"),
        (datetime.date(2030, 5, 5), "Liberation Day, lustrum year"),
        (datetime.date(2026, 5, 14), "Ascension Day"),
        (datetime.date(2026, 5, 25), "Whit Monday"),
        (datetime.date(2026, 12, 25), "Christmas Day"),
        (datetime.date(2026, 12, 26), "Second Day of Christmas"),
        (datetime.date(2026, 4, 25), "Saturday"),
        (datetime.date(2026, 4, 26), "Sunday"),
    ],
)
def test_days_off(day, why):
    assert not is_working_day(day), why


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(2026, 5, 5),  # Liberation Day outside a lustrum year
        datetime.date(2026, 4, 3),  # Good Friday is not a general day off
        datetime.date(2026, 4, 28),  # the day after King's Day
        datetime.date(2026, 12, 24),  # Christmas Eve
        datetime.date(2026, 12, 31),  # New Year's Eve
        datetime.date(2027, 12, 27),  # Christmas on a weekend moves nothing to Monday
    ],
)
def test_working_days(day):
    assert is_working_day(day)


def test_two_working_days_from_friday_skip_the_weekend_and_kings_day():
    # Fri 24-04-2026 10:00 + 2: Mon 27 is King's Day -> Tue 28, Wed 29.
    assert add_working_days(ams(2026, 4, 24, 10), 2) == ams(2026, 4, 29, 10)


def test_working_days_across_christmas_and_new_year():
    # Wed 23-12-2026 15:00 + 5: Thu 24, (Fri 25, weekend) Mon 28, Tue 29, Wed 30, Thu 31.
    assert add_working_days(ams(2026, 12, 23, 15), 5) == ams(2026, 12, 31, 15)
    # Thu 31-12-2026 + 2: (Fri 1 Jan, weekend) Mon 4, Tue 5.
    assert add_working_days(ams(2026, 12, 31, 9), 2) == ams(2027, 1, 5, 9)


def test_a_moment_outside_office_hours_counts_from_the_next_working_morning():
    assert add_working_days(ams(2026, 4, 25, 11), 2) == ams(2026, 4, 30, 8)  # Saturday
    assert add_working_days(ams(2026, 4, 23, 19), 1) == ams(2026, 4, 28, 8)  # Thu evening
    assert add_working_days(ams(2026, 4, 23, 7, 30), 1) == ams(2026, 4, 24, 8)  # early


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (ams(2026, 4, 24, 10), ams(2026, 4, 24, 10)),  # within office hours: itself
        (ams(2026, 4, 24, 7, 59), ams(2026, 4, 24, 8)),
        (ams(2026, 4, 24, 17, 59), ams(2026, 4, 24, 17, 59)),
        (ams(2026, 4, 24, 18), ams(2026, 4, 28, 8)),  # Friday evening: past King's Day
        (ams(2026, 12, 24, 18, 30), ams(2026, 12, 28, 8)),
        (ams(2026, 12, 31, 23), ams(2027, 1, 4, 8)),
    ],
)
def test_next_office_moment(moment, expected):
    assert next_office_moment(moment) == expected


def test_policy_office_hours_are_respected():
    assert next_office_moment(ams(2026, 4, 24, 8, 30), opens=9, closes=17) == ams(2026, 4, 24, 9)
    assert next_office_moment(ams(2026, 4, 24, 17), opens=9, closes=17) == ams(2026, 4, 28, 9)


def test_spring_forward_keeps_the_wall_clock_hour():
    # DST starts Sun 29-03-2026: CET (UTC+1) becomes CEST (UTC+2).
    start = ams(2026, 3, 27, 10)  # 09:00 UTC
    due = add_working_days(start, 2)
    assert local(due) == ams(2026, 3, 31, 10)
    assert due.utcoffset() == datetime.timedelta(0)  # results are in UTC
    assert due - start == datetime.timedelta(days=4) - datetime.timedelta(hours=1)


def test_fall_back_keeps_the_wall_clock_hour():
    # DST ends Sun 25-10-2026 at 03:00 CEST -> 02:00 CET.
    assert local(add_working_days(ams(2026, 10, 23, 10), 1)) == ams(2026, 10, 26, 10)
    assert next_office_moment(ams(2026, 10, 25, 2, 30, fold=1)) == ams(2026, 10, 26, 8)


def test_hourly_moments_through_a_dst_weekend_never_give_a_duplicate_office_moment():
    # Every UTC hour from Friday evening to Monday noon around both changes: all map to
    # the same Monday-morning moment, one hour exists once.
    fridays = (
        datetime.datetime(2026, 3, 27, 17, tzinfo=datetime.UTC),
        datetime.datetime(2026, 10, 23, 17, tzinfo=datetime.UTC),
    )
    for start in fridays:
        moments = {next_office_moment(start + datetime.timedelta(hours=h)) for h in range(1, 62)}
        mondays = {m for m in moments if local(m).weekday() == 0 and local(m).hour == 8}
        assert len(mondays) == 1
        assert all(local(m).hour >= 8 for m in moments)


def test_working_days_between_is_the_inverse_of_adding():
    start = ams(2026, 4, 24, 10)
    for days in range(0, 30):
        assert working_days_between(start, add_working_days(start, days)) == days


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        next_office_moment(datetime.datetime(2026, 4, 24, 10))  # noqa: DTZ001


def test_an_office_open_until_midnight_closes_at_the_end_of_the_day():
    assert start_of_day(datetime.date(2026, 6, 9), hour=24) == datetime.datetime(
        2026, 6, 10, 0, 0, tzinfo=AMSTERDAM
    )
