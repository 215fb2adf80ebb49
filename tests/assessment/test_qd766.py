"""Decision 766 rates from counts: the Decision's denominators, fallbacks and floors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.assessment import RuleSetCatalogue, evaluate
from egovkit.assessment.golden import builtin_golden_files, load_golden
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
    # 3.6 N/A (0/0): the payment group rescales 3.5 + 3.5b = 2 + 2 of 4 to its 10 points = 10
    assert card.score == Decimal("97.72")
    assert card.explanation.get("g3b_payment").points == 10
    assert card.explanation.get("c3_6").reason.startswith("zero denominator")
    with pytest.raises(ValidationError):
        unit_from_measures("Tỉnh B", {"sync_rate": ratio(5, 4)})


def _leaf_points(card_points: dict[str, Decimal | None], *ids: str) -> Decimal:
    return sum((card_points[i] or Decimal(0) for i in ids), Decimal(0))


def test_golden_qd766_recomputed_by_hand() -> None:
    """The built-in golden case (``data/golden/qd766.json``), recomputed here leaf by leaf.

    Scoring rule of every leaf (formula cards, "Mô tả công thức tính chỉ số 766", wire-fidelity
    §6.1): points = min(1, rate ÷ T) × max, rates rounded to 4 places of the fraction.
    Tỉnh X:
    - Công khai, minh bạch (18): 1.1 1 × 6 = 6; 1.2 0.9 × 4 = 3.6; 1.3 1 × 2 = 2;
      1.4 0.9 × 6 = 5.4 → 17.
    - Tiến độ giải quyết (20): 2.1 0.95 × 20 = 19.
    - Dịch vụ công trực tuyến (12, split 6/6 by egovkit's assumption): 3.1 0.6 ÷ 0.8 × 6 = 4.5;
      3.3 (400/1000 × sync 0.9 = 0.36) ÷ 0.5 × 6 = 4.32 → 8.82.
    - Thanh toán trực tuyến (10): 3.5 0.8 ÷ 0.8 × 2 = 2; 3.5b 0.5 ÷ 0.8 × 2 = 1.25 (the 80%
      threshold: "dưới 80% tính tỷ lệ / 80% × 2 điểm"); 3.6 30/120 × 6 = 1.5 → 4.75.
    - Số hóa hồ sơ (22): 4.1 0.5 × 6 = 3; 4.2 0.6 ÷ 0.8 × 4 = 3; e-certified 0.2 × 2 = 0.4;
      4.3 0.4 ÷ 0.8 × 2 = 1; 4.4 0.25 × 4 = 1; 4.5a 1 × 2 = 2; 4.5b 0.5 × 2 = 1 → 11.4.
    - Mức độ hài lòng (18): 5.1 0 points; 5.2 0.8 × 6 = 4.8; 5.3 0.9 × 6 = 5.4;
      5.4 0.99 ≥ 0.9 → 6 → 16.2.
    Total 17 + 19 + 8.82 + 4.75 + 11.4 + 16.2 = 77.17.
    Tỉnh Y differs only by 3.6 = 0/0 (N/A): the payment group rescales 2 + 1.25 of 4 to 10 →
    8.125, total 77.17 − 4.75 + 8.125 = 80.545 → 80.55 (half up). Tỉnh Z differs only by
    2.1 = 2/3 → 0.6667 × 20 = 13.334, total 77.17 − 19 + 13.334 = 71.504 → 71.50.
    """
    (case,) = [c for f in builtin_golden_files() for c in load_golden(f) if c.ruleset == "qd766"]
    qd = RuleSetCatalogue.builtin().get("qd766", at=case.at)
    result = evaluate(qd, list(case.units))
    x = result.get("Tỉnh X")
    leaves = {leaf.id: x.explanation.get(leaf.id).points for _, leaf in qd.leaves()}
    assert _leaf_points(leaves, "c1_1", "c1_2", "c1_3", "c1_4") == Decimal("17")
    assert leaves["c2_1"] == Decimal("19")
    assert _leaf_points(leaves, "c3_1", "c3_3") == Decimal("8.82")
    assert leaves["c3_5"] == 2
    assert leaves["c3_5b"] == Decimal("1.25")
    assert leaves["c3_6"] == Decimal("1.5")
    assert _leaf_points(leaves, "c4_1", "c4_2", "c4_2c", "c4_3", "c4_4", "c4_5a", "c4_5b") == (
        Decimal("11.4")
    )
    assert _leaf_points(leaves, "c5_1", "c5_2", "c5_3", "c5_4") == Decimal("16.2")
    assert x.score == Decimal("77.17")
    y = result.get("Tỉnh Y")
    assert y.explanation.get("g3b_payment").points == Decimal("8.125")
    assert y.score == Decimal("80.55")
    assert result.get("Tỉnh Z").score == Decimal("71.50")
