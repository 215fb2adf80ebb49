"""Scoring invariants: monotone, bounded, capped at the threshold; min-max and z-score agree."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from egovkit.assessment import (
    Band,
    BandScoring,
    CountScoring,
    MinMaxScoring,
    RatioScoring,
    YesNoScoring,
    ZScoreMinMaxScoring,
)
from egovkit.assessment.scoring import PopulationStats, share_for

from .strategies import rates

thresholds = st.decimals(min_value=Decimal("0.01"), max_value=1, places=2)
points = st.decimals(min_value=0, max_value=1000, places=2)
values = st.decimals(min_value=-1000, max_value=1000, places=3)


@given(rates, rates, thresholds, points)
def test_ratio_is_monotone_bounded_and_capped(
    a: Decimal, b: Decimal, t: Decimal, p: Decimal
) -> None:
    low, high = sorted((a, b))
    share_low = share_for(RatioScoring(threshold=t), low, leaf_points=p).share
    share_high = share_for(RatioScoring(threshold=t), high, leaf_points=p).share
    assert share_low is not None
    assert share_high is not None
    assert 0 <= share_low <= share_high <= 1
    if high >= t:
        assert share_high == 1


def test_ratio_formula_with_the_766_threshold() -> None:
    # 3.3: 40% online against T = 50% earns 0.8 of the points
    share = share_for(
        RatioScoring(threshold=Decimal("0.5")), Decimal("0.4"), leaf_points=Decimal(6)
    )
    assert share.share == Decimal("0.8")
    assert share.threshold == Decimal("0.5")


@given(rates, rates, st.decimals(min_value=1, max_value=300, places=0))
def test_count_is_monotone_and_capped(a: Decimal, b: Decimal, target: Decimal) -> None:
    scoring = CountScoring(target=target)
    low, high = sorted((a * 300, b * 300))
    s_low = share_for(scoring, low, leaf_points=Decimal(10)).share
    s_high = share_for(scoring, high, leaf_points=Decimal(10)).share
    assert s_low is not None
    assert s_high is not None
    assert 0 <= s_low <= s_high <= 1
    assert (s_high == 1) == (high >= target)


def test_yes_no() -> None:
    assert share_for(YesNoScoring(), Decimal(1), leaf_points=Decimal(5)).share == 1
    assert share_for(YesNoScoring(), Decimal(0), leaf_points=Decimal(5)).share == 0
    refused = share_for(YesNoScoring(), Decimal("0.5"), leaf_points=Decimal(5))
    assert refused.share is None
    assert "0 or 1" in refused.reason


@given(values)
def test_bands_take_the_first_match_and_stay_in_bounds(value: Decimal) -> None:
    scoring = BandScoring(
        bands=(
            Band(minimum=Decimal(0), maximum=Decimal(3), points=Decimal(5)),
            Band(minimum=Decimal(3), maximum=Decimal(6), points=Decimal("2.5")),
            Band(minimum=Decimal(6), points=Decimal(0)),
        )
    )
    result = share_for(scoring, value, leaf_points=Decimal(5))
    if value < 0:
        assert result.share is None
        assert "no band" in result.reason
    else:
        assert result.share is not None
        expected = 1 if value <= 3 else Decimal("0.5") if value <= 6 else 0
        assert result.share == expected


@given(st.lists(values, min_size=2, max_size=30))
def test_minmax_maps_worst_to_0_best_to_1_and_keeps_order(population: list[Decimal]) -> None:
    assume(len(set(population)) > 1)
    stats = PopulationStats.of(population)
    shares = [
        share_for(MinMaxScoring(), v, leaf_points=Decimal(1), stats=stats).share for v in population
    ]
    assert all(s is not None and 0 <= s <= 1 for s in shares)
    assert shares[population.index(max(population))] == 1
    assert shares[population.index(min(population))] == 0
    known = [s for s in shares if s is not None]
    for v, s in zip(population, known, strict=True):
        for w, u in zip(population, known, strict=True):
            if v < w:
                assert s <= u


@given(st.lists(values, min_size=2, max_size=30))
def test_zscore_then_minmax_equals_minmax(population: list[Decimal]) -> None:
    # an affine map (the z-score) does not change a min-max rescaling: EGDI's two steps
    # give what min-max alone gives, up to rounding
    assume(len(set(population)) > 1)
    stats = PopulationStats.of(population)
    for v in population:
        z = share_for(ZScoreMinMaxScoring(), v, leaf_points=Decimal(1), stats=stats).share
        m = share_for(MinMaxScoring(), v, leaf_points=Decimal(1), stats=stats).share
        assert z is not None
        assert m is not None
        assert abs(z - m) < Decimal("1e-20")


def test_population_functions_refuse_a_degenerate_population() -> None:
    stats = PopulationStats.of([Decimal(3), Decimal(3)])
    for scoring in (MinMaxScoring(), ZScoreMinMaxScoring()):
        result = share_for(scoring, Decimal(3), leaf_points=Decimal(1), stats=stats)
        assert result.share is None
        assert "same value" in result.reason


def test_fixed_minmax_bounds_clamp() -> None:
    scoring = MinMaxScoring(low=Decimal(10), high=Decimal(20))
    assert share_for(scoring, Decimal(15), leaf_points=Decimal(1)).share == Decimal("0.5")
    assert share_for(scoring, Decimal(25), leaf_points=Decimal(1)).share == 1
    assert share_for(scoring, Decimal(5), leaf_points=Decimal(1)).share == 0
