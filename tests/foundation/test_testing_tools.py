"""``egovkit.testing.tools``: a missing external tool skips a test, and fails it under CI=true."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from egovkit.testing.tools import in_ci, require, require_executable


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), ("True", True), ("yes", True), ("", False), ("false", False)],
)
def test_ci_is_read_from_the_environment(value: str, expected: bool) -> None:
    assert in_ci({"CI": value}) is expected
    assert in_ci({}) is False


def test_missing_is_a_skip_on_a_desk_and_a_failure_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Debian package nothing"):
        require_executable("egovkit-no-such-tool", install="Debian package nothing")
    with pytest.raises(pytest.skip.Exception):
        require(None, "a token", install="nowhere")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_executable("egovkit-no-such-tool", install="Debian package nothing")
    with pytest.raises(pytest.fail.Exception):
        require(None, "a token", install="nowhere")
    require("/usr/lib/x.so", "a token", install="nowhere")  # found: goes on
    assert require_executable("egovkit-no-such-tool", Path(sys.executable).name, install="x")


TEST_FILE = """
import pytest

@pytest.mark.needs_tool("egovkit-no-such-tool", install="Debian package nothing")
def test_uses_the_tool() -> None:
    pass
"""


@pytest.mark.parametrize(
    ("ci", "outcome"), [("", "1 skipped"), ("true", "1 error")]
)  # fails in set-up
def test_the_marker_follows_ci(tmp_path: Path, ci: str, outcome: str) -> None:
    (tmp_path / "test_marked.py").write_text(TEST_FILE, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = --strict-markers\n", "utf-8")
    env = {**os.environ, "CI": ci}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "egovkit.testing.pytest_plugin", "-q", "-p",
         "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert outcome in done.stdout, done.stdout + done.stderr
