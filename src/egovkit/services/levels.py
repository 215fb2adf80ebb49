"""Online service levels (mức độ dịch vụ công trực tuyến) computed from capabilities.

Two schemes, each data with the dates it was in force (``data/levels.json``): Decree 43/2011
levels 1–4, and Decree 42/2022 "toàn trình" / "một phần" / information only, which unit–procedure
mappings code as ``MucDo`` 4 / 3 / 2. A level is the highest one whose requirements the
capabilities meet; the :class:`Classification` says why, and what is missing for the next one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import attrs

from egovkit.errors import NotFoundError, ValidationError
from egovkit.services.capabilities import Capability
from egovkit.services.catalogue import Procedure


@attrs.frozen(kw_only=True)
class Level:
    """One level of a scheme: its id (``"3"``, ``"full"``), rank (higher is better), label,
    ``MucDo`` code (or ``None``) and requirement groups (all groups, any member of each)."""

    id: str
    rank: int
    label: str
    muc_do: int | None = None
    requires: tuple[frozenset[Capability], ...] = ()

    def missing(
        self, offered: frozenset[Capability], waived: frozenset[Capability]
    ) -> tuple[frozenset[Capability], ...]:
        """The requirement groups ``offered`` does not meet (waived capabilities count as met)."""
        have = offered | waived
        return tuple(group for group in self.requires if not group & have)


@attrs.frozen(kw_only=True)
class LevelScheme:
    """A decree's level scheme, in force from ``valid_from`` until ``valid_to`` (exclusive)."""

    id: str
    title: str
    valid_from: date
    valid_to: date | None
    none: Level
    levels: tuple[Level, ...]
    waived_without_fees: frozenset[Capability] = frozenset()

    def is_valid_on(self, day: date) -> bool:
        """Whether the scheme applied on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    def level(self, level_id: str) -> Level:
        """The level with ``level_id`` (the ``none`` level included)."""
        for level in (self.none, *self.levels):
            if level.id == level_id:
                return level
        raise NotFoundError(
            f"{self.id} has no level {level_id!r}", code="services.level.unknown", where="level"
        )

    def classify(self, offered: Iterable[Capability], *, has_fees: bool = True) -> Classification:
        """The highest level ``offered`` reaches, with the reason."""
        have = frozenset(offered)
        waived = frozenset() if has_fees else self.waived_without_fees
        reached = self.none
        for level in sorted(self.levels, key=lambda lv: lv.rank):
            if level.missing(have, waived):
                break
            reached = level
        higher = [lv for lv in self.levels if lv.rank > reached.rank]
        following = min(higher, key=lambda lv: lv.rank) if higher else None
        gaps = () if following is None else following.missing(have, waived)
        used = (waived - have) & frozenset().union(*reached.requires)
        reason = _reason(reached, following, gaps, have, used)
        return Classification(
            scheme=self.id, level=reached, reason=reason, missing=gaps, waived=bool(waived)
        )


def _names(group: frozenset[Capability]) -> str:
    return " or ".join(sorted(c.value for c in group))


def _reason(
    reached: Level,
    following: Level | None,
    gaps: tuple[frozenset[Capability], ...],
    have: frozenset[Capability],
    waived_used: frozenset[Capability],
) -> str:
    offered = ", ".join(sorted(c.value for c in have)) or "nothing"
    parts = [f"{reached.label}: offers {offered}"]
    if waived_used:
        parts.append(
            "no fee is charged, so "
            + ", ".join(sorted(c.value for c in waived_used))
            + " is not required"
        )
    if following is not None:
        parts.append(f"{following.label} would also need " + ", ".join(_names(g) for g in gaps))
    return "; ".join(parts)


@attrs.frozen(kw_only=True)
class Classification:
    """The level a procedure reaches under one scheme, and why."""

    scheme: str
    level: Level
    reason: str
    missing: tuple[frozenset[Capability], ...] = ()
    waived: bool = False

    @property
    def muc_do(self) -> int | None:
        """The ``MucDo`` code of the level (2, 3, 4), or ``None``."""
        return self.level.muc_do

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "scheme": self.scheme,
            "level": self.level.id,
            "label": self.level.label,
            "rank": self.level.rank,
            "muc_do": self.level.muc_do,
            "reason": self.reason,
            "missing": [sorted(c.value for c in g) for g in self.missing],
        }


def _level(data: Mapping[str, Any]) -> Level:
    return Level(
        id=str(data["id"]),
        rank=int(data["rank"]),
        label=str(data["label"]),
        muc_do=data.get("muc_do"),
        requires=tuple(
            frozenset(Capability(c) for c in group) for group in data.get("requires", [])
        ),
    )


def _scheme(data: Mapping[str, Any]) -> LevelScheme:
    until = data.get("valid_to")
    return LevelScheme(
        id=str(data["id"]),
        title=str(data["title"]),
        valid_from=date.fromisoformat(data["valid_from"]),
        valid_to=None if until is None else date.fromisoformat(until),
        none=_level(data["none"]),
        levels=tuple(_level(lv) for lv in data["levels"]),
        waived_without_fees=frozenset(Capability(c) for c in data.get("waived_without_fees", ())),
    )


@cache
def schemes() -> tuple[LevelScheme, ...]:
    """The level schemes egovkit knows, oldest first."""
    text = resources.files("egovkit.services").joinpath("data/levels.json").read_text("utf-8")
    return tuple(_scheme(s) for s in json.loads(text)["schemes"])


#: The id of the Decree 43/2011 scheme (levels 1–4).
DECREE_43_2011 = "nd43-2011"
#: The id of the Decree 42/2022 scheme (toàn trình / một phần / information).
DECREE_42_2022 = "nd42-2022"


def scheme(scheme_id: str) -> LevelScheme:
    """The scheme with ``scheme_id`` (:data:`DECREE_43_2011`, :data:`DECREE_42_2022`)."""
    for found in schemes():
        if found.id == scheme_id:
            return found
    raise NotFoundError(
        f"no level scheme {scheme_id!r}", code="services.scheme.unknown", where="scheme"
    )


def scheme_on(day: date) -> LevelScheme:
    """The scheme in force on ``day``."""
    for found in schemes():
        if found.is_valid_on(day):
            return found
    raise ValidationError(
        f"no online service level scheme was in force on {day}",
        code="services.scheme.none_in_force",
        where="day",
    )


def classify(
    procedure: Procedure, *, scheme_id: str | None = None, on: date | None = None
) -> Classification:
    """The level of ``procedure`` under ``scheme_id``, or else the scheme in force on ``on``
    (default: the day its version took effect).

    >>> from datetime import date
    >>> from egovkit.services import (Capability as C, CompetentLevel, FeeItem, Procedure,
    ...                               ProcedureCode, classify)
    >>> p = Procedure(code=ProcedureCode.parse("2.000488.000.00.00.H56"), name="Cấp phép",
    ...               competent_level=CompetentLevel.PROVINCE, valid_from=date(2024, 1, 1),
    ...               fees=[FeeItem(name="Lệ phí", amount=50_000)],
    ...               capabilities={C.INFORMATION, C.ONLINE_SUBMISSION, C.ONLINE_PROCESSING,
    ...                             C.ONLINE_RESULT})
    >>> result = classify(p)
    >>> result.level.label, result.muc_do
    ('Dịch vụ công trực tuyến một phần', 3)
    >>> print(result.reason.split("; ")[-1])
    Dịch vụ công trực tuyến toàn trình would also need online_payment
    """
    chosen = scheme(scheme_id) if scheme_id else scheme_on(on or procedure.valid_from)
    return chosen.classify(procedure.capabilities, has_fees=procedure.has_fees)


__all__ = [
    "DECREE_42_2022",
    "DECREE_43_2011",
    "Classification",
    "Level",
    "LevelScheme",
    "classify",
    "scheme",
    "scheme_on",
    "schemes",
]
