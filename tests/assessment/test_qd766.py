"""Decision 766 rates from counts: the Decision's denominators, fallbacks and floors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.assessment import RuleSetCatalogue, evaluate
from egovkit.assessment.qd766 import (
    feedback_satisfaction,
    online_payment_rate,
    online_submission_rate,
    ratio,
    service_satisfaction,
    sync_rate,
    unit_from_measures,
)
from egovkit.errors import ValidationError

counts = st.integers(0, 10_000)


def test_sync_rate_takes_the_larger_count_and_falls_back_to_last_year() -> None:
    assert str(sync_rate(synced=90, reported=100, on_portal=120)) == "90/120"
    assert str(sync_rate(synced=90, reported=None, on_portal=95)) == "90/95"
    month = sync_rate(synced=90, reported=0, on_portal=None, last_year_total=1200)
    assert month.denominator == 100
    quarter = sync_rate(
        synced=90, reported=None, on_portal=None, last_year_total=1200, period="quarter"
    )
    assert quarter.denominator == 300
    assert sync_rate(synced=0, reported=None, on_portal=None).rate() is None  # N/A, not 0


def test_payment_denominator_leaves_out_zero_fee_dossiers() -> None:
    measure = online_payment_rate(paid_online=30, fee_dossiers=150, zero_fee_dossiers=30)
    assert measure.rate() == Decimal("0.25")
    with pytest.raises(ValidationError):
        online_payment_rate(paid_online=1, fee_dossiers=1, zero_fee_dossiers=2)


@given(counts, counts, counts, counts)
def test_feedback_satisfaction_is_a_rate(total: int, disliked: int, overdue: int, rep: int) -> None:
    rate = feedback_satisfaction(total=total, disliked=disliked, overdue=overdue, repeated=rep)
    value = rate.rate()
    if total == 0:
        assert value is None
    else:
        assert value is not None
        assert 0 <= value <= 1
        assert value == max(0, total - disliked - overdue - rep) / Decimal(total)


def test_service_satisfaction_floor() -> None:
    assert service_satisfaction(overdue=70, complained=50, total=100).rate() == 0


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_counts_must_be_whole_and_not_negative(bad: int) -> None:
    with pytest.raises(ValidationError) as info:
        ratio(bad, 10)
    assert info.value.code == "assessment.qd766.count"


def test_unit_from_measures_scores_with_the_rule_set() -> None:
    qd = RuleSetCatalogue.builtin().get("qd766")
    measures = {i.id: ratio(1, 1) for i in qd.indicators}
    measures["sync_rate"] = sync_rate(synced=90, reported=100, on_portal=None)
    measures["online_dossiers"] = online_submission_rate(online=40, received=100)
    measures["payment_dossiers"] = online_payment_rate(
        paid_online=0, fee_dossiers=10, zero_fee_dossiers=10
    )
    card = evaluate(qd, [unit_from_measures("Tỉnh A", measures)]).get("Tỉnh A")
    # 1.4: 0.9 × 6 = 5.4 (−0.6); 3.3: 0.4 × 0.9 / 0.5 × 6 = 4.32 (−1.68);
    # 3.6 N/A (0/0): group 3 rescales 4.32 + 6 + 2 + 2 = 14.32 of 16 to 22 points = 19.69
    assert card.score == Decimal("97.09")
    assert card.explanation.get("c3_6").reason.startswith("zero denominator")
    with pytest.raises(ValidationError):
        unit_from_measures("Tỉnh B", {"sync_rate": ratio(5, 4)})
