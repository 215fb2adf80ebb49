"""Explanation trees from the engine's outcomes: inputs, numbers and the formula per leaf.

Internal to :mod:`egovkit.assessment.engine`. A leaf scored on the engine's fast path is kept as
bare points; ``rescore`` runs the general path on it again, which gives the same numbers (a
property test checks that), so its explanation has every detail.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from egovkit.assessment._numbers import ONE, ZERO, number_text
from egovkit.assessment._outcomes import _GroupOut, _LeafOut, _Out
from egovkit.assessment.explanation import Explanation
from egovkit.assessment.inputs import Measure, UnitInput
from egovkit.assessment.model import (
    BandScoring,
    CountScoring,
    Indicator,
    Leaf,
    MinMaxScoring,
    Node,
    RatioScoring,
    YesNoScoring,
    ZScoreMinMaxScoring,
)

Rescore = Callable[[Leaf, UnitInput], _LeafOut]


def explain(
    node: Node,
    out: _Out,
    unit: UnitInput,
    rescore: Rescore,
    indicators: Mapping[str, Indicator],
) -> Explanation:
    """The explanation tree of ``node`` for ``unit`` from the engine's outcome ``out``."""
    if isinstance(node, Leaf):
        if isinstance(out, Decimal):
            out = rescore(node, unit)
        assert isinstance(out, _LeafOut)
        return _explain_leaf(node, out, unit, indicators.get(node.indicator))
    assert isinstance(out, _GroupOut)
    return Explanation(
        id=node.id,
        name_vi=node.name_vi,
        name_en=node.name_en,
        kind=node.aggregate.value,
        max_points=out.max_points,
        points=out.points,
        status=out.status,
        reason=out.reason,
        children=tuple(
            explain(child, child_out, unit, rescore, indicators)
            for child, child_out in zip(node.children, out.children, strict=True)
        ),
    )


def _inputs(leaf: Leaf, unit: UnitInput) -> tuple[tuple[str, Measure], ...]:
    """The values a leaf read, up to the first missing one."""
    out: list[tuple[str, Measure]] = []
    for indicator_id in (leaf.indicator, *leaf.times):
        measure = unit.values.get(indicator_id)
        if measure is None:
            break
        out.append((indicator_id, measure))
    return tuple(out)


def _explain_leaf(
    leaf: Leaf, out: _LeafOut, unit: UnitInput, indicator: Indicator | None
) -> Explanation:
    inputs = _inputs(leaf, unit)
    main = inputs[0][1] if inputs else None
    share = out.share
    return Explanation(
        id=leaf.id,
        name_vi=leaf.name_vi or (indicator.name_vi if indicator else ""),
        name_en=leaf.name_en or (indicator.name_en if indicator else ""),
        kind="leaf",
        max_points=leaf.points,
        points=out.points,
        status=out.status,
        reason=out.reason,
        indicator=leaf.indicator,
        inputs={k: str(m) for k, m in inputs},
        numerator=main.value if main is not None and main.is_fraction else None,
        denominator=main.denominator if main is not None else None,
        value=out.rate,
        threshold=share.threshold if share else None,
        formula=_formula(leaf, out, inputs, unit) if out.points is not None or share else "",
    )


def _formula(
    leaf: Leaf, out: _LeafOut, inputs: tuple[tuple[str, Measure], ...], unit: UnitInput
) -> str:
    t = number_text
    parts: list[str] = []
    rate = out.rate
    plain = len(inputs) == 1 and inputs[0][1].denominator is None and leaf.rate_decimals is None
    if inputs and rate is not None and not plain:
        pieces = []
        for key, measure in inputs:
            if measure.denominator is not None:
                pieces.append(f"{key} {measure.value}/{measure.denominator}")
            else:
                pieces.append(f"{key} {measure.value}")
        rounding = (
            f" (rounded to {leaf.rate_decimals} places)" if leaf.rate_decimals is not None else ""
        )
        parts.append(f"value = {' × '.join(pieces)} = {t(rate, 6)}{rounding}")
    elif inputs and rate is None:
        parts.append(f"inputs {', '.join(f'{k} {m}' for k, m in inputs)}")
    share = out.share
    if share is None or share.share is None or rate is None:
        if share is not None and share.reason:
            parts.append(share.reason)
        return "; ".join(parts)
    points = out.points if out.points is not None else ZERO
    scoring = leaf.scoring
    pts = t(leaf.points, 2)
    if isinstance(scoring, RatioScoring):
        assert share.threshold is not None
        parts.append(f"points = min(1, {t(rate)} / T {t(share.threshold)}) × {pts} = {t(points)}")
        if scoring.threshold_by is not None:
            by = scoring.threshold_by
            parts.append(f"T is the target for {by} = {unit.attributes.get(by)}")
    elif isinstance(scoring, CountScoring):
        assert share.threshold is not None
        parts.append(
            f"points = min(1, {t(rate)} / target {t(share.threshold)}) × {pts} = {t(points)}"
        )
    elif isinstance(scoring, YesNoScoring):
        parts.append(f"points = {'yes' if rate == ONE else 'no'} → {t(points)} of {pts}")
    elif isinstance(scoring, BandScoring):
        band = scoring.bands[int(share.extra[0])]
        lower = "−∞" if band.minimum is None else t(band.minimum)
        upper = "+∞" if band.maximum is None else t(band.maximum)
        parts.append(f"band [{lower}, {upper}] → points = {t(points)} of {pts}")
    elif isinstance(scoring, MinMaxScoring):
        low, high = share.extra
        parts.append(
            f"points = ({t(rate)} − min {t(low)}) / (max {t(high)} − min {t(low)}) × {pts}"
            f" = {t(points)}"
        )
    elif isinstance(scoring, ZScoreMinMaxScoring):
        mean, sd, z, z_low, z_high = share.extra
        parts.append(
            f"z = ({t(rate)} − mean {t(mean)}) / sd {t(sd)} = {t(z)}; points = ({t(z)} − "
            f"z_min {t(z_low)}) / (z_max {t(z_high)} − z_min {t(z_low)}) × {pts} = {t(points)}"
        )
    return "; ".join(parts)
