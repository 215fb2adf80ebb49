"""The national calendar of Vietnam from the ``holidays`` package (Labour Code 2019, Art. 112,
and the Government's yearly swaps of days off and worked Saturdays).

This is the only module that touches ``holidays``, and it imports it on first use: the rules are
the package's versioned data, not hand-written here. ``holidays`` is loaded only when a calendar
first needs a year, so ``import egovkit`` stays cheap.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from holidays import HolidayBase

#: The country code the calendar asks ``holidays`` for.
COUNTRY: Final = "VN"


class NationalCalendar:
    """Public holidays and worked weekend days of Vietnam, names in Vietnamese."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holidays: HolidayBase | None = None

    def _table(self) -> HolidayBase:
        if self._holidays is None:
            import holidays  # heavy (~50 ms): loaded when a calendar first needs a year

            self._holidays = holidays.country_holidays(COUNTRY, language="vi")
        return self._holidays

    @property
    def version(self) -> str:
        """Which data the national rules come from, e.g. ``"holidays 0.108"``."""
        from importlib.metadata import version

        return f"holidays {version('holidays')}"

    def working_flags(self, year: int) -> bytes:
        """One byte per day of ``year``: 1 where the national rules make the day a working day."""
        with self._lock:
            table = self._table()
            first = date(year, 1, 1).toordinal()
            count = date(year + 1, 1, 1).toordinal() - first
            return bytes(
                table.is_working_day(date.fromordinal(first + offset)) for offset in range(count)
            )

    def holiday_name(self, day: date) -> str:
        """The holiday names of ``day`` (joined by "; "), or ``""``."""
        with self._lock:
            return str(self._table().get(day) or "")

    def is_worked_weekend(self, day: date) -> bool:
        """True for a weekend day the Government declared worked (ngày làm bù)."""
        with self._lock:
            table = self._table()
            table.get(day)  # makes sure the day's year is loaded
            return day in table.weekend_workdays

    def is_weekend(self, day: date) -> bool:
        """True for Saturday and Sunday."""
        with self._lock:
            return bool(self._table().is_weekend(day))


__all__ = ["COUNTRY", "NationalCalendar"]
