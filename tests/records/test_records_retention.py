"""Retention and transfer arithmetic against a plain implementation written from the text of
Decree 30/2020 Art. 30(2) and 31(3) (ericphan28/van-ban-plus copy of the decree): within 1 year
of the work ending, 3 months after a construction settlement, nothing below 5 years' retention,
keep-backs of at most 2 years, notice 30 days ahead (Appendix VI §III.5(b))."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.errors import ValidationError
from egovkit.records import Retention, RetentionSchedule, TransferRules, schedule_in_force
from egovkit.testing.strategies.records import retentions

RULES = TransferRules.default()
days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2200, 12, 31))


def plain_shift(day: dt.date, months: int) -> dt.date:
    """Move by months the slow way: step the month one at a time, then clamp the day."""
    year, month = day.year, day.month
    for _ in range(months):
        month += 1
        if month == 13:
            year, month = year + 1, 1
    last = 31
    while True:
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            last -= 1


@given(retentions(), days)
def test_transfer_due_agrees_with_the_plain_rule(retention: Retention, end: dt.date) -> None:
    due = RULES.transfer_due(retention=retention, end=end)
    if retention.years is not None and retention.years < 5:
        assert due is None
    else:
        assert due == plain_shift(end, 12)
        assert RULES.notice_from(due) == due - dt.timedelta(days=30)


@given(retentions(), days)
def test_construction_files_are_due_three_months_after_settlement(
    retention: Retention, settled: dt.date
) -> None:
    due = RULES.transfer_due(
        retention=retention, end=settled, construction=True, settled_on=settled
    )
    if retention.years is not None and retention.years < 5:
        assert due is None
    else:
        assert due == plain_shift(settled, 3)


@given(st.integers(1, 100), days)
def test_retention_ends_after_whole_calendar_years(years: int, end: dt.date) -> None:
    last = RULES.retention_end(retention=Retention.of_years(years), end=end)
    assert last == dt.date(end.year + years, 12, 31)
    assert last >= plain_shift(end, 12 * years)


@given(st.integers(1, 100), days)
def test_anniversary_counting_is_the_other_choice(years: int, end: dt.date) -> None:
    data = {
        **_rules_dict(),
        "retention_counting": {"value": "anniversary", "assumption": True},
    }
    rules = TransferRules.from_dict(data)
    assert rules.retention_end(retention=Retention.of_years(years), end=end) == plain_shift(
        end, 12 * years
    )


def test_permanent_files_have_no_retention_end() -> None:
    assert RULES.retention_end(retention=Retention(), end=dt.date(2026, 1, 1)) is None


def test_keep_back_is_at_most_two_years() -> None:
    end = dt.date(2026, 6, 30)
    ten = Retention.of_years(10)
    assert RULES.transfer_due(retention=ten, end=end, kept_until=dt.date(2029, 6, 30)) == dt.date(
        2029, 6, 30
    )
    with pytest.raises(ValidationError) as caught:
        RULES.transfer_due(retention=ten, end=end, kept_until=dt.date(2029, 7, 1))
    assert caught.value.code == "records.keep_back"


def test_construction_needs_its_settlement() -> None:
    with pytest.raises(ValidationError):
        RULES.transfer_due(retention=Retention(), end=dt.date(2026, 1, 1), construction=True)


@pytest.mark.parametrize(
    ("text", "years"),
    [("Vĩnh viễn", None), ("permanent", None), ("20 năm", 20), ("5", 5), (70, 70)],
)
def test_retention_reads_what_agencies_write(text: object, years: int | None) -> None:
    assert Retention.parse(text).years == years


@pytest.mark.parametrize("text", ["", "forever", "0", 0, -3, True, "năm"])
def test_retention_refuses_the_rest(text: object) -> None:
    with pytest.raises(ValidationError):
        Retention.parse(text)


def test_rules_cite_their_articles() -> None:
    assert RULES.other_years.article == "Art. 30(2)(b)"
    assert RULES.construction_months.article == "Art. 30(2)(a)"
    assert RULES.min_retention_years.article == "Art. 31(3)(c)"
    assert RULES.retention_counting.assumption


def test_schedules_are_versioned_data() -> None:
    first = RetentionSchedule.sample()
    second = RetentionSchedule.from_dict(
        {**first.to_dict(), "version": 2, "effective": "2027-01-01", "items": []}
    )
    assert RetentionSchedule.from_dict(first.to_dict()) == first
    assert schedule_in_force([first, second], "sample", dt.date(2026, 6, 1)) is first
    assert schedule_in_force([first, second], "sample", dt.date(2027, 6, 1)) is second
    assert first.item("1.1").retention.permanent


def _rules_dict() -> dict[str, object]:
    import json
    from importlib import resources

    text = resources.files("egovkit.records").joinpath("data/transfer_rules.json")
    data: dict[str, object] = json.loads(text.read_text(encoding="utf-8"))
    return data
