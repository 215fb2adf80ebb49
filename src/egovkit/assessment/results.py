"""The results of an assessment: one scorecard (phiếu điểm) per unit, ranked.

Each scorecard records the rule-set id and version it was scored with, so a published figure can
always be traced to the rules in force, and carries its explanation tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

import attrs

from egovkit.assessment.explanation import Explanation, Status
from egovkit.assessment.model import RuleSet
from egovkit.errors import NotFoundError
from egovkit.text import clean


@attrs.frozen(kw_only=True)
class Scorecard:
    """One unit's result: ``score`` as published (rounded), ``rank``, ``grade`` and why.

    ``score`` is ``None`` when the unit could not be scored (``status`` N/A, with ``reason``).
    The explanation tree is built when asked for (and not kept), so scoring many units stays
    fast; keep the returned tree if you need it more than once.
    """

    unit: str
    ruleset_id: str
    ruleset_version: str
    at: date | None
    score: Decimal | None
    points: Decimal | None
    max_points: Decimal
    status: Status = Status.OK
    reason: str = ""
    rank: int | None = None
    grade: str | None = None
    merged_from: tuple[str, ...] = ()
    _explain: Callable[[], Explanation] = attrs.field(eq=False, repr=False, alias="explain")

    @property
    def explanation(self) -> Explanation:
        """The explanation tree (root = the whole index), built on each access."""
        return self._explain()


@attrs.frozen(kw_only=True)
class Assessment:
    """Every scorecard of one run, best rank first (units that could not be scored last)."""

    ruleset: RuleSet
    at: date | None
    scorecards: tuple[Scorecard, ...]

    def get(self, unit: str) -> Scorecard:
        """The scorecard of ``unit`` (NFC, outer spaces ignored)."""
        wanted = clean(unit)
        for card in self.scorecards:
            if card.unit == wanted:
                return card
        raise NotFoundError(
            f"no unit {unit!r} in this assessment", code="assessment.unit.unknown", where=unit
        )

    def __iter__(self) -> Iterator[Scorecard]:
        return iter(self.scorecards)

    def __len__(self) -> int:
        return len(self.scorecards)


__all__ = ["Assessment", "Scorecard"]
