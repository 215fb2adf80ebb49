"""Vietnam's time zone, and the one rule for instants: aware in, aware (Asia/Ho_Chi_Minh) out.

Deadlines (hạn trả kết quả) are wall-clock times at the desk, so every instant is read in
``Asia/Ho_Chi_Minh``. A naive datetime is refused: guessing its zone is how a server in UTC
hands citizens an appointment seven hours off.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from egovkit.errors import ConfigurationError, ValidationError

#: The IANA name of Vietnam's zone (UTC+07:00, no daylight saving since 1975).
VIETNAM_ZONE_NAME: Final = "Asia/Ho_Chi_Minh"


class NaiveDatetimeError(ValidationError, TypeError):
    """A datetime without a time zone reached the calendar (code ``calendar.naive_datetime``)."""

    default_code = "calendar.naive_datetime"


def _load_zone() -> ZoneInfo:
    try:
        return ZoneInfo(VIETNAM_ZONE_NAME)
    except ZoneInfoNotFoundError as exc:  # pragma: no cover - only on systems without tzdata
        raise ConfigurationError(
            f"the time zone {VIETNAM_ZONE_NAME} is not installed; install the 'tzdata' package",
            code="calendar.timezone_missing",
        ) from exc


#: Vietnam's zone; every instant the calendar returns carries it.
VIETNAM_TZ: Final = _load_zone()


def to_vietnam(instant: datetime, *, where: str = "instant") -> datetime:
    """``instant`` as a wall-clock time in Vietnam; a naive ``instant`` raises
    :class:`NaiveDatetimeError`, any other zone is converted.

    >>> from datetime import datetime, timezone
    >>> from egovkit.calendar import to_vietnam
    >>> to_vietnam(datetime(2026, 2, 13, 2, 0, tzinfo=timezone.utc)).isoformat()
    '2026-02-13T09:00:00+07:00'
    """
    zone = instant.tzinfo
    if zone is VIETNAM_TZ:
        return instant
    if zone is None or zone.utcoffset(instant) is None:
        raise NaiveDatetimeError(
            f"{instant.isoformat()} has no time zone; give an aware datetime "
            f"(e.g. tzinfo=ZoneInfo({VIETNAM_ZONE_NAME!r}))",
            where=where,
        )
    return instant.astimezone(VIETNAM_TZ)


__all__ = ["VIETNAM_TZ", "VIETNAM_ZONE_NAME", "NaiveDatetimeError", "to_vietnam"]
