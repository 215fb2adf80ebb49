"""Rounding of published figures: half up, exact, and JSON numbers that print the same digits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.assessment._numbers import json_number, number_text, quantize

# scores, points and rates: at most 15 significant digits once rounded, as a float holds them
finite = st.decimals(min_value=-(10**6), max_value=10**6, allow_nan=False, places=10)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [("0.80015", 4, "0.8002"), ("0.71635", 4, "0.7164"), ("-0.125", 2, "-0.13"), ("2.5", 0, "3")],
)
def test_half_up(value: str, places: int, expected: str) -> None:
    assert str(quantize(Decimal(value), places)) == expected


@given(finite, st.integers(0, 8))
def test_json_number_shows_the_rounded_decimal(value: Decimal, places: int) -> None:
    shown = json_number(value, places)
    assert Decimal(repr(shown)) == quantize(value, places)


@given(finite)
def test_number_text_reads_back_as_the_rounded_value(value: Decimal) -> None:
    assert Decimal(number_text(value, 4)) == quantize(value, 4)


def test_huge_values_do_not_break_rounding() -> None:
    big = Decimal("1e30")
    assert quantize(big, 6) == big
    assert json_number(big) == 1e30
