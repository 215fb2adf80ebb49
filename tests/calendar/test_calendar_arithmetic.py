"""Deadline arithmetic on worked examples a one-stop desk would recognise."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from egovkit.calendar import (
    VIETNAM_TZ,
    DayChange,
    Duration,
    NaiveDatetimeError,
    WorkCalendar,
    WorkingHours,
    WorkPeriod,
    to_vietnam,
)
from egovkit.errors import ValidationError


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    """One calendar per module: building its years costs milliseconds."""
    return WorkCalendar()


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM_TZ)


# -- when the clock starts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "starts"),
    [
        (at(2026, 3, 10, 9, 15), at(2026, 3, 10, 9, 15)),  # in office hours: at once
        (at(2026, 3, 10, 6, 0), at(2026, 3, 10, 7, 0)),  # before opening: the opening
        (at(2026, 3, 10, 12, 0), at(2026, 3, 10, 13, 30)),  # lunch: the afternoon
        (at(2026, 3, 10, 11, 30), at(2026, 3, 10, 13, 30)),  # 11:30 is already lunch
        (at(2026, 3, 10, 17, 0), at(2026, 3, 11, 7, 0)),  # closing: next morning
        (at(2026, 3, 13, 20, 0), at(2026, 3, 16, 7, 0)),  # Friday night: Monday
        (at(2026, 2, 14, 10, 0), at(2026, 2, 23, 7, 0)),  # Saturday before Tết: after Tết
        (at(2025, 4, 25, 18, 0), at(2025, 4, 26, 7, 0)),  # Friday night: the worked Saturday
    ],
)
def test_receipt_start(calendar: WorkCalendar, received: datetime, starts: datetime) -> None:
    assert calendar.receipt_start(received) == starts


def test_receipt_cutoff(calendar: WorkCalendar) -> None:
    cutoff = time(15, 0)
    assert calendar.receipt_start(at(2026, 3, 10, 14, 59), cutoff=cutoff) == at(2026, 3, 10, 14, 59)
    assert calendar.receipt_start(at(2026, 3, 10, 15, 0), cutoff=cutoff) == at(2026, 3, 11, 7, 0)
    received = at(2026, 3, 13, 15, 30)  # a Friday
    assert calendar.due(received, Duration.working_days(1)) == at(2026, 3, 16, 15, 30)
    assert calendar.due(received, Duration.working_days(1), cutoff=cutoff) == at(2026, 3, 16, 17)


# -- working days -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (at(2026, 3, 10, 9), 1, at(2026, 3, 11, 9)),
        (at(2026, 3, 13, 9), 1, at(2026, 3, 16, 9)),  # over a weekend
        (at(2026, 2, 13, 9), 1, at(2026, 2, 23, 9)),  # over Tết 2026 (16–20 Feb)
        (at(2026, 2, 12, 10), 5, at(2026, 2, 26, 10)),
        (at(2026, 3, 10, 7), 1, at(2026, 3, 10, 17)),  # from the opening: that day's closing
        (at(2026, 3, 10, 17, 30), 1, at(2026, 3, 11, 17)),  # after closing: next day's closing
        (at(2026, 3, 14, 10), 2, at(2026, 3, 17, 17)),  # from a Saturday
        (at(2025, 4, 25, 16), 3, at(2025, 4, 29, 16)),  # Sat 26 Apr is worked
        (at(2025, 4, 25, 16), 4, at(2025, 5, 5, 16)),  # … and 30 Apr–2 May are off
        (at(2026, 8, 21, 10), 1, at(2026, 8, 22, 10)),  # Sat 22 Aug 2026 worked
        (at(2026, 8, 28, 10), 1, at(2026, 9, 3, 10)),  # 31 Aug, 1–2 Sep off
        (at(2026, 11, 23, 8), 1, at(2026, 11, 25, 8)),  # 24 Nov 2026 off
        (at(2026, 3, 10, 13, 30), 1, at(2026, 3, 11, 13, 30)),  # afternoon opening kept
        (at(2026, 3, 10, 11, 45), 1, at(2026, 3, 11, 13, 30)),  # lunch counts from 13:30
        (at(2026, 3, 10, 9), 0, at(2026, 3, 10, 9)),
        (at(2026, 3, 10, 18), 0, at(2026, 3, 11, 7)),  # nothing to add: when the clock starts
    ],
)
def test_add_working_days(
    calendar: WorkCalendar, start: datetime, days: int, due: datetime
) -> None:
    assert calendar.add_working_days(start, days) == due
    assert calendar.due(start, Duration.working_days(days)) == due


def test_add_working_days_far_ahead(calendar: WorkCalendar) -> None:
    start = at(2026, 3, 10, 9)
    due = calendar.add_working_days(start, 2000)
    assert calendar.working_time_between(start, due) == 2000 * timedelta(hours=8)
    assert calendar.count_working_days(start.date(), due.date()) == 2000


# -- working hours ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (at(2026, 3, 10, 9), 2, at(2026, 3, 10, 11)),
        (at(2026, 3, 10, 9), 2.5, at(2026, 3, 10, 11, 30)),  # ends at lunch, not 13:30
        (at(2026, 3, 10, 9), 3, at(2026, 3, 10, 14)),
        (at(2026, 3, 10, 16), 4, at(2026, 3, 11, 10)),
        (at(2026, 3, 10, 9), 8, at(2026, 3, 11, 9)),
        (at(2026, 3, 13, 16), 24, at(2026, 3, 18, 16)),
        (at(2026, 2, 13, 16), timedelta(minutes=90), at(2026, 2, 23, 7, 30)),
    ],
)
def test_add_working_hours(
    calendar: WorkCalendar, start: datetime, hours: float | timedelta, due: datetime
) -> None:
    assert calendar.add_working_hours(start, hours) == due


def test_whole_hours_as_a_duration(calendar: WorkCalendar) -> None:
    assert calendar.due(at(2026, 3, 10, 9), Duration.working_hours(4)) == at(2026, 3, 10, 15)


# -- calendar days ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (at(2026, 3, 10, 9), 3, at(2026, 3, 13, 17)),
        (at(2026, 3, 10, 9), 4, at(2026, 3, 16, 17)),  # lands on Saturday: rolls to Monday
        (at(2026, 2, 10, 9), 7, at(2026, 2, 23, 17)),  # lands in Tết: rolls past it
        (at(2026, 3, 10, 18), 1, at(2026, 3, 12, 17)),  # after closing: counts from the 11th
        (at(2025, 4, 19, 9), 7, at(2025, 4, 28, 17)),  # Saturday 19th: from Monday 21st
        (at(2025, 4, 20, 9), 5, at(2025, 4, 26, 17)),  # lands on the worked Saturday
    ],
)
def test_add_calendar_days(
    calendar: WorkCalendar, start: datetime, days: int, due: datetime
) -> None:

    assert calendar.add_calendar_days(start, days) == due
    assert calendar.due(start, Duration.calendar_days(days)) == due


# -- measuring --------------------------------------------------------------------------------


def test_working_time_between(calendar: WorkCalendar) -> None:
    assert calendar.working_time_between(at(2026, 2, 13, 9), at(2026, 2, 23, 9)) == timedelta(
        hours=8
    )
    assert calendar.working_time_between(at(2026, 3, 10, 11), at(2026, 3, 10, 14)) == timedelta(
        hours=1
    )
    assert calendar.working_time_between(at(2026, 3, 10, 14), at(2026, 3, 10, 11)) == -timedelta(
        hours=1
    )
    assert calendar.working_time_between(at(2026, 3, 14, 8), at(2026, 3, 15, 20)) == timedelta()


def test_is_working_time(calendar: WorkCalendar) -> None:
    assert calendar.is_working_time(at(2026, 3, 10, 7))
    assert not calendar.is_working_time(at(2026, 3, 10, 11, 30))
    assert not calendar.is_working_time(at(2026, 3, 10, 17))
    assert not calendar.is_working_time(at(2026, 3, 14, 9))
    assert calendar.is_working_time(at(2025, 4, 26, 9))


def test_day_level_helpers(calendar: WorkCalendar) -> None:
    assert calendar.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    assert calendar.previous_working_day(date(2026, 2, 23)) == date(2026, 2, 13)
    assert calendar.shift_working_days(date(2026, 2, 14), 0) == date(2026, 2, 23)
    assert calendar.shift_working_days(date(2026, 2, 23), 0) == date(2026, 2, 23)
    assert calendar.shift_working_days(date(2025, 4, 25), 2) == date(2025, 4, 28)
    assert calendar.shift_working_days(date(2025, 4, 28), -2) == date(2025, 4, 25)
    assert calendar.count_working_days(date(2026, 2, 13), date(2026, 2, 24)) == 2
    assert calendar.count_working_days(date(2026, 2, 24), date(2026, 2, 13)) == -2
    assert calendar.working_days(date(2025, 4, 24), date(2025, 5, 6)) == [
        date(2025, 4, 24),
        date(2025, 4, 25),
        date(2025, 4, 26),
        date(2025, 4, 28),
        date(2025, 4, 29),
        date(2025, 5, 5),
    ]


# -- time zones and bad input -----------------------------------------------------------------


def test_naive_datetimes_are_refused(calendar: WorkCalendar) -> None:
    with pytest.raises(NaiveDatetimeError) as caught:
        calendar.add_working_days(datetime(2026, 3, 10, 9), 1)
    assert caught.value.code == "calendar.naive_datetime"
    assert caught.value.where == "start"
    assert isinstance(caught.value, ValidationError)
    assert isinstance(caught.value, TypeError)


def test_other_zones_are_converted(calendar: WorkCalendar) -> None:
    utc = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
    due = calendar.add_working_days(utc, 1)
    assert due == at(2026, 3, 11, 9)
    assert due.tzinfo is VIETNAM_TZ
    assert due.isoformat() == "2026-03-11T09:00:00+07:00"
    tokyo = timezone(timedelta(hours=9))
    assert to_vietnam(datetime(2026, 3, 10, 11, tzinfo=tokyo)) == at(2026, 3, 10, 9)
    # Sunday 22 February in UTC is already Monday the 23rd, a working day, in Vietnam
    assert calendar.is_working_day(datetime(2026, 2, 22, 20, tzinfo=UTC))
    assert not calendar.is_working_day(date(2026, 2, 22))


@pytest.mark.parametrize("amount", [-1, 1.5, True, "3", float("nan")])
def test_bad_amounts(calendar: WorkCalendar, amount: object) -> None:
    with pytest.raises(ValidationError) as caught:
        calendar.add_working_days(at(2026, 3, 10, 9), amount)  # type: ignore[arg-type]
    assert caught.value.code == "calendar.duration.amount"


@pytest.mark.parametrize("amount", [-1, float("inf"), "3", -timedelta(hours=1)])
def test_bad_hours(calendar: WorkCalendar, amount: object) -> None:
    with pytest.raises(ValidationError) as caught:
        calendar.add_working_hours(at(2026, 3, 10, 9), amount)  # type: ignore[arg-type]
    assert caught.value.code == "calendar.duration.amount"


def test_bad_durations() -> None:
    with pytest.raises(ValidationError):
        Duration.working_days(-1)
    with pytest.raises(ValidationError):
        Duration(amount=True, unit=Duration.working_days(1).unit)
    assert str(Duration.calendar_days(15)) == "15 calendar days"


def test_years_outside_the_range_are_refused(calendar: WorkCalendar) -> None:
    for day in (date(1975, 6, 1), date(2101, 1, 1)):
        with pytest.raises(ValidationError) as caught:
            calendar.is_working_day(day)
        assert caught.value.code == "calendar.out_of_range"
    with pytest.raises(ValidationError):
        calendar.add_working_days(at(2100, 6, 1, 9), 1000)
    assert calendar.is_working_day(date(2100, 12, 31))


# -- other office hours and local decisions ---------------------------------------------------


def test_other_office_hours() -> None:
    hours = WorkingHours.parse("07:30-11:30,13:30-17:00")
    calendar = WorkCalendar(hours=hours)
    assert calendar.standard_day == timedelta(hours=7, minutes=30)
    assert calendar.receipt_start(at(2026, 3, 10, 7, 10)) == at(2026, 3, 10, 7, 30)
    assert calendar.add_working_hours(at(2026, 3, 10, 7, 30), 7.5) == at(2026, 3, 10, 17)
    assert calendar.hours is hours
    assert calendar.with_hours(WorkingHours()).standard_day == timedelta(hours=8)


def test_shorter_friday_ends_a_day_count_at_its_closing() -> None:
    short = (
        WorkPeriod(start=time(7, 0), end=time(11, 30)),
        WorkPeriod(start=time(13, 30), end=time(15, 0)),
    )
    calendar = WorkCalendar(hours=WorkingHours(weekdays={4: short}))
    # Thursday 16:00 is 7.5 h into the day; Friday has only 6 h: due at Friday's closing
    assert calendar.add_working_days(at(2026, 3, 12, 16), 1) == at(2026, 3, 13, 15)
    assert calendar.add_working_days(at(2026, 3, 12, 16), 2) == at(2026, 3, 16, 16)
    assert calendar.add_calendar_days(at(2026, 3, 10, 9), 3) == at(2026, 3, 13, 15)


def test_a_weekday_without_hours_is_not_worked() -> None:
    calendar = WorkCalendar(hours=WorkingHours(weekdays={2: ()}))
    assert not calendar.is_working_day(date(2026, 3, 11))
    assert calendar.day_status(date(2026, 3, 11)).kind.value == "no_office_hours"
    assert calendar.add_working_days(at(2026, 3, 10, 9), 1) == at(2026, 3, 12, 9)


def test_hours_without_any_office_time_are_refused() -> None:
    closed = WorkingHours(weekdays=dict.fromkeys(range(7), ()))
    with pytest.raises(ValidationError) as caught:
        WorkCalendar(hours=closed)
    assert caught.value.code == "calendar.hours.none"


def test_local_day_off_moves_deadlines() -> None:
    change = DayChange(day=date(2026, 3, 11), working=False, decision="QĐ 7/QĐ-UBND")
    calendar = WorkCalendar(changes=[change])
    assert calendar.add_working_days(at(2026, 3, 10, 9), 1) == at(2026, 3, 12, 9)
    worked = DayChange(day=date(2026, 3, 14), working=True, decision="QĐ 8/QĐ-UBND")
    calendar = WorkCalendar(changes=[worked])
    assert calendar.add_working_days(at(2026, 3, 13, 9), 1) == at(2026, 3, 14, 9)


def test_threads_growing_the_same_calendar_agree() -> None:
    shared = WorkCalendar()
    starts = [at(year, 3, 10, 9) for year in range(1980, 2095, 3)]
    expected = [WorkCalendar().add_working_days(s, 30) for s in starts]
    results: dict[int, datetime] = {}

    def work(offset: int) -> None:
        for i in range(offset, len(starts), 4):
            results[i] = shared.add_working_days(starts[i], 30)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[i] for i in range(len(starts))] == expected
