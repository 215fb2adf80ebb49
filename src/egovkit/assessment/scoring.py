"""The scoring functions: from one indicator value to a share (0..1) of a leaf's points.

Each function returns the share and, when it cannot score, the reason, so the engine can record
an explicit N/A instead of a silent zero. Population functions (min-max, z-score as in the UN
EGDI) need :class:`PopulationStats` over every unit assessed together.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from egovkit.assessment._numbers import CONTEXT, ONE, ZERO
from egovkit.assessment.model import (
    BandScoring,
    CountScoring,
    MinMaxScoring,
    RatioScoring,
    Scoring,
    YesNoScoring,
    ZScoreMinMaxScoring,
)


class PopulationStats(NamedTuple):
    """Minimum, maximum, mean and population standard deviation of one leaf's values."""

    size: int
    low: Decimal
    high: Decimal
    mean: Decimal
    sd: Decimal

    @classmethod
    def of(cls, values: Sequence[Decimal]) -> PopulationStats | None:
        """The statistics of ``values``, or ``None`` when there are none."""
        if not values:
            return None
        n = len(values)
        mean = CONTEXT.divide(sum(values, ZERO), n)
        variance = CONTEXT.divide(sum(((v - mean) ** 2 for v in values), ZERO), n)
        return cls(size=n, low=min(values), high=max(values), mean=mean, sd=CONTEXT.sqrt(variance))


class Share(NamedTuple):
    """A scoring function's answer: ``share`` of the leaf's points (``None``: N/A, see
    ``reason``), the threshold it used and the kind-specific numbers shown in explanations."""

    share: Decimal | None
    threshold: Decimal | None = None
    reason: str = ""
    extra: tuple[Decimal, ...] = ()


def threshold_of(scoring: RatioScoring, attributes: dict[str, str] | None) -> Decimal | None:
    """T for a unit: the fixed threshold, or the one for its attribute value (``None`` if the
    unit lacks the attribute or the value has no threshold)."""
    if scoring.threshold_by is None:
        return scoring.threshold
    key = (attributes or {}).get(scoring.threshold_by)
    if key is None:
        return None
    return scoring.thresholds.get(key)


def share_for(
    scoring: Scoring,
    value: Decimal,
    *,
    leaf_points: Decimal,
    threshold: Decimal | None = None,
    stats: PopulationStats | None = None,
) -> Share:
    """Score ``value`` (already a rate for fractions) with ``scoring``."""
    if isinstance(scoring, RatioScoring):
        t = threshold if threshold is not None else scoring.threshold
        return Share(share=min(ONE, CONTEXT.divide(value, t)), threshold=t)
    if isinstance(scoring, YesNoScoring):
        if value not in (ZERO, ONE):
            return Share(share=None, reason=f"yes/no value must be 0 or 1, not {value}")
        return Share(share=value)
    if isinstance(scoring, CountScoring):
        target = scoring.target if scoring.target is not None else ONE
        return Share(share=min(ONE, CONTEXT.divide(value, target)), threshold=target)
    if isinstance(scoring, BandScoring):
        for i, band in enumerate(scoring.bands):
            if band.contains(value):
                share = CONTEXT.divide(band.points, leaf_points) if leaf_points else ZERO
                return Share(share=share, extra=(Decimal(i),))
        return Share(share=None, reason=f"value {value} lies in no band")
    if isinstance(scoring, MinMaxScoring):
        low = scoring.low if scoring.low is not None else (stats.low if stats else None)
        high = scoring.high if scoring.high is not None else (stats.high if stats else None)
        if low is None or high is None:
            return Share(share=None, reason="no population to take the minimum and maximum from")
        if high == low:
            return Share(
                share=None, reason=f"every unit has the same value {low}: min-max is undefined"
            )
        share = CONTEXT.divide(value - low, high - low)
        return Share(share=max(ZERO, min(ONE, share)), extra=(low, high))
    if isinstance(scoring, ZScoreMinMaxScoring):
        if stats is None or stats.sd == 0:
            return Share(
                share=None, reason="every unit has the same value: the z-score is undefined"
            )
        z = CONTEXT.divide(value - stats.mean, stats.sd)
        z_low = CONTEXT.divide(stats.low - stats.mean, stats.sd)
        z_high = CONTEXT.divide(stats.high - stats.mean, stats.sd)
        share = CONTEXT.divide(z - z_low, z_high - z_low)
        return Share(
            share=max(ZERO, min(ONE, share)), extra=(stats.mean, stats.sd, z, z_low, z_high)
        )
    raise TypeError(f"unknown scoring {scoring!r}")  # pragma: no cover


__all__ = ["PopulationStats", "Share", "share_for", "threshold_of"]
