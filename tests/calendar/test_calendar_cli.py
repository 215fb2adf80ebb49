"""``egovkit calendar``: the public command-line contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from egovkit.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["calendar", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_due_in_working_days(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "due", "--start", "2026-02-13T09:00:00+07:00", "--working-days", "1")
    assert (code, out) == (0, "2026-02-23T09:00:00+07:00\n")


def test_due_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "due", "--start", "2026-02-13T16:00", "--working-hours", "1.5", "--json"
    )
    data = json.loads(out)
    assert code == 0
    assert data["due"] == "2026-02-23T07:30:00+07:00"
    assert data["unit"] == "working_hours"
    assert data["working_time"] == 1.5
    assert data["calendar"].startswith("holidays ")


def test_due_converts_other_zones(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "due", "--start", "2026-03-10T02:00Z", "--working-hours", "8")
    assert (code, out) == (0, "2026-03-11T09:00:00+07:00\n")


def test_due_in_calendar_days_with_cutoff(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "due", "--start", "2026-02-13T16:00", "--days", "3", "--cutoff", "15:00", "--json"
    )
    data = json.loads(out)
    assert code == 0
    assert data["clock_starts"] == "2026-02-23T07:00:00+07:00"
    assert data["due"] == "2026-02-26T17:00:00+07:00"


def test_due_with_hours_and_local_days_off(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    days = tmp_path / "days.csv"
    days.write_text("date,status,decision,note\n2026-03-11,off,QĐ 7/QĐ-UBND,\n", encoding="utf-8")
    code, out, _ = run(
        capsys,
        "due",
        "--start",
        "2026-03-10T07:30",
        "--working-days",
        "1",
        "--hours",
        "07:30-11:30,13:30-17:00",
        "--local-days-off",
        str(days),
    )
    assert (code, out) == (0, "2026-03-10T17:00:00+07:00\n")
    code, out, _ = run(
        capsys,
        "due",
        "--start",
        "2026-03-10T09:00",
        "--working-days",
        "1",
        "--local-days-off",
        str(days),
    )
    assert out == "2026-03-12T09:00:00+07:00\n"


@pytest.mark.parametrize(
    ("day", "code", "answer"),
    [("2025-04-26", 0, "yes"), ("2026-02-17", 1, "no"), ("2026-11-24", 1, "no")],
)
def test_is_working_day(
    capsys: pytest.CaptureFixture[str], day: str, code: int, answer: str
) -> None:
    assert run(capsys, "is-working-day", day)[:2] == (code, answer + "\n")


def test_is_working_day_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "is-working-day", "2026-08-22", "--json")
    assert code == 0
    assert json.loads(out) == {
        "date": "2026-08-22",
        "working": True,
        "kind": "worked_weekend",
        "name": "Ngày làm bù",
        "decision": "",
    }


def test_days_off(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "days-off", "2026", "--json")
    days = {d["date"]: d for d in json.loads(out)}
    assert code == 0
    assert not days["2026-11-24"]["working"]
    assert days["2026-08-22"]["working"]
    code, out, _ = run(capsys, "days-off", "2025")
    assert "2025-04-26 Sat worked" in out


@pytest.mark.parametrize(
    "argv",
    [
        ("due", "--start", "tomorrow", "--days", "1"),
        ("due", "--start", "2026-03-10T09:00", "--hours", "9h-5h", "--days", "1"),
        ("is-working-day", "2026-13-01"),
        ("days-off", "12"),
        ("days-off", "2200"),
        ("is-working-day", "1970-01-01"),
        ("due", "--start", "2100-12-01T09:00", "--working-days", "100"),
    ],
)
def test_unreadable_input_exits_2(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith("egovkit: error:")


@pytest.mark.parametrize(
    "argv",
    [
        ("due", "--start", "2026-03-10T09:00"),
        ("due", "--start", "2026-03-10T09:00", "--days", "1", "--working-days", "1"),
        ("due", "--start", "2026-03-10T09:00", "--working-days", "-1"),
        ("due", "--start", "2026-03-10T09:00", "--working-hours", "x"),
        ("due", "--start", "2026-03-10T09:00", "--days", "1", "--cutoff", "3pm"),
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    with pytest.raises(SystemExit) as caught:
        run(capsys, *argv)
    assert caught.value.code == 2
