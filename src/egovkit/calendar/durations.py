"""Processing times (thời hạn giải quyết) as data: an amount and the unit the law counts it in."""

from __future__ import annotations

import enum

import attrs

from egovkit.errors import ValidationError


class DurationUnit(enum.Enum):
    """How a processing time is counted."""

    WORKING_DAYS = "working_days"  # ngày làm việc
    WORKING_HOURS = "working_hours"  # giờ làm việc
    CALENDAR_DAYS = "calendar_days"  # ngày (calendar days, rolled forward to a working day)


def _amount(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            f"a processing time is a whole number >= 0, not {value!r}",
            code="calendar.duration.amount",
            where="amount",
        )


@attrs.frozen(kw_only=True)
class Duration:
    """A processing time such as "10 ngày làm việc" (``Duration.working_days(10)``).

    Half days are written in hours (``Duration.working_hours(4)``).
    """

    amount: int = attrs.field(validator=lambda _i, _a, v: _amount(v))
    unit: DurationUnit

    @classmethod
    def working_days(cls, amount: int) -> Duration:
        """``amount`` working days (ngày làm việc)."""
        return cls(amount=amount, unit=DurationUnit.WORKING_DAYS)

    @classmethod
    def working_hours(cls, amount: int) -> Duration:
        """``amount`` working hours (giờ làm việc)."""
        return cls(amount=amount, unit=DurationUnit.WORKING_HOURS)

    @classmethod
    def calendar_days(cls, amount: int) -> Duration:
        """``amount`` calendar days (ngày), rolled forward when the end is not a working day."""
        return cls(amount=amount, unit=DurationUnit.CALENDAR_DAYS)

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.value.replace('_', ' ')}"


__all__ = ["Duration", "DurationUnit"]
