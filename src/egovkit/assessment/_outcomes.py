"""What the engine computes per unit before explanations: small tuples, cheap to make.

Internal: :mod:`egovkit.assessment.engine` builds them, ``_explaining`` turns them into
:class:`~egovkit.assessment.explanation.Explanation` trees on demand.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from egovkit.assessment.explanation import Status
from egovkit.assessment.model import Node
from egovkit.assessment.scoring import Share


class _Rate(NamedTuple):
    rate: Decimal | None
    status: Status
    reason: str


class _LeafOut(NamedTuple):
    points: Decimal | None
    status: Status
    reason: str
    rate: Decimal | None
    share: Share | None


class _Fast(NamedTuple):
    """A plain capped ratio of one indicator: scored without the general path's checks when
    the value is a plain number inside the indicator's range."""

    indicator: str
    low: Decimal | None
    high: Decimal | None
    threshold: Decimal
    points: Decimal


class _GroupPlan(NamedTuple):
    children: tuple[tuple[Node, bool, _Fast | None], ...]  # (child, is a leaf, fast plan)
    is_sum: bool
    maxima: tuple[Decimal, ...]
    declared: Decimal
    full: Decimal


class _GroupOut(NamedTuple):
    points: Decimal | None
    max_points: Decimal
    status: Status
    reason: str
    children: tuple[_Out, ...]


# A leaf scored on the fast path is kept as its bare points (no tuple per leaf: less garbage for
# the collector); its explanation is rebuilt by the general path, which gives the same numbers.
_Out = _LeafOut | _GroupOut | Decimal


def _points_of(out: _Out) -> Decimal | None:
    return out if isinstance(out, Decimal) else out.points


_OK = Status.OK
