"""Dates the law and the Government's yearly notices fix, 2024–2027 (see calendar.md)."""

from __future__ import annotations

from datetime import date

import pytest

from egovkit.calendar import DayKind, WorkCalendar


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    """One calendar per module: building its years costs milliseconds."""
    return WorkCalendar()


# Public holidays and swapped days off that fall on weekdays: never working days.
DAYS_OFF = [
    # 2024: Tết 8–14 Feb; Hùng Kings 18 Apr; 29 Apr off (swapped for Sat 4 May); 30 Apr, 1 May;
    # National Day 2–3 Sep.
    *(date(2024, 2, d) for d in (8, 9, 12, 13, 14)),
    date(2024, 1, 1),
    date(2024, 4, 18),
    date(2024, 4, 29),
    date(2024, 4, 30),
    date(2024, 5, 1),
    date(2024, 9, 2),
    date(2024, 9, 3),
    # 2025: Tết 27–31 Jan; Hùng Kings 7 Apr; 30 Apr, 1 May; 2 May off (swapped for Sat 26 Apr);
    # National Day 1–2 Sep.
    *(date(2025, 1, d) for d in (27, 28, 29, 30, 31)),
    date(2025, 1, 1),
    date(2025, 4, 7),
    date(2025, 4, 30),
    date(2025, 5, 1),
    date(2025, 5, 2),
    date(2025, 9, 1),
    date(2025, 9, 2),
    # 2026: Tết 16–20 Feb; Hùng Kings on Sunday 26 Apr, observed Monday 27; 30 Apr, 1 May;
    # 31 Aug off (swapped for Sat 22 Aug); 1–2 Sep; Vietnam Culture Day 24 Nov (new from 2026).
    *(date(2026, 2, d) for d in (16, 17, 18, 19, 20)),
    date(2026, 1, 1),
    date(2026, 4, 27),
    date(2026, 4, 30),
    date(2026, 5, 1),
    date(2026, 8, 31),
    date(2026, 9, 1),
    date(2026, 9, 2),
    date(2026, 11, 24),
    # 2027: Tết 4–10 Feb; Hùng Kings 16 Apr; 30 Apr; 1 May is a Saturday, observed Monday 3 May;
    # 2–3 Sep; 24 Nov.
    *(date(2027, 2, d) for d in (4, 5, 8, 9, 10)),
    date(2027, 1, 1),
    date(2027, 4, 16),
    date(2027, 4, 30),
    date(2027, 5, 3),
    date(2027, 9, 2),
    date(2027, 9, 3),
    date(2027, 11, 24),
]

# Saturdays the Government declared worked (ngày làm bù).
WORKED_WEEKENDS = [date(2024, 5, 4), date(2025, 4, 26), date(2026, 8, 22)]

# Ordinary weekdays next to holidays, which a careless rule would take off.
WORKDAYS = [
    date(2024, 2, 15),
    date(2024, 5, 2),
    date(2024, 9, 4),
    date(2025, 1, 24),
    date(2025, 2, 3),
    date(2025, 4, 25),
    date(2025, 9, 3),
    date(2026, 2, 13),
    date(2026, 2, 23),
    date(2026, 4, 28),
    date(2026, 8, 28),
    date(2026, 9, 3),
    date(2026, 11, 23),
    date(2026, 11, 25),
    date(2027, 2, 3),
    date(2027, 2, 11),
    date(2027, 5, 4),
    date(2027, 11, 25),
]

ORDINARY_WEEKENDS = [date(2025, 4, 27), date(2025, 5, 3), date(2026, 8, 23), date(2026, 8, 29)]


@pytest.mark.parametrize("day", DAYS_OFF, ids=str)
def test_holidays_and_swapped_days_are_not_working_days(calendar: WorkCalendar, day: date) -> None:
    assert day.weekday() < 5
    assert not calendar.is_working_day(day)
    status = calendar.day_status(day)
    assert status.kind is DayKind.PUBLIC_HOLIDAY
    assert status.name


@pytest.mark.parametrize("day", WORKED_WEEKENDS, ids=str)
def test_worked_saturdays_are_working_days(calendar: WorkCalendar, day: date) -> None:
    assert day.weekday() == 5
    assert calendar.is_working_day(day)
    assert calendar.day_status(day).kind is DayKind.WORKED_WEEKEND


@pytest.mark.parametrize("day", WORKDAYS, ids=str)
def test_weekdays_around_holidays_are_working_days(calendar: WorkCalendar, day: date) -> None:
    assert calendar.is_working_day(day)
    assert calendar.day_status(day).kind is DayKind.WORKDAY


@pytest.mark.parametrize("day", ORDINARY_WEEKENDS, ids=str)
def test_other_weekends_are_off(calendar: WorkCalendar, day: date) -> None:
    assert not calendar.is_working_day(day)
    assert calendar.day_status(day).kind is DayKind.WEEKEND


def test_the_issue_facts(calendar: WorkCalendar) -> None:
    assert calendar.is_working_day(date(2025, 4, 26))
    assert not any(calendar.is_working_day(date(2026, 2, d)) for d in range(16, 21))
    assert not calendar.is_working_day(date(2026, 11, 24))
    assert not calendar.is_working_day(date(2025, 5, 2))
    assert calendar.is_working_day(date(2026, 8, 22))


def test_working_days_per_year(calendar: WorkCalendar) -> None:
    # Weekdays minus weekday holidays plus worked Saturdays, counted by hand from the lists above.
    assert calendar.count_working_days(date(2026, 1, 1), date(2027, 1, 1)) == 261 - 13 + 1
    assert calendar.count_working_days(date(2025, 1, 1), date(2026, 1, 1)) == 261 - 12 + 1


def test_exceptions_list_a_year(calendar: WorkCalendar) -> None:
    found = {s.day: s for s in calendar.exceptions(2026)}
    assert found[date(2026, 8, 22)].working
    assert not found[date(2026, 2, 16)].working
    assert date(2026, 2, 13) not in found
    assert date(2026, 4, 26) not in found  # the Sunday itself breaks no pattern
    assert len(found) == 14


@pytest.mark.parametrize(
    "day",
    [date(1985, 1, 21), date(2007, 2, 17), date(2030, 2, 2)],
    ids=str,
)
def test_tet_follows_the_vietnamese_lunar_calendar(calendar: WorkCalendar, day: date) -> None:
    # Chinese lunar tables (UTC+8) put these new years a day or a month away (calendar.md).
    status = calendar.day_status(day)
    assert status.kind is DayKind.PUBLIC_HOLIDAY
    assert status.name == "Tết Nguyên Đán"
    assert not status.working
