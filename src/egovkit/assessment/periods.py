"""Reporting periods (kỳ báo cáo) of an assessment computed from a store: a month, a quarter,
a year or an explicit range of days, read from the text a person types on the command line."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final, Literal

import attrs

from egovkit.errors import ParseError, ValidationError

PeriodKind = Literal["month", "quarter", "year", "days"]
_MONTH: Final = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER: Final = re.compile(r"([0-9]{4})-[Qq]([1-4])")
_YEAR: Final = re.compile(r"[0-9]{4}")
_RANGE: Final = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})\.\.([0-9]{4}-[0-9]{2}-[0-9]{2})")


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


@attrs.frozen(kw_only=True)
class ReportingPeriod:
    """The days ``start`` … ``end`` (both included) of a month, quarter, year or range.

    >>> from egovkit.assessment.periods import ReportingPeriod
    >>> ReportingPeriod.parse("2026-Q1").end
    datetime.date(2026, 3, 31)
    >>> str(ReportingPeriod.parse("2026-02"))
    '2026-02'
    """

    kind: PeriodKind
    start: date
    end: date
    label: str

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                f"the period ends ({self.end}) before it starts ({self.start})",
                code="assessment.period.order",
                where="period",
            )

    @classmethod
    def parse(cls, text: str) -> ReportingPeriod:
        """``2026-03`` (month), ``2026-Q1`` (quarter), ``2026`` (year) or
        ``2026-03-01..2026-03-15`` (days, both included)."""
        raw = text.strip()
        try:
            if match := _MONTH.fullmatch(raw):
                year, month = int(match.group(1)), int(match.group(2))
                return cls(
                    kind="month",
                    start=date(year, month, 1),
                    end=_month_end(year, month),
                    label=raw,
                )
            if match := _QUARTER.fullmatch(raw):
                year, quarter = int(match.group(1)), int(match.group(2))
                first = 3 * quarter - 2
                return cls(
                    kind="quarter",
                    start=date(year, first, 1),
                    end=_month_end(year, first + 2),
                    label=f"{year}-Q{quarter}",
                )
            if _YEAR.fullmatch(raw):
                year = int(raw)
                return cls(kind="year", start=date(year, 1, 1), end=date(year, 12, 31), label=raw)
            if match := _RANGE.fullmatch(raw):
                return cls(
                    kind="days",
                    start=date.fromisoformat(match.group(1)),
                    end=date.fromisoformat(match.group(2)),
                    label=raw,
                )
        except ValueError as exc:  # 2026-13, 2026-02-30
            raise ParseError(
                f"not a reporting period: {text!r} ({exc})",
                code="assessment.period.syntax",
                where="period",
            ) from None
        raise ParseError(
            f"not a reporting period: {text!r}; use 2026-03, 2026-Q1, 2026 or "
            "2026-03-01..2026-03-15",
            code="assessment.period.syntax",
            where="period",
        )

    def __str__(self) -> str:
        return self.label


__all__ = ["PeriodKind", "ReportingPeriod"]
