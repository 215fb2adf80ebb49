"""The portal's date layout: ``yyyyMMddHHmmss`` in Asia/Ho_Chi_Minh, ``""`` for no date."""

from __future__ import annotations

import re
from datetime import datetime

from egovkit.calendar import VIETNAM_TZ, to_vietnam
from egovkit.errors import ParseError

_LAYOUT = re.compile(r"[0-9]{14}")


def format_instant(instant: datetime | None) -> str:
    """``instant`` as ``yyyyMMddHHmmss`` in Vietnam (seconds kept, fractions dropped).

    >>> from datetime import datetime, timezone
    >>> from egovkit_dvcqg.dates import format_instant
    >>> format_instant(datetime(2026, 2, 13, 2, 5, 9, tzinfo=timezone.utc))
    '20260213090509'
    """
    if instant is None:
        return ""
    at = instant if instant.tzinfo is VIETNAM_TZ else to_vietnam(instant, where="instant")
    return f"{at.year:04d}{at.month:02d}{at.day:02d}{at.hour:02d}{at.minute:02d}{at.second:02d}"


def parse_instant(text: str, *, where: str) -> datetime | None:
    """Read ``yyyyMMddHHmmss`` (Vietnam time); ``""`` is no date. Anything else raises
    :class:`~egovkit.errors.ParseError` naming the key ``where``."""
    if text == "":
        return None
    if not _LAYOUT.fullmatch(text):
        raise ParseError(
            f"{where}: {text[:40]!r} is not a date yyyyMMddHHmmss",
            code="dvcqg.date.syntax",
            where=where,
        )
    try:
        naive = datetime.strptime(text, "%Y%m%d%H%M%S")
    except ValueError as exc:
        raise ParseError(
            f"{where}: {text!r} is not a real date", code="dvcqg.date.value", where=where
        ) from exc
    return naive.replace(tzinfo=VIETNAM_TZ)


__all__ = ["format_instant", "parse_instant"]
