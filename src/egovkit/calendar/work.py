"""The working-day calendar (lịch làm việc) and deadline arithmetic.

A :class:`WorkCalendar` combines the national calendar (``holidays``: public holidays, Tết,
the Government's swapped days off and worked Saturdays), the changes an agency makes by decision,
and its office hours. It answers the questions a one-stop desk asks: is this a working day, when
does the clock of a dossier received now start, when is it due after N working days, N working
hours or N calendar days, and how much working time lies between two instants.

How time is counted: only office time on working days counts. An instant outside office time
stands for the next opening (a dossier received at 17:30 starts the next working morning), and a
result that lands on a closing time is given as that closing time (due at 17:00, not at 07:00 the
next morning). One working day is worth the office time of the day it ends on, so a deadline
keeps its time of day: received Monday 09:00, due after 1 working day, Tuesday 09:00.
"""

from __future__ import annotations

import math
import threading
from bisect import bisect_left
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Final

from egovkit.calendar import _table
from egovkit.calendar._table import OutOfRange, Table
from egovkit.calendar.changes import DayChange
from egovkit.calendar.durations import Duration, DurationUnit
from egovkit.calendar.hours import WorkingHours, _microseconds
from egovkit.calendar.national import NationalCalendar
from egovkit.calendar.status import DayKind, DayStatus
from egovkit.calendar.zone import VIETNAM_TZ, to_vietnam
from egovkit.errors import ValidationError

#: The first and last years a calendar covers (one UTC offset since 1975; ``holidays`` data
#: ends in 2100).
MIN_YEAR: Final = 1976
MAX_YEAR: Final = 2100

_US_PER_HOUR: Final = 3_600_000_000
# Working days per year used only to guess how far to grow the table for a long duration.
_GROWTH_DAYS_PER_YEAR: Final = 240

_Periods = tuple[tuple[int, int], ...]


class WorkCalendar:
    """Working days and office hours of one agency, with deadline arithmetic.

    >>> from datetime import date, datetime
    >>> from egovkit.calendar import VIETNAM_TZ, WorkCalendar
    >>> calendar = WorkCalendar()
    >>> calendar.is_working_day(date(2025, 4, 26))  # a Saturday worked for the 2 May bridge
    True
    >>> received = datetime(2026, 2, 13, 9, 0, tzinfo=VIETNAM_TZ)  # Friday before Tết
    >>> calendar.add_working_days(received, 1).isoformat()
    '2026-02-23T09:00:00+07:00'

    Arrays are built for whole years on first use and grown when a date outside them is asked
    for, so no call walks day by day. A calendar is safe to share between threads.
    """

    def __init__(
        self, *, hours: WorkingHours | None = None, changes: Iterable[DayChange] = ()
    ) -> None:
        self._hours = hours or WorkingHours()
        by_day: dict[date, DayChange] = {}
        for change in changes:
            if change.day in by_day:
                raise ValidationError(
                    f"{change.day} is changed twice ({by_day[change.day].decision}; "
                    f"{change.decision})",
                    code="calendar.changes.duplicate",
                    where=change.day.isoformat(),
                )
            by_day[change.day] = change
        self._changes = by_day
        self._periods: tuple[_Periods, ...] = tuple(
            tuple((_microseconds(p.start), _microseconds(p.end)) for p in self._hours.periods(wd))
            for wd in range(7)
        )
        self._lengths = tuple(sum(end - start for start, end in day) for day in self._periods)
        if not any(self._lengths):
            raise ValidationError(
                "the office hours leave no time on any weekday",
                code="calendar.hours.none",
                where="hours",
            )
        self._national = NationalCalendar()
        self._flags: dict[int, bytes] = {}
        self._table: Table = _table.EMPTY
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"WorkCalendar(hours={self._hours!r}, changes={len(self._changes)})"

    # -- configuration -----------------------------------------------------------------------

    @property
    def hours(self) -> WorkingHours:
        """The office hours."""
        return self._hours

    @property
    def changes(self) -> tuple[DayChange, ...]:
        """The local days off and worked days, by date."""
        return tuple(self._changes[day] for day in sorted(self._changes))

    @property
    def standard_day(self) -> timedelta:
        """The working time of one working day (8 hours with the default hours)."""
        return self._hours.standard_day

    @property
    def data_version(self) -> str:
        """Where the national rules come from, e.g. ``"holidays 0.108"``."""
        return self._national.version

    def with_changes(self, changes: Iterable[DayChange]) -> WorkCalendar:
        """A new calendar with ``changes`` added to this one's."""
        return WorkCalendar(hours=self._hours, changes=[*self.changes, *changes])

    def with_hours(self, hours: WorkingHours) -> WorkCalendar:
        """A new calendar with other office hours and the same changes."""
        return WorkCalendar(hours=hours, changes=self.changes)

    # -- days --------------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """True when ``day`` is worked (a datetime is read in Vietnam's zone)."""
        ordinal = _ordinal(day)
        table = self._table
        offset = ordinal - table.base
        if 0 <= offset < table.size:
            return bool(table.working[offset])
        self._grow(_table.year_of(ordinal))
        return self.is_working_day(day)

    def day_status(self, day: date) -> DayStatus:
        """Whether ``day`` is worked and why (holiday name, swap, local decision)."""
        day = date.fromordinal(_ordinal(day))
        working = self.is_working_day(day)
        change = self._changes.get(day)
        name = self._national.holiday_name(day)
        if change is not None:
            kind = DayKind.LOCAL_WORKED_DAY if change.working else DayKind.LOCAL_DAY_OFF
            return DayStatus(
                day=day, working=working, kind=kind, name=change.note, decision=change.decision
            )
        if name:
            return DayStatus(day=day, working=working, kind=DayKind.PUBLIC_HOLIDAY, name=name)
        if self._national.is_worked_weekend(day):
            kind = DayKind.WORKED_WEEKEND if working else DayKind.NO_OFFICE_HOURS
            return DayStatus(day=day, working=working, kind=kind, name="Ngày làm bù")
        if self._national.is_weekend(day):
            return DayStatus(day=day, working=False, kind=DayKind.WEEKEND)
        kind = DayKind.WORKDAY if working else DayKind.NO_OFFICE_HOURS
        return DayStatus(day=day, working=working, kind=kind)

    def exceptions(self, year: int) -> list[DayStatus]:
        """Every date of ``year`` that breaks the Monday–Friday pattern: weekdays off (holidays,
        swaps, local decisions) and weekend days worked."""
        first = date(year, 1, 1).toordinal()
        found = []
        for ordinal in range(first, date(year, 12, 31).toordinal() + 1):
            day = date.fromordinal(ordinal)
            if self.is_working_day(day) != (day.weekday() < 5) or day in self._changes:
                found.append(self.day_status(day))
        return found

    def shift_working_days(self, day: date, days: int) -> date:
        """The ``days``-th working day after ``day`` (before it when negative); with 0, ``day``
        itself when worked, else the next working day.

        >>> from datetime import date
        >>> from egovkit.calendar import WorkCalendar
        >>> WorkCalendar().shift_working_days(date(2025, 4, 25), 1)  # Saturday 26 April
        datetime.date(2025, 4, 26)
        """
        ordinal = _ordinal(day)
        table = self._table
        try:
            offset = _offset(table, ordinal)
            first_on_or_after = table.rank[offset]
            if days > 0:
                index = first_on_or_after + table.working[offset] + days - 1
            else:
                index = first_on_or_after + days
            if index >= len(table.days):
                raise OutOfRange(table.last + 1 + (index - len(table.days)) // 200)
            if index < 0:
                raise OutOfRange(table.first - 1 + index // 200)
            return date.fromordinal(table.days[index])
        except OutOfRange as missing:
            self._grow(missing.year)
            return self.shift_working_days(day, days)

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        return self.shift_working_days(day, 1)

    def previous_working_day(self, day: date) -> date:
        """The last working day before ``day``."""
        return self.shift_working_days(day, -1)

    def count_working_days(self, start: date, end: date) -> int:
        """Working days from ``start`` (included) to ``end`` (excluded); negative when ``end``
        comes first (as ``numpy.busday_count``)."""
        first, last = _ordinal(start), _ordinal(end)
        table = self._table
        try:
            return _rank(table, last) - _rank(table, first)
        except OutOfRange as missing:
            self._grow(missing.year)
            return self.count_working_days(start, end)

    def working_days(self, start: date, end: date) -> list[date]:
        """The working days from ``start`` (included) to ``end`` (excluded)."""
        first, last = _ordinal(start), _ordinal(end)
        table = self._table
        try:
            lo, hi = _rank(table, first), _rank(table, last)
        except OutOfRange as missing:
            self._grow(missing.year)
            return self.working_days(start, end)
        return [date.fromordinal(o) for o in table.days[lo:hi]]

    # -- instants ----------------------------------------------------------------------------

    def is_working_time(self, instant: datetime) -> bool:
        """True when ``instant`` falls in office hours on a working day."""
        ordinal, moment = _split(instant, "instant")
        if not self.is_working_day(date.fromordinal(ordinal)):
            return False
        return any(s <= moment < e for s, e in self._periods[(ordinal + 6) % 7])

    def receipt_start(self, received: datetime, *, cutoff: time | None = None) -> datetime:
        """When the clock starts for something received at ``received``: that instant in office
        hours, the next opening otherwise (before opening → opening, lunch → 13:30, after closing
        or on a day off → the next working morning). With ``cutoff`` (a procedure's own limit,
        e.g. 15:00), receipt at or after it on a working day also starts the next working morning.
        """
        ordinal, moment = _split(received, "received")
        table = self._table
        try:
            offset = _offset(table, ordinal)
            if table.working[offset] and (cutoff is None or moment < _microseconds(cutoff)):
                for start, end in self._periods[(ordinal + 6) % 7]:
                    if moment < end:
                        day = table.dates[table.rank[offset]]
                        return _instant(day, max(start, moment))
            index = table.rank[offset] + table.working[offset]
            if index >= len(table.days):
                raise OutOfRange(table.last + 1)
            opening = self._periods[(table.days[index] + 6) % 7][0][0]
            return _instant(table.dates[index], opening)
        except OutOfRange as missing:
            self._grow(missing.year)
            return self.receipt_start(received, cutoff=cutoff)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The instant ``days`` working days after ``start``, at the same point of the working
        day: received 09:00 (or 13:30), due 09:00 (13:30); received at opening, due at the closing
        of the day before; received after closing, due at closing."""
        if type(days) is not int or days <= 0:
            _check_amount(days, "days", whole=True)
            return self.receipt_start(start)
        # the hot path of every deadline: _split and _offset written out
        if start.tzinfo is not VIETNAM_TZ:
            start = to_vietnam(start, where="start")
        ordinal = start.toordinal()
        table = self._table
        try:
            offset = ordinal - table.base
            if offset < 0 or offset >= table.size:
                raise OutOfRange(_table.year_of(ordinal))
            target = table.rank[offset] + days
            if target >= len(table.days):
                raise OutOfRange(table.last + 1 + (target - len(table.days)) // 200)
            into = 0
            if table.working[offset]:
                moment = (
                    (start.hour * 60 + start.minute) * 60 + start.second
                ) * 1_000_000 + start.microsecond
                into = self._worked(ordinal, moment)
            if into == 0:  # the opening of a day is given as the closing of the day before
                target -= 1
                periods = self._periods[(table.days[target] + 6) % 7]
                return _instant(table.dates[target], periods[-1][1])
            # same clock time (13:30 stays 13:30); a shorter day ends the count at its closing
            periods = self._periods[(table.days[target] + 6) % 7]
            for opens, closes in periods:
                if into < closes - opens:
                    return _instant(table.dates[target], opens + into)
                into -= closes - opens
            return _instant(table.dates[target], periods[-1][1])
        except OutOfRange as missing:
            self._grow(missing.year)
            return self.add_working_days(start, days)

    def add_working_hours(self, start: datetime, hours: float | timedelta) -> datetime:
        """The instant when ``hours`` of office time have passed since ``start``."""
        if type(hours) is int and hours > 0:
            amount = hours * _US_PER_HOUR
        elif isinstance(hours, timedelta):
            amount = hours // timedelta(microseconds=1)
            _check_amount(amount, "hours", whole=True)
        else:
            _check_amount(hours, "hours", whole=False)
            amount = round(hours * _US_PER_HOUR)
        if amount == 0:
            return self.receipt_start(start)
        ordinal, moment = _split(start, "start")
        table = self._table
        try:
            return self._at(table, self._position(table, ordinal, moment) + amount)
        except OutOfRange as missing:
            self._grow(missing.year)
            return self.add_working_hours(start, hours)

    def add_calendar_days(self, start: datetime, days: int) -> datetime:
        """The closing time of the working day on or after the date ``days`` calendar days after
        the day the clock starts (durations in "ngày" roll forward past days off)."""
        _check_amount(days, "days", whole=True)
        begins = self.receipt_start(start)
        table = self._table
        try:
            offset = _offset(table, begins.toordinal() + days)
            index = table.rank[offset]
            if index >= len(table.days):
                raise OutOfRange(table.last + 1)
            closing = self._periods[(table.days[index] + 6) % 7][-1][1]
            return _instant(table.dates[index], closing)
        except OutOfRange as missing:
            self._grow(missing.year)
            return self.add_calendar_days(start, days)

    def due(
        self, received: datetime, duration: Duration, *, cutoff: time | None = None
    ) -> datetime:
        """The due instant (hạn trả kết quả) of ``duration`` for something received at
        ``received``, with a procedure's own receipt ``cutoff`` when it has one.

        >>> from datetime import datetime
        >>> from egovkit.calendar import VIETNAM_TZ, Duration, WorkCalendar
        >>> received = datetime(2025, 4, 25, 16, 0, tzinfo=VIETNAM_TZ)
        >>> WorkCalendar().due(received, Duration.working_days(4)).isoformat()  # Sat 26 Apr worked
        '2025-05-05T16:00:00+07:00'
        """
        start = self.receipt_start(received, cutoff=cutoff) if cutoff is not None else received
        if duration.unit is DurationUnit.WORKING_DAYS:
            return self.add_working_days(start, duration.amount)
        if duration.unit is DurationUnit.WORKING_HOURS:
            return self.add_working_hours(start, duration.amount)
        return self.add_calendar_days(start, duration.amount)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Office time from ``start`` to ``end`` on working days (negative if ``end`` is first)."""
        first, first_moment = _split(start, "start")
        last, last_moment = _split(end, "end")
        table = self._table
        try:
            elapsed = self._position(table, last, last_moment) - self._position(
                table, first, first_moment
            )
        except OutOfRange as missing:
            self._grow(missing.year)
            return self.working_time_between(start, end)
        return timedelta(microseconds=elapsed)

    # -- internals ---------------------------------------------------------------------------

    def _worked(self, ordinal: int, moment: int) -> int:
        """Office time (µs) already past at ``moment`` of the working day ``ordinal``."""
        worked = 0
        for start, end in self._periods[(ordinal + 6) % 7]:
            if moment <= start:
                break
            if moment < end:
                return worked + moment - start
            worked += end - start
        return worked

    def _position(self, table: Table, ordinal: int, moment: int) -> int:
        """Office time (µs) from the table's origin to the instant (``ordinal``, ``moment``)."""
        offset = _offset(table, ordinal)
        index = table.rank[offset]
        if table.working[offset]:
            return table.starts[index] + self._worked(ordinal, moment)
        if index >= len(table.days):
            raise OutOfRange(table.last + 1)
        return table.starts[index]

    def _at(self, table: Table, position: int) -> datetime:
        """The earliest instant at which ``position`` of office time has passed."""
        index = bisect_left(table.ends, position)
        if index >= len(table.ends):
            ahead = (position - table.ends[-1]) // max(1, max(self._lengths)) if table.ends else 0
            raise OutOfRange(table.last + 1 + ahead // _GROWTH_DAYS_PER_YEAR)
        left = position - table.starts[index]
        if left < 0:
            raise OutOfRange(table.first - 1)
        return self._clock(table, index, left)

    def _clock(self, table: Table, index: int, worked: int) -> datetime:
        """The earliest instant of the ``index``-th working day with ``worked`` µs of office time
        past (11:30 rather than 13:30, 17:00 rather than 07:00 the next day)."""
        periods = self._periods[(table.days[index] + 6) % 7]
        for start, end in periods:
            if worked <= end - start:
                return _instant(table.dates[index], start + worked)
            worked -= end - start
        raise AssertionError("beyond the day's office time")  # pragma: no cover

    def _grow(self, year: int) -> None:
        """Rebuild the table so it covers ``year`` and (up to :data:`MAX_YEAR`) the year after."""
        with self._lock:
            table = self._table
            if table.size and table.first <= year < table.last:
                return  # another thread grew it meanwhile
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise ValidationError(
                    f"the calendar covers {MIN_YEAR}–{MAX_YEAR}, not {year}",
                    code="calendar.out_of_range",
                    where="year",
                )
            first = min(table.first, year) if table.size else max(MIN_YEAR, year - 1)
            last = min(MAX_YEAR, max(table.last, year + 1) if table.size else year + 1)
            for wanted in range(first, last + 1):
                if wanted not in self._flags:
                    self._flags[wanted] = self._year_flags(wanted)
            self._table = _table.build(first, last, self._flags, self._lengths)

    def _year_flags(self, year: int) -> bytes:
        national = bytearray(self._national.working_flags(year))
        first = date(year, 1, 1).toordinal()
        for offset in range(len(national)):
            ordinal = first + offset
            change = self._changes.get(date.fromordinal(ordinal))
            worked = change.working if change is not None else national[offset]
            national[offset] = 1 if worked and self._lengths[(ordinal + 6) % 7] else 0
        return bytes(national)


def _ordinal(day: date) -> int:
    if isinstance(day, datetime):
        return to_vietnam(day, where="day").toordinal()
    return day.toordinal()


def _split(instant: datetime, where: str) -> tuple[int, int]:
    """(day ordinal, µs since midnight) of ``instant`` in Vietnam."""
    if instant.tzinfo is not VIETNAM_TZ:
        instant = to_vietnam(instant, where=where)
    moment = (
        (instant.hour * 60 + instant.minute) * 60 + instant.second
    ) * 1_000_000 + instant.microsecond
    return instant.toordinal(), moment


def _instant(day: date, moment: int) -> datetime:
    """The instant at ``moment`` µs after midnight of ``day`` in Vietnam."""
    clock = _CLOCKS.get(moment)
    if clock is None:
        seconds, micro = divmod(moment, 1_000_000)
        minutes, second = divmod(seconds, 60)
        hour, minute = divmod(minutes, 60)
        clock = time(hour, minute, second, micro)
        if not moment % 60_000_000:  # whole minutes only: at most 1,440 entries
            _CLOCKS[moment] = clock
    return datetime.combine(day, clock, VIETNAM_TZ)


# Times of day already built, by µs since midnight (deadlines mostly land on whole minutes).
_CLOCKS: dict[int, time] = {}


def _offset(table: Table, ordinal: int) -> int:
    offset = ordinal - table.base
    if offset < 0 or offset >= table.size:
        raise OutOfRange(_table.year_of(ordinal))
    return offset


def _rank(table: Table, ordinal: int) -> int:
    offset = ordinal - table.base
    if offset < 0 or offset >= table.size:
        raise OutOfRange(_table.year_of(ordinal))
    return table.rank[offset]


def _check_amount(value: float, what: str, *, whole: bool) -> None:
    wrong_type = isinstance(value, bool) or not isinstance(value, (int, float))
    if (
        wrong_type
        or (whole and not isinstance(value, int))
        or not math.isfinite(value)
        or value < 0
    ):
        kind = "a whole number" if whole else "a number"
        raise ValidationError(
            f"{what} must be {kind} >= 0, not {value!r}",
            code="calendar.duration.amount",
            where=what,
        )


__all__ = ["MAX_YEAR", "MIN_YEAR", "WorkCalendar"]
