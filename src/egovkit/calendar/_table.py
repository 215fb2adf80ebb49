"""The precomputed form of a calendar: arrays over a range of whole years.

For every date of the range, ``rank`` gives how many working days come before it and ``working``
whether it is one; ``days`` lists the working days (as ordinals) and ``starts``/``ends`` the
working time (µs) elapsed at their opening and closing; ``dates`` are the same days as ``date``
objects, ready for the answer. With these, any deadline is a couple of
index look-ups and one bisection, however long it is. A table is never changed: growing the range
builds a new one, so readers on other threads always see a whole table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date


class OutOfRange(Exception):  # noqa: N818 - internal signal, never escapes the package
    """The table does not reach ``year``: grow it and try again."""

    def __init__(self, year: int) -> None:
        super().__init__(year)
        self.year = year


class Table:
    """Working days and cumulative working time for the years ``first`` … ``last``."""

    __slots__ = (
        "base",
        "dates",
        "days",
        "ends",
        "first",
        "last",
        "rank",
        "size",
        "starts",
        "working",
    )

    def __init__(
        self,
        *,
        first: int,
        last: int,
        base: int,
        working: bytes,
        rank: list[int],
        days: list[int],
        starts: list[int],
        ends: list[int],
    ) -> None:
        self.first = first
        self.last = last
        self.base = base
        self.size = len(working)
        self.working = working
        self.rank = rank
        self.days = days
        self.dates = [date.fromordinal(ordinal) for ordinal in days]
        self.starts = starts
        self.ends = ends


#: The table before any year is needed.
EMPTY = Table(first=0, last=-1, base=0, working=b"", rank=[], days=[], starts=[], ends=[])


def build(first: int, last: int, flags: Mapping[int, bytes], lengths: Sequence[int]) -> Table:
    """A table for ``first`` … ``last`` from each year's working flags and the office time (µs)
    of each weekday (0 = Monday)."""
    base = date(first, 1, 1).toordinal()
    working = b"".join(flags[year] for year in range(first, last + 1))
    rank: list[int] = []
    days: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    elapsed = 0
    for offset, flag in enumerate(working):
        rank.append(len(days))
        if flag:
            ordinal = base + offset
            days.append(ordinal)
            starts.append(elapsed)
            elapsed += lengths[(ordinal + 6) % 7]
            ends.append(elapsed)
    return Table(
        first=first,
        last=last,
        base=base,
        working=working,
        rank=rank,
        days=days,
        starts=starts,
        ends=ends,
    )


def year_of(ordinal: int) -> int:
    """The year of a proleptic Gregorian ordinal."""
    return date.fromordinal(min(max(1, ordinal), date.max.toordinal())).year


__all__ = ["EMPTY", "OutOfRange", "Table", "build", "year_of"]
