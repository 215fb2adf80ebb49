"""Exact numbers for scores: :class:`~decimal.Decimal` in one fixed context.

Scores decide reputations, so two runs on two machines must agree to the last published digit.
Binary floats cannot promise that (``0.1 + 0.2``), so every input is read as a decimal, every
operation runs in :data:`CONTEXT` (28 significant digits) and only the published figures are
rounded, half away from zero (``ROUND_HALF_UP``, how Vietnamese reports round by hand).
"""

from __future__ import annotations

import decimal
from decimal import ROUND_HALF_UP, Decimal

#: The arithmetic context of every evaluation; independent of the caller's thread context.
CONTEXT = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

ZERO = Decimal(0)
ONE = Decimal(1)


_STEPS = tuple(Decimal(1).scaleb(-places) for places in range(13))


def quantize(value: Decimal, decimals: int) -> Decimal:
    """``value`` rounded half-up to ``decimals`` places (the rounding of published figures)."""
    step = _STEPS[decimals] if 0 <= decimals < len(_STEPS) else Decimal(1).scaleb(-decimals)
    try:
        return value.quantize(step, rounding=ROUND_HALF_UP, context=CONTEXT)
    except decimal.InvalidOperation:  # more digits than the context holds: nothing to round
        return value


def number_text(value: Decimal, decimals: int = 4) -> str:
    """A short human form: rounded to ``decimals`` places, trailing zeros dropped (``0.8``,
    ``100``)."""
    text = format(quantize(value, decimals), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def json_number(value: Decimal, decimals: int = 6) -> int | float:
    """A JSON number for ``value`` rounded to ``decimals`` places.

    The float of a decimal with at most 15 significant digits prints back as the same digits
    (shortest repr), so the JSON shows exactly the rounded decimal; every score, point and rate
    egovkit prints is far below that.
    """
    q = quantize(value, decimals)
    if q == q.to_integral_value() and abs(q) < 10**15:
        return int(q)
    return float(q)


def is_finite(value: Decimal) -> bool:
    """False for NaN and infinities, which no indicator value may be."""
    return value.is_finite()
