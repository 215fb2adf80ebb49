"""Hypothesis strategies for rule sets and unit inputs (shared by the assessment tests)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from egovkit.assessment import (
    Aggregate,
    Band,
    BandScoring,
    CountScoring,
    GradeBand,
    Group,
    Indicator,
    IndicatorSource,
    IndicatorUnit,
    Leaf,
    MinMaxScoring,
    NotApplicablePolicy,
    RatioScoring,
    RuleSet,
    Scale,
    Ties,
    YesNoScoring,
    ZeroDenominator,
    ZScoreMinMaxScoring,
)

idents = st.from_regex(r"[a-z][a-z0-9_.-]{0,12}", fullmatch=True)
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
numbers = st.decimals(allow_nan=False, allow_infinity=False)
small = st.decimals(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False)
optional = st.none() | numbers

scorings = st.one_of(
    st.builds(
        RatioScoring,
        threshold=numbers,
        threshold_by=st.none() | idents,
        thresholds=st.dictionaries(idents, numbers, max_size=3),
    ),
    st.builds(
        BandScoring,
        bands=st.lists(
            st.builds(Band, minimum=optional, maximum=optional, points=numbers), max_size=3
        ).map(tuple),
    ),
    st.builds(YesNoScoring),
    st.builds(CountScoring, target=optional),
    st.builds(MinMaxScoring, low=optional, high=optional),
    st.builds(ZScoreMinMaxScoring),
)

leaves = st.builds(
    Leaf,
    id=idents,
    indicator=idents,
    points=numbers,
    scoring=scorings,
    name_vi=texts,
    name_en=texts,
    times=st.lists(idents, max_size=2).map(tuple),
    on_zero_denominator=st.sampled_from(ZeroDenominator),
    rate_decimals=st.none() | st.integers(0, 12),
)


def _groups(children: st.SearchStrategy[Leaf | Group]) -> st.SearchStrategy[Group]:
    return st.builds(
        Group,
        id=idents,
        children=st.lists(children, min_size=1, max_size=3).map(tuple),
        aggregate=st.sampled_from(Aggregate),
        points=optional,
        name_vi=texts,
        name_en=texts,
        on_na=st.sampled_from(NotApplicablePolicy),
    )


nodes = st.recursive(leaves, _groups, max_leaves=6)
roots = _groups(nodes)

indicators = st.builds(
    Indicator,
    id=idents,
    name_vi=texts,
    name_en=texts,
    unit=st.sampled_from(IndicatorUnit),
    source=st.sampled_from(IndicatorSource),
    minimum=optional,
    maximum=optional,
    computed_from=texts,
)

rulesets = st.builds(
    RuleSet,
    id=idents,
    version=texts,
    title_vi=texts,
    title_en=texts,
    source=texts,
    effective_from=st.dates(),
    effective_to=st.none() | st.dates(),
    root=roots,
    indicators=st.lists(indicators, max_size=4).map(tuple),
    scale=st.sampled_from(Scale),
    decimals=st.integers(0, 12),
    grades=st.lists(
        st.builds(GradeBand, name=texts, minimum=optional, inclusive=st.booleans(), name_en=texts),
        max_size=3,
    ).map(tuple),
    ties=st.sampled_from(Ties),
    attributes=st.lists(idents, max_size=2).map(tuple),
    notes=texts,
)

rates = st.decimals(min_value=0, max_value=1, places=4)
ONE = Decimal(1)
