"""Administrative divisions (đơn vị hành chính) with validity dates.

Since 1 July 2025 Vietnam has 34 provinces and two levels of local government (province and
commune); districts (huyện) were abolished. Current units come from the ``vietnam-provinces``
package; records from before the reform keep the units of their time, which users add as data
(``DivisionCatalogue.with_units``) with their own validity dates.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache
from typing import Final

import attrs

from egovkit.errors import NotFoundError, ValidationError
from egovkit.text import clean, fold

#: The day the two-level local government and the 34 provinces took effect
#: (Resolution 202/2025/QH15).
TWO_LEVEL_GOVERNMENT_FROM: Final = date(2025, 7, 1)


class DivisionLevel(enum.Enum):
    """Levels of local government. ``DISTRICT`` exists only before 1 July 2025."""

    PROVINCE = "province"  # tỉnh, thành phố trực thuộc trung ương
    DISTRICT = "district"  # huyện, quận, thị xã, thành phố thuộc tỉnh (until 2025-06-30)
    COMMUNE = "commune"  # xã, phường, thị trấn, đặc khu


@attrs.frozen(kw_only=True)
class AdministrativeDivision:
    """One unit during one period; ``code`` is the statistics office code (mã đơn vị hành chính).

    Codes are reused across reforms, so a unit is identified by its level, code and period.
    ``valid_to`` is the first day the unit no longer exists.
    """

    code: str
    name: str = attrs.field(converter=clean)
    level: DivisionLevel
    kind: str = attrs.field(default="", converter=clean)
    parent_code: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    def __attrs_post_init__(self) -> None:
        if not self.code.isdigit():
            raise ValidationError(
                f"division code {self.code!r} is not numeric", code="division.code", where="code"
            )
        if self.level is not DivisionLevel.PROVINCE and not self.parent_code:
            raise ValidationError(
                f"{self.level.value} {self.code} has no parent",
                code="division.parent",
                where="parent_code",
            )

    def is_valid_on(self, day: date) -> bool:
        """True when the unit exists on ``day``."""
        starts = self.valid_from is None or self.valid_from <= day
        return starts and (self.valid_to is None or day < self.valid_to)


Key = tuple[DivisionLevel, str]


class DivisionCatalogue:
    """Divisions by level, code and date: the current 34 provinces and their communes, plus any
    historical units a user adds."""

    def __init__(self, units: Iterable[AdministrativeDivision]) -> None:
        by_key: dict[Key, list[AdministrativeDivision]] = defaultdict(list)
        for unit in units:
            by_key[(unit.level, unit.code)].append(unit)
        self._units = dict(by_key)

    @classmethod
    def current(cls) -> DivisionCatalogue:
        """The units in force since 1 July 2025, from ``vietnam-provinces`` (loaded once)."""
        return cls(_current_units())

    def with_units(self, units: Iterable[AdministrativeDivision]) -> DivisionCatalogue:
        """A new catalogue with ``units`` added (e.g. pre-2025 districts for old records)."""
        return DivisionCatalogue([*self, *units])

    def find(
        self, level: DivisionLevel, code: str, *, on: date | None = None
    ) -> AdministrativeDivision | None:
        """The unit of ``level`` with ``code`` on ``on`` (default: today's units), or None."""
        day = on or date.today()
        candidates = self._units.get((level, code.zfill(_width(level))), [])
        return next((u for u in candidates if u.is_valid_on(day)), None)

    def get(
        self, level: DivisionLevel, code: str, *, on: date | None = None
    ) -> AdministrativeDivision:
        """Like :meth:`find`, but a missing unit raises :class:`~egovkit.errors.NotFoundError`."""
        unit = self.find(level, code, on=on)
        if unit is None:
            raise NotFoundError(
                f"no {level.value} with code {code}" + (f" on {on}" if on else ""),
                code="division.not_found",
                where="code",
            )
        return unit

    def provinces(self, *, on: date | None = None) -> list[AdministrativeDivision]:
        """Provinces in force on ``on`` (default today), by code."""
        return self._level(DivisionLevel.PROVINCE, on)

    def children(
        self, unit: AdministrativeDivision, *, on: date | None = None
    ) -> list[AdministrativeDivision]:
        """Units directly below ``unit`` on ``on`` (default today), by code."""
        if unit.level is DivisionLevel.COMMUNE:
            return []
        return [
            u
            for level in (DivisionLevel.DISTRICT, DivisionLevel.COMMUNE)
            for u in self._level(level, on)
            if u.parent_code == unit.code
        ]

    def search(self, name: str, *, on: date | None = None) -> list[AdministrativeDivision]:
        """Units whose name contains ``name``, ignoring case and diacritics."""
        wanted = fold(name)
        day = on or date.today()
        return [u for u in self if u.is_valid_on(day) and wanted in fold(u.name)]

    def _level(self, level: DivisionLevel, on: date | None) -> list[AdministrativeDivision]:
        day = on or date.today()
        found = [
            u
            for (lvl, _), units in self._units.items()
            if lvl is level
            for u in units
            if u.is_valid_on(day)
        ]
        return sorted(found, key=lambda u: u.code)

    def __iter__(self) -> Iterator[AdministrativeDivision]:
        for units in self._units.values():
            yield from units

    def __len__(self) -> int:
        return sum(len(u) for u in self._units.values())


def _width(level: DivisionLevel) -> int:
    return {DivisionLevel.PROVINCE: 2, DivisionLevel.DISTRICT: 3, DivisionLevel.COMMUNE: 5}[level]


@cache
def _current_units() -> tuple[AdministrativeDivision, ...]:
    from vietnam_provinces import Province, Ward  # heavy: loaded on first use only

    provinces = [
        AdministrativeDivision(
            code=f"{p.code.value:02d}",
            name=p.name,
            level=DivisionLevel.PROVINCE,
            kind=p.division_type.value,
            valid_from=TWO_LEVEL_GOVERNMENT_FROM,
        )
        for p in Province.iter_all()
    ]
    communes = [
        AdministrativeDivision(
            code=f"{w.code.value:05d}",
            name=w.name,
            level=DivisionLevel.COMMUNE,
            kind=w.division_type.value,
            parent_code=f"{w.province_code.value:02d}",
            valid_from=TWO_LEVEL_GOVERNMENT_FROM,
        )
        for w in Ward.iter_all()
    ]
    return (*provinces, *communes)
