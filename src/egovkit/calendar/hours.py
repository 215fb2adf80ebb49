"""Office hours (giờ làm việc): when the clock of a deadline runs on a working day.

One-stop systems count 07:00–11:30 and 13:30–17:00 by default; agencies change the hours, some per
weekday. The length of a working day is derived from the hours (8 hours by default), never assumed.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import time, timedelta
from typing import Final

import attrs

from egovkit.errors import ParseError, ValidationError

_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")
_WEEKDAY_NAMES: Final = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


def _microseconds(moment: time) -> int:
    return (
        (moment.hour * 60 + moment.minute) * 60 + moment.second
    ) * 1_000_000 + moment.microsecond


@attrs.frozen(kw_only=True, order=True)
class WorkPeriod:
    """One stretch of office time within a day, ``start`` inclusive, ``end`` exclusive."""

    start: time
    end: time

    def __attrs_post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValidationError(
                "work periods are wall-clock times without a zone",
                code="calendar.hours.aware_time",
                where="start",
            )
        if self.end <= self.start:
            raise ValidationError(
                f"work period {self} ends before it starts",
                code="calendar.hours.empty_period",
                where="end",
            )

    @property
    def length(self) -> timedelta:
        """How long the period lasts."""
        return timedelta(microseconds=_microseconds(self.end) - _microseconds(self.start))

    def __str__(self) -> str:
        return f"{self.start.strftime('%H:%M')}-{self.end.strftime('%H:%M')}"


#: 07:00–11:30 and 13:30–17:00: the hours most one-stop systems use (8 working hours a day).
DEFAULT_PERIODS: Final = (
    WorkPeriod(start=time(7, 0), end=time(11, 30)),
    WorkPeriod(start=time(13, 30), end=time(17, 0)),
)


def _periods(value: Iterable[WorkPeriod]) -> tuple[WorkPeriod, ...]:
    periods = tuple(sorted(value))
    for before, after in itertools.pairwise(periods):
        if after.start < before.end:
            raise ValidationError(
                f"work periods {before} and {after} overlap",
                code="calendar.hours.overlap",
                where="periods",
            )
    return periods


def _weekdays(
    value: Mapping[int, Iterable[WorkPeriod]],
) -> tuple[tuple[int, tuple[WorkPeriod, ...]], ...]:
    for weekday in value:
        if weekday not in range(7):
            raise ValidationError(
                f"weekday {weekday} is not 0 (Monday) … 6 (Sunday)",
                code="calendar.hours.weekday",
                where="weekdays",
            )
    return tuple(sorted((weekday, _periods(periods)) for weekday, periods in value.items()))


@attrs.frozen(kw_only=True)
class WorkingHours:
    """Office hours for each weekday: ``default`` unless ``weekdays`` (0 = Monday … 6 = Sunday)
    says otherwise.

    The hours say *when* the clock runs; whether a date is worked at all is the calendar's
    business. Saturdays and Sundays have the default hours too, so that a Saturday the Government
    declares worked (ngày làm bù) counts fully; a weekday with no periods is never a working day.
    """

    default: tuple[WorkPeriod, ...] = attrs.field(default=DEFAULT_PERIODS, converter=_periods)
    weekdays: tuple[tuple[int, tuple[WorkPeriod, ...]], ...] = attrs.field(
        factory=dict, converter=_weekdays
    )

    def periods(self, weekday: int) -> tuple[WorkPeriod, ...]:
        """The periods of ``weekday`` (0 = Monday)."""
        for day, periods in self.weekdays:
            if day == weekday:
                return periods
        return self.default

    def day_length(self, weekday: int) -> timedelta:
        """Office time on ``weekday``."""
        return sum((p.length for p in self.periods(weekday)), timedelta())

    @property
    def standard_day(self) -> timedelta:
        """What "one working day" is worth in hours: the most common length from Monday to
        Friday (the longer one on a tie); 8 hours with the default hours.

        >>> from egovkit.calendar import WorkingHours
        >>> WorkingHours().standard_day
        datetime.timedelta(seconds=28800)
        """
        counts = Counter(self.day_length(weekday) for weekday in range(5))
        return max(counts, key=lambda length: (counts[length], length))

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """Hours for every weekday from ``"07:00-11:30,13:30-17:00"`` (as the CLI takes them).

        >>> from egovkit.calendar import WorkingHours
        >>> WorkingHours.parse("07:30-11:30, 13:30-17:00").standard_day.seconds // 3600
        7
        """
        return cls(default=parse_periods(text))

    def describe(self) -> dict[str, str]:
        """The hours of each weekday, by English weekday name, as text."""
        return {
            name: format_periods(self.periods(weekday))
            for weekday, name in enumerate(_WEEKDAY_NAMES)
        }


def parse_periods(text: str) -> tuple[WorkPeriod, ...]:
    """Periods from ``"HH:MM-HH:MM,HH:MM-HH:MM"``; the inverse of :func:`format_periods`."""
    periods = []
    for part in text.split(","):
        match = _PERIOD.match(part)
        if match is None:
            raise ParseError(
                f"{part.strip()!r} is not a period like 07:00-11:30",
                code="calendar.hours.syntax",
                where="hours",
            )
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            periods.append(WorkPeriod(start=time(h1, m1), end=time(h2, m2)))
        except ValueError as exc:
            if isinstance(exc, ValidationError):
                raise ParseError(exc.message, code=exc.code, where="hours") from exc
            raise ParseError(
                f"{part.strip()!r} is not a valid time of day",
                code="calendar.hours.time",
                where="hours",
            ) from exc
    try:
        return _periods(periods)
    except ValidationError as exc:
        raise ParseError(exc.message, code=exc.code, where="hours") from exc


def format_periods(periods: Iterable[WorkPeriod]) -> str:
    """``"07:00-11:30,13:30-17:00"``; empty for a day without office hours."""
    return ",".join(str(p) for p in periods)


__all__ = [
    "DEFAULT_PERIODS",
    "WorkPeriod",
    "WorkingHours",
    "format_periods",
    "parse_periods",
]
