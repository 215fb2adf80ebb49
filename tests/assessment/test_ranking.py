"""Rankings with ties: equal scores share a rank; competition (1224) and dense (1223)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from egovkit.assessment import Ties, rank

scores = st.dictionaries(
    st.text(min_size=1, max_size=5),
    st.none() | st.decimals(min_value=0, max_value=1, places=2),
    max_size=25,
)


@given(scores)
def test_competition_rank_is_one_plus_the_number_strictly_better(
    table: dict[str, Decimal | None],
) -> None:
    ranks = rank(table)
    scored = {k: v for k, v in table.items() if v is not None}
    assert set(ranks) == set(scored)
    for key, score in scored.items():
        assert ranks[key] == 1 + sum(1 for other in scored.values() if other > score)


@given(scores)
def test_dense_rank_counts_distinct_better_scores(table: dict[str, Decimal | None]) -> None:
    ranks = rank(table, ties=Ties.DENSE)
    scored = {k: v for k, v in table.items() if v is not None}
    for key, score in scored.items():
        assert ranks[key] == 1 + len({o for o in scored.values() if o > score})


@given(scores)
def test_ties_share_a_rank_and_better_never_ranks_lower(table: dict[str, Decimal | None]) -> None:
    ranks = rank(table)
    for a, sa in table.items():
        for b, sb in table.items():
            if sa is None or sb is None:
                continue
            if sa == sb:
                assert ranks[a] == ranks[b]
            elif sa > sb:
                assert ranks[a] < ranks[b]


def test_example() -> None:
    got = rank({"a": Decimal("0.7"), "b": Decimal("0.9"), "c": Decimal("0.7"), "d": None})
    assert got == {"b": 1, "a": 2, "c": 2}
