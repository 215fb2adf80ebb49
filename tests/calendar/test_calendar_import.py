"""The calendar must not make ``import egovkit`` (or the CLI) pay for ``holidays``."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return set(out.split())


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
