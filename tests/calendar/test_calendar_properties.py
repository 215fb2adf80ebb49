"""Properties of the arithmetic, checked against a naive day-by-day reference over ``holidays``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.calendar import VIETNAM_TZ, WorkCalendar, WorkingHours, parse_periods

CALENDAR = WorkCalendar()
PERIODS = ((7 * 60, 11 * 60 + 30), (13 * 60 + 30, 17 * 60))  # the default hours, in minutes
FIRST, LAST = date(2024, 1, 1), date(2027, 12, 31)


@cache
def _national() -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=range(2023, 2030))


def naive_is_working(day: date) -> bool:
    return bool(_national().is_working_day(day))


def naive_shift(day: date, days: int) -> date:
    """The ``days``-th working day after ``day``, one day at a time."""
    while days:
        day += timedelta(days=1)
        days -= naive_is_working(day)
    return day


def naive_add_minutes(start: datetime, minutes: int) -> datetime:
    """Walk the office periods one by one until ``minutes`` of office time have passed."""
    day, now = start.date(), start.hour * 60 + start.minute
    while True:
        if naive_is_working(day):
            for opens, closes in PERIODS:
                begin = max(opens, now)
                if begin < closes:
                    if minutes <= closes - begin:
                        moment = begin + minutes
                        return datetime.combine(day, time(moment // 60, moment % 60), VIETNAM_TZ)
                    minutes -= closes - begin
        day, now = day + timedelta(days=1), 0


instants = st.builds(
    lambda day, minute: datetime.combine(day, time(minute // 60, minute % 60), VIETNAM_TZ),
    st.dates(FIRST, LAST),
    st.integers(0, 24 * 60 - 1),
)


def in_office(instant: datetime) -> bool:
    minute = instant.hour * 60 + instant.minute
    return CALENDAR.is_working_day(instant.date()) and any(a <= minute < b for a, b in PERIODS)


@given(instants, st.integers(0, 400 * 60))
def test_adding_hours_then_measuring_gives_them_back(start: datetime, minutes: int) -> None:
    due = CALENDAR.add_working_hours(start, timedelta(minutes=minutes))
    assert CALENDAR.working_time_between(start, due) == timedelta(minutes=minutes)


@given(instants, st.integers(0, 400 * 60))
def test_adding_hours_matches_the_naive_walk(start: datetime, minutes: int) -> None:
    assert CALENDAR.add_working_hours(start, timedelta(minutes=minutes)) == naive_add_minutes(
        start, minutes
    )


@given(instants, st.integers(0, 60))
def test_adding_days_then_measuring_gives_them_back(start: datetime, days: int) -> None:
    due = CALENDAR.add_working_days(start, days)
    assert CALENDAR.working_time_between(start, due) == days * timedelta(hours=8)
    by_hours = CALENDAR.add_working_hours(start, 8 * days)
    assert by_hours <= due  # the same point of working time, 11:30 rather than 13:30
    assert CALENDAR.working_time_between(by_hours, due) == timedelta()


@given(instants.filter(in_office), st.integers(1, 60))
def test_days_from_office_hours_land_on_the_naive_day(start: datetime, days: int) -> None:
    due = CALENDAR.add_working_days(start, days)
    assert CALENDAR.shift_working_days(start.date(), days) == naive_shift(start.date(), days)
    if start.time() == time(7, 0):  # an opening stands for the closing of the day before
        assert (due.date(), due.time()) == (naive_shift(start.date(), days - 1), time(17, 0))
    else:
        assert (due.date(), due.time()) == (naive_shift(start.date(), days), start.time())


@given(instants, instants, st.integers(0, 30))
def test_monotonic_in_the_start(a: datetime, b: datetime, days: int) -> None:
    early, late = sorted((a, b))
    assert CALENDAR.add_working_days(early, days) <= CALENDAR.add_working_days(late, days)
    assert CALENDAR.add_working_hours(early, days) <= CALENDAR.add_working_hours(late, days)
    assert CALENDAR.add_calendar_days(early, days) <= CALENDAR.add_calendar_days(late, days)
    assert CALENDAR.receipt_start(early) <= CALENDAR.receipt_start(late)


@given(instants, st.integers(0, 30), st.integers(0, 30))
def test_monotonic_in_the_amount(start: datetime, m: int, n: int) -> None:
    small, big = sorted((m, n))
    assert CALENDAR.add_working_days(start, small) <= CALENDAR.add_working_days(start, big)
    assert CALENDAR.add_working_hours(start, small) <= CALENDAR.add_working_hours(start, big)
    assert CALENDAR.add_calendar_days(start, small) <= CALENDAR.add_calendar_days(start, big)


@given(instants, st.integers(0, 100), st.integers(0, 100))
def test_hours_add_up(start: datetime, a: int, b: int) -> None:
    once = CALENDAR.add_working_hours(start, a + b)
    twice = CALENDAR.add_working_hours(CALENDAR.add_working_hours(start, a), b)
    assert CALENDAR.working_time_between(once, twice) == timedelta()
    if b:  # adding nothing gives when the clock starts (07:00), not the closing before it
        assert twice == once


@given(instants, st.integers(1, 30))
def test_a_due_instant_is_in_office_time_or_a_closing(start: datetime, days: int) -> None:
    for due in (
        CALENDAR.add_working_days(start, days),
        CALENDAR.add_working_hours(start, days * 3),
        CALENDAR.add_calendar_days(start, days),
    ):
        assert due >= start
        minute = due.hour * 60 + due.minute
        assert CALENDAR.is_working_day(due.date())
        assert any(a < minute <= b for a, b in PERIODS) or in_office(due)
        assert due.tzinfo is VIETNAM_TZ


@given(instants, st.integers(0, 40))
def test_calendar_days_roll_forward_to_the_first_working_day(start: datetime, days: int) -> None:
    due = CALENDAR.add_calendar_days(start, days)
    counted_from = CALENDAR.receipt_start(start).date()
    target = counted_from + timedelta(days=days)
    assert due.date() >= target
    assert naive_is_working(due.date())
    assert all(
        not naive_is_working(target + timedelta(days=k)) for k in range((due.date() - target).days)
    )


@given(instants)
def test_receipt_start_is_the_next_office_minute(start: datetime) -> None:
    begins = CALENDAR.receipt_start(start)
    assert in_office(begins)
    assert begins >= start
    assert CALENDAR.working_time_between(start, begins) == timedelta()
    if in_office(start):
        assert begins == start


@settings(max_examples=50)
@given(st.dates(FIRST, LAST), st.integers(-40, 40))
def test_shift_and_count_match_the_naive_loop(day: date, days: int) -> None:
    shifted = CALENDAR.shift_working_days(day, days)
    if days > 0:
        assert shifted == naive_shift(day, days)
        assert (
            CALENDAR.count_working_days(day + timedelta(days=1), shifted + timedelta(days=1))
            == days
        )
    assert shifted == _national().get_nth_working_day(day, days)
    naive_count = sum(naive_is_working(day + timedelta(days=k)) for k in range(abs(days)))
    assert CALENDAR.count_working_days(day, day + timedelta(days=abs(days))) == naive_count
    assert CALENDAR.is_working_day(day) == naive_is_working(day)


# Office hours that differ by weekday: a short Friday, a Saturday morning, no hours on Sunday.
UNEVEN = WorkCalendar(
    hours=WorkingHours(
        weekdays={
            4: parse_periods("07:30-11:30,13:30-16:00"),
            5: parse_periods("08:00-11:00"),
            6: (),
        }
    )
)


@given(instants, st.integers(0, 300 * 60))
def test_uneven_hours_add_then_measure(start: datetime, minutes: int) -> None:
    due = UNEVEN.add_working_hours(start, timedelta(minutes=minutes))
    assert UNEVEN.working_time_between(start, due) == timedelta(minutes=minutes)
    assert due >= start


@given(instants, instants, st.integers(0, 30))
def test_uneven_hours_days_are_monotonic(a: datetime, b: datetime, days: int) -> None:
    early, late = sorted((a, b))
    assert UNEVEN.add_working_days(early, days) <= UNEVEN.add_working_days(late, days)
    assert UNEVEN.add_working_days(early, days) <= UNEVEN.add_working_days(early, days + 1)
    due = UNEVEN.add_working_days(early, days)
    assert UNEVEN.count_working_days(early.date(), due.date() + timedelta(days=1)) >= days
    assert UNEVEN.is_working_day(due.date())
