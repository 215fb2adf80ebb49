"""The README's tour is code a newcomer will paste: it must run and print what it promises."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_the_readme_has_a_tour() -> None:
    assert _python_blocks()


@pytest.mark.parametrize("code", _python_blocks())
def test_each_python_block_runs_and_prints_what_its_comments_say(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(README), "exec"), {"__name__": "readme"})
    promised = [
        comment.strip()
        for line in code.splitlines()
        if line.startswith("print(")
        for comment in [line.split("#", 1)[1]]
    ]
    assert printed.getvalue().splitlines() == promised


def test_the_tour_prints_the_same_on_a_second_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newcomer runs it twice: the register must not carry on from the first run (02/…)."""
    monkeypatch.chdir(tmp_path)
    runs = []
    for _ in range(2):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            for code in _python_blocks():
                exec(compile(code, str(README), "exec"), {"__name__": "readme"})
        runs.append(printed.getvalue())
    assert runs[0] == runs[1]
    assert "01/QĐ-UBND" in runs[1]


def test_the_readme_installs_from_the_repository() -> None:
    text = README.read_text(encoding="utf-8")
    assert "pip install egovkit`" not in text  # no registry serves it yet
    assert "example.invalid" not in text
    assert re.findall(r"^bash scripts/\S+", text, flags=re.M) == [
        "bash scripts/demo.sh",
        "bash scripts/check.sh",
    ]
