"""The working-day calendar of Vietnam and deadline arithmetic (lịch làm việc, hạn giải quyết).

:class:`~egovkit.calendar.work.WorkCalendar` is built on the ``holidays`` package's rules for
Vietnam (public holidays, Tết, the Government's swapped days off and worked Saturdays), plus the
days off and worked days an agency adds by decision (:class:`~egovkit.calendar.changes.DayChange`)
and its office hours (:class:`~egovkit.calendar.hours.WorkingHours`). Instants are aware
datetimes, returned in ``Asia/Ho_Chi_Minh`` (:data:`~egovkit.calendar.zone.VIETNAM_TZ`).

``holidays`` is imported only when a calendar first needs a year.
"""

from __future__ import annotations

from egovkit.calendar.changes import (
    DayChange,
    parse_day_changes,
    read_day_changes,
    write_day_changes,
)
from egovkit.calendar.durations import Duration, DurationUnit
from egovkit.calendar.hours import (
    DEFAULT_PERIODS,
    WorkingHours,
    WorkPeriod,
    format_periods,
    parse_periods,
)
from egovkit.calendar.status import DayKind, DayStatus
from egovkit.calendar.work import MAX_YEAR, MIN_YEAR, WorkCalendar
from egovkit.calendar.zone import VIETNAM_TZ, VIETNAM_ZONE_NAME, NaiveDatetimeError, to_vietnam

__all__ = [
    "DEFAULT_PERIODS",
    "MAX_YEAR",
    "MIN_YEAR",
    "VIETNAM_TZ",
    "VIETNAM_ZONE_NAME",
    "DayChange",
    "DayKind",
    "DayStatus",
    "Duration",
    "DurationUnit",
    "NaiveDatetimeError",
    "WorkCalendar",
    "WorkPeriod",
    "WorkingHours",
    "format_periods",
    "parse_day_changes",
    "parse_periods",
    "read_day_changes",
    "to_vietnam",
    "write_day_changes",
]
