"""Office hours: validation, per-weekday periods, the derived length of a working day."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.calendar import (
    DEFAULT_PERIODS,
    WorkingHours,
    WorkPeriod,
    format_periods,
    parse_periods,
)
from egovkit.errors import ParseError, ValidationError


def _period(a: str, b: str) -> WorkPeriod:
    return WorkPeriod(start=time.fromisoformat(a), end=time.fromisoformat(b))


def test_default_hours_make_an_eight_hour_day() -> None:
    hours = WorkingHours()
    assert hours.default == DEFAULT_PERIODS
    assert format_periods(hours.default) == "07:00-11:30,13:30-17:00"
    assert all(hours.day_length(wd) == timedelta(hours=8) for wd in range(7))
    assert hours.standard_day == timedelta(hours=8)


def test_standard_day_is_derived_from_the_hours() -> None:
    hours = WorkingHours.parse("07:30-11:30,13:30-17:00")
    assert hours.standard_day == timedelta(hours=7, minutes=30)


def test_per_weekday_hours() -> None:
    friday = (_period("07:00", "11:30"), _period("13:30", "16:00"))
    hours = WorkingHours(weekdays={4: friday, 5: ()})
    assert hours.periods(4) == friday
    assert hours.periods(5) == ()
    assert hours.periods(0) == DEFAULT_PERIODS
    assert hours.day_length(4) == timedelta(hours=7)
    assert hours.standard_day == timedelta(hours=8)  # four days of 8 h against one of 7 h
    assert hours.describe()["Friday"] == "07:00-11:30,13:30-16:00"
    assert hours.describe()["Saturday"] == ""


def test_periods_are_sorted() -> None:
    hours = WorkingHours(default=(_period("13:30", "17:00"), _period("07:00", "11:30")))
    assert hours.default == DEFAULT_PERIODS


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: _period("11:00", "07:00"), "calendar.hours.empty_period"),
        (lambda: _period("07:00", "07:00"), "calendar.hours.empty_period"),
        (
            lambda: WorkingHours(default=(_period("07:00", "12:00"), _period("11:00", "17:00"))),
            "calendar.hours.overlap",
        ),
        (lambda: WorkingHours(weekdays={7: DEFAULT_PERIODS}), "calendar.hours.weekday"),
    ],
)
def test_bad_hours_are_refused(build: object, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build()  # type: ignore[operator]
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("7h-11h", "calendar.hours.syntax"),
        ("", "calendar.hours.syntax"),
        ("07:00-25:00", "calendar.hours.time"),
        ("11:00-07:00", "calendar.hours.empty_period"),
        ("07:00-12:00,11:00-17:00", "calendar.hours.overlap"),
    ],
)
def test_bad_period_text(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_periods(text)
    assert caught.value.code == code


@st.composite
def _periods(draw: st.DrawFn) -> tuple[WorkPeriod, ...]:
    minutes = sorted(draw(st.sets(st.integers(0, 24 * 60 - 1), min_size=2, max_size=8)))
    if len(minutes) % 2:
        minutes = minutes[:-1]
    return tuple(
        WorkPeriod(start=time(a // 60, a % 60), end=time(b // 60, b % 60))
        for a, b in zip(minutes[::2], minutes[1::2], strict=True)
    )


@given(_periods())
def test_periods_text_round_trip(periods: tuple[WorkPeriod, ...]) -> None:
    assert parse_periods(format_periods(periods)) == periods
    assert WorkingHours.parse(format_periods(periods)).default == periods
