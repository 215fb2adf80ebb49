"""The demo's records chapter: a year's register entries filed, the files closed, a transfer
package exported and verified, and each tampering or forbidden change refused and named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from egovkit.demo import run_demo
from egovkit.records import read_package


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("records-demo")
    run_demo(out, quick=True)
    return out


def test_the_year_is_filed_closed_exported_and_verified(demo: Path) -> None:
    data = json.loads((demo / "records.json").read_text(encoding="utf-8"))
    states = {f["code"]: f["state"] for f in data["files"]}
    assert sorted(states.values()) == ["closed", "closed", "transferred", "transferred"]
    assert sum(f["documents"] for f in data["files"]) == 6
    package = read_package(demo / data["package"]["file"], expect_digest=data["package"]["digest"])
    assert [str(f.code) for f in package.files] == data["package"]["files"]
    assert data["audit_transfer_entries"] == len(package.files)


def test_tampering_and_forbidden_changes_are_named(demo: Path) -> None:
    data = json.loads((demo / "records.json").read_text(encoding="utf-8"))
    codes = {r["case"]: r["code"] for r in data["refusals"]}
    assert codes == {
        "a changed byte": "records.package.digest",
        "a missing document": "records.package.missing",
        "disposal before the end of retention": "records.retention_running",
        "a change to a transferred file": "records.read_only",
    }
    assert all(r["where"] for r in data["refusals"])
