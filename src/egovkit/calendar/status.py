"""Why a date is or is not a working day, so a deadline can be explained to the citizen."""

from __future__ import annotations

import enum
from datetime import date

import attrs


class DayKind(enum.Enum):
    """What decides a date."""

    WORKDAY = "workday"  # ngày làm việc: Monday–Friday, nothing special
    WEEKEND = "weekend"  # ngày nghỉ hằng tuần
    PUBLIC_HOLIDAY = "public_holiday"  # ngày nghỉ lễ, Tết, or the day off of a Government swap
    WORKED_WEEKEND = "worked_weekend"  # ngày làm bù declared by the Government
    LOCAL_DAY_OFF = "local_day_off"  # a day off by an agency's or province's decision
    LOCAL_WORKED_DAY = "local_worked_day"  # a worked day by an agency's or province's decision
    NO_OFFICE_HOURS = "no_office_hours"  # the office hours give this weekday no time at all


@attrs.frozen(kw_only=True)
class DayStatus:
    """Whether ``day`` is worked, the rule that says so, the holiday's name (in Vietnamese, from
    the ``holidays`` package) and, for a local change, the decision that made it."""

    day: date
    working: bool
    kind: DayKind
    name: str = ""
    decision: str = ""

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view, as the CLI prints it."""
        return {
            "date": self.day.isoformat(),
            "working": self.working,
            "kind": self.kind.value,
            "name": self.name,
            "decision": self.decision,
        }


__all__ = ["DayKind", "DayStatus"]
