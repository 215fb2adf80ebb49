"""``egovkit dossier stats``: text and JSON output, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from egovkit.cli import main
from egovkit.dossiers import compute_statistics
from egovkit.storage import open_store
from egovkit.testing.contracts.dossiers import PROVINCE, UNIT, at, edge_population

MARCH = ["--from", "2026-03-01", "--to", "2026-03-31"]


@pytest.fixture
def url(tmp_path: Path) -> str:
    address = f"sqlite:///{tmp_path / 'egov.db'}"
    with open_store(address) as store:
        store.dossiers.add_many(edge_population()[0])
    return address


def test_json_keys_are_those_of_the_statistics(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    population, _ = edge_population()
    args = ["dossier", "stats", "--store", url, "--agency", str(PROVINCE), *MARCH]
    assert main([*args, "--include-subunits", "--as-of", "2026-03-12T09:00", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = compute_statistics(
        population,
        agency=PROVINCE,
        start=at(2026, 3, 1).date(),
        end=at(2026, 3, 31).date(),
        as_of=at(2026, 3, 12, 9),
        include_subunits=True,
    )
    assert printed == json.loads(json.dumps(expected.to_dict()))
    assert printed["as_of"] == "2026-03-12T09:00:00+07:00"


def test_text_report(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dossier", "stats", "--store", url, "--agency", str(UNIT), *MARCH]) == 0
    out = capsys.readouterr().out
    assert out.startswith("000.00.01.H99 (competent), 2026-03-01 – 2026-03-31")
    pairs = (line.rsplit(maxsplit=1) for line in out.splitlines()[1:] if "(" in line)
    lines = {label.strip(): value for label, value in pairs}
    assert lines["Tổng số hồ sơ tiếp nhận (received)"] == "11"
    assert lines["Quá hạn (late)"] == "1"
    assert "direct: 7, online: 1, postal: 1" in out


def test_receiving_role(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["dossier", "stats", "--store", url, "--agency", str(UNIT), *MARCH]
    assert main([*args, "--role", "receiving", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["role"] == "receiving"


def test_a_reversed_period_fails_the_check(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--from", "2026-03-31", "--to", "2026-03-01"]
    assert main(["dossier", "stats", "--store", url, "--agency", str(UNIT), *args]) == 1
    assert "before it starts" in capsys.readouterr().err


def test_unreadable_arguments_are_usage_errors(url: str) -> None:
    assert main(["dossier", "stats", "--store", url, "--agency", "H99", *MARCH]) == 2
    with pytest.raises(SystemExit) as caught:
        main(["dossier", "stats", "--store", url, "--agency", str(UNIT), "--from", "1/3/2026"])
    assert caught.value.code == 2


def test_a_failing_store_exits_3(tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}"
    assert main(["dossier", "stats", "--store", missing, "--agency", str(UNIT), *MARCH]) == 3
