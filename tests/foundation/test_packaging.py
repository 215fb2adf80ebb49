"""The package's promises about itself: typed, cheap to import, complete exports."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import pytest

import egovkit


def test_ships_py_typed() -> None:
    assert resources.files("egovkit").joinpath("py.typed").is_file()


def test_import_egovkit_loads_no_heavy_dependency() -> None:
    code = (
        "import sys, json, egovkit\n"
        "print(json.dumps(sorted(m for m in ('lxml', 'holidays', 'vietnam_provinces', "
        "'cryptography', 'httpx', 'hypothesis', 'sqlite3') if m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_subpackages_load_on_first_use() -> None:
    assert egovkit.documents.DocumentType.get("decision").abbreviation == "QĐ"
    assert "agencies" in dir(egovkit)
    with pytest.raises(AttributeError, match="nonexistent"):
        egovkit.nonexistent  # noqa: B018
