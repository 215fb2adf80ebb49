"""The calendar must not make ``import egovkit`` (or the CLI) pay for ``holidays``."""

from __future__ import annotations

from tests._imports import modules_after as _modules_after


def test_importing_the_calendar_does_not_load_holidays() -> None:
    loaded = _modules_after("import egovkit.calendar, egovkit.cli.calendar")
    assert "egovkit.calendar" in loaded
    assert "holidays" not in loaded


def test_the_first_question_loads_holidays() -> None:
    loaded = _modules_after(
        "import datetime, egovkit.calendar\n"
        "egovkit.calendar.WorkCalendar().is_working_day(datetime.date(2026, 1, 2))"
    )
    assert "holidays" in loaded
