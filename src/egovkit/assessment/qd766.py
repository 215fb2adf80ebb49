"""Decision 766/QĐ-TTg rates from aggregate counts, for units that report counts, not rates.

The ``qd766`` rule set scores rates (tỷ lệ). Where a province has the counts behind them — how
many dossiers were synchronised, paid online, how much feedback was disliked — these functions
turn the counts into the rule set's values with the Decision's denominators, each as a
:class:`~egovkit.assessment.inputs.Measure` (numerator over denominator) so the explanation shows
both. Counting per dossier (the on-time rule with supplements, the channel, the result file)
is :mod:`egovkit.assessment.qd766_dossiers`; inputs from a whole store are
:mod:`egovkit.assessment.from_store`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

from egovkit.assessment._numbers import CONTEXT, ONE, ZERO
from egovkit.assessment.inputs import Measure, UnitInput
from egovkit.errors import ValidationError
from egovkit.findings import Finding

Period = Literal["month", "quarter", "year"]
_PER_YEAR: Mapping[str, int] = {"month": 12, "quarter": 4, "year": 1}


def _count(name: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        message = f"{name} must be a whole number ≥ 0, got {value!r}"
        raise ValidationError(
            message,
            code="assessment.qd766.count",
            where=name,
            findings=[Finding(code="assessment.qd766.count", where=name, message=message)],
        )
    return Decimal(value)


def sync_rate(
    *,
    synced: int,
    reported: int | None,
    on_portal: int | None,
    last_year_total: int | None = None,
    period: Period = "month",
) -> Measure:
    """1.4 (đồng bộ): dossiers synchronised ÷ max(count in the national reporting system, count
    on the national portal); with neither, last year's total ÷ 12 (month) or ÷ 4 (quarter).

    >>> from egovkit.assessment.qd766 import sync_rate
    >>> str(sync_rate(synced=90, reported=100, on_portal=95))
    '90/100'
    >>> str(sync_rate(synced=90, reported=None, on_portal=None, last_year_total=1200))
    '90/100'
    """
    counts = [_count(n, v) for n, v in (("reported", reported), ("on_portal", on_portal)) if v]
    if counts:
        return Measure(value=_count("synced", synced), denominator=max(counts))
    if last_year_total is None:
        return Measure(value=_count("synced", synced), denominator=ZERO)
    fallback = CONTEXT.divide(_count("last_year_total", last_year_total), _PER_YEAR[period])
    return Measure(value=_count("synced", synced), denominator=fallback)


def online_submission_rate(*, online: int, received: int) -> Measure:
    """3.3 (nộp trực tuyến): dossiers with KenhThucHien = 2 (and an electronic result where the
    procedure requires a paper one) ÷ all dossiers received. The rule set multiplies it by the
    sync rate."""
    return Measure(value=_count("online", online), denominator=_count("received", received))


def online_payment_rate(*, paid_online: int, fee_dossiers: int, zero_fee_dossiers: int) -> Measure:
    """3.6 (thanh toán trực tuyến): dossiers paid online (DuocThanhToanTrucTuyen 1 or 2) ÷
    (dossiers of procedures with a fee − dossiers whose synchronised fees are all 0)."""
    fee = _count("fee_dossiers", fee_dossiers)
    zero = _count("zero_fee_dossiers", zero_fee_dossiers)
    if zero > fee:
        message = "zero_fee_dossiers cannot exceed fee_dossiers"
        raise ValidationError(
            message,
            code="assessment.qd766.count",
            where="zero_fee_dossiers",
            findings=[
                Finding(code="assessment.qd766.count", where="zero_fee_dossiers", message=message)
            ],
        )
    return Measure(value=_count("paid_online", paid_online), denominator=fee - zero)


def feedback_satisfaction(*, total: int, disliked: int, overdue: int, repeated: int) -> Measure:
    """5.3 (hài lòng xử lý PAKN): (feedback − disliked − overdue − repeated) ÷ feedback, at
    least 0.

    >>> from egovkit.assessment.qd766 import feedback_satisfaction
    >>> str(feedback_satisfaction(total=200, disliked=10, overdue=6, repeated=4))
    '180/200'
    """
    all_ = _count("total", total)
    bad = _count("disliked", disliked) + _count("overdue", overdue) + _count("repeated", repeated)
    return Measure(value=max(ZERO, all_ - bad), denominator=all_)


def service_satisfaction(*, overdue: int, complained: int, total: int) -> Measure:
    """5.4 (hài lòng tiếp nhận, giải quyết TTHC): 100% − (overdue rate + rate of dossiers with a
    complaint or a dislike), at least 0; as one fraction over ``total`` dossiers.

    >>> from egovkit.assessment.qd766 import service_satisfaction
    >>> str(service_satisfaction(overdue=5, complained=3, total=100))
    '92/100'
    """
    all_ = _count("total", total)
    bad = _count("overdue", overdue) + _count("complained", complained)
    return Measure(value=max(ZERO, all_ - bad), denominator=all_)


def ratio(numerator: int, denominator: int) -> Measure:
    """A plain count ratio (1.1–1.3, 2.1, 3.1, 3.4, 3.5, 4.x, 5.1, 5.2 from their counts)."""
    return Measure(
        value=_count("numerator", numerator), denominator=_count("denominator", denominator)
    )


def unit_from_measures(unit: str, measures: Mapping[str, Measure]) -> UnitInput:
    """A unit for the ``qd766`` rule set from its measures (keys are the rule set's indicator
    ids, e.g. ``sync_rate``, ``payment_dossiers``, ``feedback_satisfaction``)."""
    for key, measure in measures.items():
        rate = measure.rate()
        if rate is not None and not ZERO <= rate <= ONE:
            message = f"{key} = {measure} is not a rate between 0 and 1"
            raise ValidationError(
                message,
                code="assessment.qd766.rate",
                where=key,
                findings=[Finding(code="assessment.qd766.rate", where=key, message=message)],
            )
    return UnitInput(unit=unit, values=dict(measures))


__all__ = [
    "Period",
    "feedback_satisfaction",
    "online_payment_rate",
    "online_submission_rate",
    "ratio",
    "service_satisfaction",
    "sync_rate",
    "unit_from_measures",
]
