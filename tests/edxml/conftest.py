"""Fixtures for the edXML tests: the sample directory (copied into the tests, see README)."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.fixture
def samples() -> Path:
    """tests/edxml/samples."""
    return HERE / "samples"


@pytest.fixture
def hostile() -> Path:
    """tests/edxml/hostile."""
    return HERE / "hostile"
