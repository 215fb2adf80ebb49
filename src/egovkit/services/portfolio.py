"""Portfolio statistics: how many procedures of each agency and level of government reach each
online service level (tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến).

Shares are "at least this level": a target of "100% at level 3" is met by procedures at level 3
or 4. A procedure carried out by several agencies counts once for each of them.
"""

from __future__ import annotations

import enum
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

import attrs

from egovkit.services.catalogue import Procedure
from egovkit.services.levels import Classification, LevelScheme


class GroupBy(enum.Enum):
    """What a portfolio is broken down by."""

    AGENCY = "agency"  # cơ quan thực hiện
    COMPETENT_LEVEL = "competent_level"  # cấp thực hiện (tỉnh, huyện, xã…)
    ALL = "all"  # the whole catalogue


@attrs.frozen(kw_only=True)
class PortfolioShare:
    """The procedures of one group under one scheme: how many reach each level."""

    group: str
    scheme: str
    total: int
    counts: tuple[tuple[str, int], ...]  # (level id, procedures at exactly that level), by rank

    def count(self, level_id: str) -> int:
        """Procedures at exactly ``level_id``."""
        return dict(self.counts).get(level_id, 0)

    def at_least(self, level_id: str) -> int:
        """Procedures at ``level_id`` or a higher level."""
        ids = [i for i, _ in self.counts]
        if level_id not in ids:
            return 0
        return sum(n for _, n in self.counts[ids.index(level_id) :])

    def share_at_least(self, level_id: str) -> float | None:
        """:meth:`at_least` over ``total`` (``None`` for an empty group)."""
        return self.at_least(level_id) / self.total if self.total else None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view with counts and "at least" shares per level."""
        return {
            "group": self.group,
            "scheme": self.scheme,
            "total": self.total,
            "counts": dict(self.counts),
            "share_at_least": {i: self.share_at_least(i) for i, _ in self.counts},
        }


def _keys(procedure: Procedure, by: GroupBy) -> list[str]:
    if by is GroupBy.AGENCY:
        return [str(a) for a in procedure.agencies] or ["(no agency)"]
    if by is GroupBy.COMPETENT_LEVEL:
        return [procedure.competent_level.value]
    return ["all"]


def portfolio_shares(
    procedures: Iterable[Procedure],
    scheme: LevelScheme,
    *,
    by: GroupBy = GroupBy.ALL,
    on: date | None = None,
) -> list[PortfolioShare]:
    """One :class:`PortfolioShare` per group, in group order; with ``on`` only the versions in
    force that day count.

    >>> from datetime import date
    >>> from egovkit.services import (Capability as C, CompetentLevel, GroupBy, Procedure,
    ...                               ProcedureCode, portfolio_shares, scheme)
    >>> def proc(stem, *caps):
    ...     return Procedure(code=ProcedureCode.parse(stem), name="Thủ tục",
    ...                      valid_from=date(2023, 1, 1), capabilities=caps,
    ...                      competent_level=CompetentLevel.COMMUNE)
    >>> rows = portfolio_shares([proc("1.000001", C.INFORMATION),
    ...                   proc("1.000002", C.INFORMATION, C.ONLINE_SUBMISSION)],
    ...                  scheme("nd42-2022"), by=GroupBy.COMPETENT_LEVEL)
    >>> rows[0].group, rows[0].total, rows[0].share_at_least("partial")
    ('commune', 2, 0.5)
    """
    ordered = sorted((scheme.none, *scheme.levels), key=lambda lv: lv.rank)
    tallies: dict[str, Counter[str]] = defaultdict(Counter)
    for procedure in procedures:
        if on is not None and not procedure.is_valid_on(on):
            continue
        found: Classification = scheme.classify(procedure.capabilities, has_fees=procedure.has_fees)
        for key in _keys(procedure, by):
            tallies[key][found.level.id] += 1
    return [
        PortfolioShare(
            group=key,
            scheme=scheme.id,
            total=sum(tally.values()),
            counts=tuple((lv.id, tally[lv.id]) for lv in ordered),
        )
        for key, tally in sorted(tallies.items())
    ]


__all__ = ["GroupBy", "PortfolioShare", "portfolio_shares"]
