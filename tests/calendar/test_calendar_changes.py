"""Local days off and worked days by decision, and their CSV form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.calendar import (
    DayChange,
    DayKind,
    WorkCalendar,
    parse_day_changes,
    read_day_changes,
    write_day_changes,
)
from egovkit.errors import ParseError, ValidationError

FESTIVAL = DayChange(
    day=date(2026, 3, 9), working=False, decision="Quyết định 12/QĐ-UBND", note="Lễ hội"
)
WORKED_SUNDAY = DayChange(
    day=date(2026, 3, 15), working=True, decision="Thông báo 3/TB-VP", note="Làm bù"
)


def test_changes_move_days_and_keep_the_decision() -> None:
    calendar = WorkCalendar(changes=[FESTIVAL, WORKED_SUNDAY])
    assert not calendar.is_working_day(FESTIVAL.day)
    assert calendar.is_working_day(WORKED_SUNDAY.day)
    off = calendar.day_status(FESTIVAL.day)
    assert off.kind is DayKind.LOCAL_DAY_OFF
    assert off.decision == "Quyết định 12/QĐ-UBND"
    assert calendar.day_status(WORKED_SUNDAY.day).kind is DayKind.LOCAL_WORKED_DAY
    # the national calendar is not touched
    assert WorkCalendar().is_working_day(FESTIVAL.day)
    assert calendar.changes == (FESTIVAL, WORKED_SUNDAY)


def test_a_local_change_can_override_a_public_holiday() -> None:
    change = DayChange(day=date(2026, 2, 20), working=True, decision="QĐ 1/QĐ-X")
    assert WorkCalendar(changes=[change]).is_working_day(date(2026, 2, 20))


def test_with_changes_adds_to_a_copy() -> None:
    base = WorkCalendar(changes=[FESTIVAL])
    more = base.with_changes([WORKED_SUNDAY])
    assert more.is_working_day(WORKED_SUNDAY.day)
    assert not base.is_working_day(WORKED_SUNDAY.day)
    assert not more.is_working_day(FESTIVAL.day)


def test_a_change_needs_a_decision() -> None:
    with pytest.raises(ValidationError) as caught:
        DayChange(day=date(2026, 3, 9), working=False, decision="  ")
    assert caught.value.code == "calendar.changes.decision_missing"


def test_the_same_day_twice_is_refused() -> None:
    twin = DayChange(day=FESTIVAL.day, working=True, decision="QĐ 2")
    with pytest.raises(ValidationError) as caught:
        WorkCalendar(changes=[FESTIVAL, twin])
    assert caught.value.code == "calendar.changes.duplicate"


def test_csv_file(tmp_path: Path) -> None:
    path = tmp_path / "days.csv"
    path.write_text(write_day_changes([WORKED_SUNDAY, FESTIVAL]), encoding="utf-8")
    assert read_day_changes(path) == (FESTIVAL, WORKED_SUNDAY)
    assert path.read_text(encoding="utf-8").splitlines()[0] == "date,status,decision,note"


def test_csv_is_lenient_about_case_blank_lines_and_bom() -> None:
    text = "\ufeffDate,Status,Decision,Note\n\n2026-03-09, OFF ,QĐ 12,\n"
    (change,) = parse_day_changes(text)
    assert change.day == date(2026, 3, 9)
    assert not change.working


@pytest.mark.parametrize(
    ("text", "code", "where"),
    [
        ("", "calendar.changes.header", "line 1"),
        ("day,status\n", "calendar.changes.header", "line 1"),
        ("date,status,decision,note\n2026-3-9,off,QĐ,\n", "calendar.changes.date", "line 2"),
        ("date,status,decision,note\n2026-03-09,closed,QĐ,\n", "calendar.changes.status", "line 2"),
        ("date,status,decision,note\n2026-03-09,off\n", "calendar.changes.columns", "line 2"),
        (
            "date,status,decision,note\n2026-03-09,off,,x\n",
            "calendar.changes.decision_missing",
            "line 2",
        ),
        (
            "date,status,decision,note\n2026-03-09,off,A,\n2026-03-09,worked,B,\n",
            "calendar.changes.duplicate",
            "line 3",
        ),
        ('date,status,decision,note\n2026-03-09,off,"A\n', "calendar.changes.csv", ""),
    ],
)
def test_bad_csv(text: str, code: str, where: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_day_changes(text)
    assert caught.value.code == code
    assert caught.value.where == where


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as caught:
        read_day_changes(tmp_path / "missing.csv")
    assert caught.value.code == "io.read"


_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
_changes = st.lists(
    st.builds(
        DayChange,
        day=st.dates(date(1976, 1, 1), date(2099, 12, 31)),
        working=st.booleans(),
        decision=_text.filter(lambda t: t.strip() != ""),
        note=_text,
    ),
    max_size=8,
    unique_by=lambda c: c.day,
)


@given(_changes)
def test_csv_round_trip(changes: list[DayChange]) -> None:
    assert parse_day_changes(write_day_changes(changes)) == tuple(
        sorted(changes, key=lambda c: c.day)
    )
