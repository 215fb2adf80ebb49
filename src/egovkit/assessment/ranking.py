"""Rankings with ties (xếp hạng): equal published scores share a rank.

Ranks are taken on the *rounded* score, because that is the figure people compare: two
provinces published as 0.8002 must not be ranked apart by a digit nobody sees.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from typing import TypeVar

from egovkit.assessment.model import Ties

T = TypeVar("T", bound=Hashable)


def rank(scores: Mapping[T, Decimal | None], *, ties: Ties = Ties.COMPETITION) -> dict[T, int]:
    """The rank of every key with a score, highest score first; keys scored ``None`` are left out.

    >>> from decimal import Decimal as D
    >>> from egovkit.assessment import Ties, rank
    >>> rank({"a": D("0.9"), "b": D("0.8"), "c": D("0.8"), "d": D("0.7")})
    {'a': 1, 'b': 2, 'c': 2, 'd': 4}
    >>> rank({"a": D("0.9"), "b": D("0.8"), "c": D("0.8"), "d": D("0.7")}, ties=Ties.DENSE)
    {'a': 1, 'b': 2, 'c': 2, 'd': 3}
    """
    scored = sorted(((k, s) for k, s in scores.items() if s is not None), key=lambda item: -item[1])
    out: dict[T, int] = {}
    previous: Decimal | None = None
    current = 0
    for position, (key, score) in enumerate(scored, start=1):
        if score != previous:
            current = position if ties is Ties.COMPETITION else current + 1
            previous = score
        out[key] = current
    return out


__all__ = ["rank"]
