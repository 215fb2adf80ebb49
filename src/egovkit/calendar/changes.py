"""Days off and worked days declared by decision, kept as data with their decision reference.

Besides the national holidays, a province or an agency may close on a day (a local festival, a
storm) or work on a weekend day, each time by a decision (quyết định, thông báo). The change and
the reference travel together so a deadline can always be explained. A Government swap that the
``holidays`` package does not know yet is recorded the same way.

The file form is CSV with the header ``date,status,decision,note``; ``status`` is ``off`` or
``worked``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Final

import attrs

from egovkit._io import TextSource, read_text
from egovkit.errors import ParseError, ValidationError
from egovkit.text import clean

#: The CSV header of a day-change file.
CSV_HEADER: Final = ("date", "status", "decision", "note")
_STATUS: Final = {"off": False, "worked": True}
_MAX_ROWS: Final = 100_000


def _decision(value: str) -> str:
    text = clean(value)
    if not text:
        raise ValidationError(
            "a day change needs the reference of the decision that made it",
            code="calendar.changes.decision_missing",
            where="decision",
        )
    return text


@attrs.frozen(kw_only=True)
class DayChange:
    """One date made a day off (``working=False``, ngày nghỉ) or a worked day (``working=True``,
    ngày làm việc / làm bù) by ``decision``, e.g. ``"Quyết định 12/QĐ-UBND"``."""

    day: date
    working: bool
    decision: str = attrs.field(converter=_decision)
    note: str = attrs.field(default="", converter=clean)

    @property
    def status(self) -> str:
        """``"worked"`` or ``"off"``, as in the CSV form."""
        return "worked" if self.working else "off"


def read_day_changes(source: TextSource) -> tuple[DayChange, ...]:
    """The changes in a CSV file (a path or an open file); the inverse of
    :func:`write_day_changes`. Errors name the line at fault."""
    return parse_day_changes(read_text(source, what="day changes"))


def parse_day_changes(text: str) -> tuple[DayChange, ...]:
    """The changes in CSV ``text``; one date may appear once only.

    >>> from egovkit.calendar import parse_day_changes
    >>> parse_day_changes("date,status,decision,note\\n2026-03-09,off,QĐ 5/QĐ-UBND,Lễ hội\\n")[0]
    DayChange(day=datetime.date(2026, 3, 9), working=False, decision='QĐ 5/QĐ-UBND', note='Lễ hội')
    """
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), strict=True))
    except csv.Error as exc:
        raise ParseError(f"day changes are not CSV: {exc}", code="calendar.changes.csv") from exc
    if not rows or tuple(cell.strip().lower() for cell in rows[0]) != CSV_HEADER:
        raise ParseError(
            f"day changes must start with the header {','.join(CSV_HEADER)}",
            code="calendar.changes.header",
            where="line 1",
        )
    if len(rows) > _MAX_ROWS:
        raise ParseError(
            f"more than {_MAX_ROWS} day changes", code="calendar.changes.size", where="file"
        )
    changes: list[DayChange] = []
    seen: dict[date, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        change = _row(row, f"line {number}")
        if change.day in seen:
            raise ParseError(
                f"{change.day} is listed twice (lines {seen[change.day]} and {number})",
                code="calendar.changes.duplicate",
                where=f"line {number}",
            )
        seen[change.day] = number
        changes.append(change)
    return tuple(changes)


def _row(row: list[str], where: str) -> DayChange:
    if len(row) != len(CSV_HEADER):
        raise ParseError(
            f"expected {len(CSV_HEADER)} columns, found {len(row)}",
            code="calendar.changes.columns",
            where=where,
        )
    day_text, status, decision, note = row
    try:
        day = date.fromisoformat(day_text.strip())
    except ValueError as exc:
        raise ParseError(
            f"{day_text!r} is not a date like 2026-03-09", code="calendar.changes.date", where=where
        ) from exc
    if status.strip().lower() not in _STATUS:
        raise ParseError(
            f"status {status!r} is neither 'off' nor 'worked'",
            code="calendar.changes.status",
            where=where,
        )
    try:
        return DayChange(
            day=day, working=_STATUS[status.strip().lower()], decision=decision, note=note
        )
    except ValidationError as exc:
        raise ParseError(exc.message, code=exc.code, where=where) from exc


def write_day_changes(changes: Iterable[DayChange]) -> str:
    """CSV text for ``changes``, in date order, that :func:`parse_day_changes` reads back."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for change in sorted(changes, key=lambda c: c.day):
        writer.writerow((change.day.isoformat(), change.status, change.decision, change.note))
    return out.getvalue()


__all__ = [
    "CSV_HEADER",
    "DayChange",
    "parse_day_changes",
    "read_day_changes",
    "write_day_changes",
]
