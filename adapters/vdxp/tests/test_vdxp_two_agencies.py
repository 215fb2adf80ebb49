"""The two-agency example is an end-to-end test: it exits 0 only when every step held."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "two_agencies.py"


@pytest.mark.skipif(not EXAMPLE.exists(), reason="runs from a source checkout")
def test_two_agencies_example_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLE)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "FAIL" not in done.stdout
    assert "A sees the status history 01 → 03 → 04 → 06" in done.stdout
    assert done.stdout.count("ok ") == 7
