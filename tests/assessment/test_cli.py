"""``egovkit assess``: options, output formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from egovkit.assessment import RuleSetCatalogue, dumps_ruleset
from egovkit.cli import main

DTI_CSV = (
    "unit,awareness,institutions,infrastructure,human_resources,cybersecurity,"
    "government_operations,economy_operations,society_operations\n"
    "Đà Nẵng,1.0000,0.9000,0.8253,0.8487,0.7578,0.8575,0.7836,0.5197\n"
    "TP.HCM,0.8917,0.9000,0.8258,0.6267,0.5580,0.8406,0.7611,0.3590\n"
)


@pytest.fixture
def dti_csv(tmp_path: Path) -> Path:
    path = tmp_path / "dti.csv"
    path.write_text(DTI_CSV, encoding="utf-8")
    return path


def test_json_output(dti_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["assess", "--ruleset", "dti", "--at", "2023-01-01", "--input", str(dti_csv)])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ruleset"]["name"] == "dti-2022"
    assert data["at"] == "2023-01-01"
    units = [(u["unit"], u["score"], u["rank"], u["grade"]) for u in data["units"]]
    assert units[0] == ("Đà Nẵng", 0.8002, 1, None)
    assert "explanation" in data["units"][0]


def test_explain_one_unit_as_text(dti_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "assess",
            "--ruleset",
            "dti-2022",
            "--input",
            str(dti_csv),
            "--format",
            "csv",
            "--explain",
            "Đà Nẵng",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert out.startswith("Đà Nẵng: score 0.8002, rank 1 (dti version 2022)")
    assert "society_operations" in out


def test_explain_unknown_unit_fails(dti_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["assess", "--ruleset", "dti-2022", "--input", str(dti_csv), "--explain", "Huế"])
    assert code == 1
    assert "assessment.unit.unknown" in capsys.readouterr().err


@pytest.mark.parametrize(("fmt", "marker"), [("csv", "rank,unit,score"), ("html", "<!DOCTYPE")])
def test_formats_to_a_file(dti_csv: Path, tmp_path: Path, fmt: str, marker: str) -> None:
    out = tmp_path / f"out.{fmt}"
    code = main(
        [
            "assess",
            "--ruleset",
            "dti-2022",
            "--input",
            str(dti_csv),
            "--format",
            fmt,
            "-o",
            str(out),
        ]
    )
    assert code == 0
    assert out.read_text(encoding="utf-8").startswith(marker)


def test_merge_option(dti_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "assess",
            "--ruleset",
            "dti-2022",
            "--input",
            str(dti_csv),
            "--merge",
            "Mới=Đà Nẵng,TP.HCM",
        ]
    )
    assert code == 0
    (unit,) = json.loads(capsys.readouterr().out)["units"]
    assert (unit["unit"], unit["score"], unit["merged_from"]) == (
        "Mới",
        0.7583,
        ["Đà Nẵng", "TP.HCM"],
    )


def test_bad_input_exits_1_and_missing_na_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("unit,awareness\nX,0.5\n", encoding="utf-8")
    assert main(["assess", "--ruleset", "dti-2022", "--input", str(path)]) == 1
    assert "assessment.input.missing" in capsys.readouterr().err
    assert main(["assess", "--ruleset", "dti-2022", "--input", str(path), "--missing", "na"]) == 0
    (unit,) = json.loads(capsys.readouterr().out)["units"]
    assert (unit["score"], unit["status"]) == (None, "na")


@pytest.mark.parametrize(
    "args",
    [
        ["--store", "sqlite:///x.db", "--period", "2024"],
        ["--input", "missing.csv"],
        ["--input", "x.txt"],
    ],
)
def test_unreadable_or_unsupported_exits_2(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assess", "--ruleset", "qd766", *args]) == 2


def test_usage_errors_exit_2(dti_csv: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["assess", "--ruleset", "dti", "--at", "yesterday", "--input", str(dti_csv)])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["assess", "--ruleset", "dti", "--input", str(dti_csv), "--store", "x"])
    assert info.value.code == 2


def test_rule_set_not_in_force_exits_1(dti_csv: Path) -> None:
    args = ["assess", "--ruleset", "dti-2022", "--at", "2026-01-01", "--input", str(dti_csv)]
    assert main(args) == 1


def test_rulesets_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess-rulesets", "--json"]) == 0
    names = [r["name"] for r in json.loads(capsys.readouterr().out)]
    assert "qd766-2022.2" in names
    good = tmp_path / "good.json"
    good.write_text(dumps_ruleset(RuleSetCatalogue.builtin().get("ict-index")), encoding="utf-8")
    assert main(["assess-check", str(good)]) == 0
    bad = tmp_path / "bad.json"
    data = json.loads(good.read_text(encoding="utf-8"))
    data["root"]["aggregate"] = "sum"  # three leaves of 1 point cannot add up to 1
    bad.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    assert main(["assess-check", str(bad), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    assert report["findings"][0]["code"] == "assessment.ruleset.weights"


def test_own_rule_set_file(
    dti_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine.json"
    mine.write_text(dumps_ruleset(RuleSetCatalogue.builtin().get("dti-2022")), encoding="utf-8")
    assert main(["assess", "--ruleset", str(mine), "--input", str(dti_csv)]) == 0
    assert json.loads(capsys.readouterr().out)["units"][0]["score"] == 0.8002


def test_stray_text_column_is_an_unknown_indicator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.csv"
    path.write_text(
        DTI_CSV.replace("\n", ",ghi_chu\n", 1)
        .replace("0.5197\n", "0.5197,tốt\n")
        .replace("0.3590\n", "0.3590,khá\n"),
        encoding="utf-8",
    )
    assert main(["assess", "--ruleset", "dti-2022", "--input", str(path)]) == 1
    err = capsys.readouterr().err
    assert "ghi_chu" in err
    assert "assessment.input.unknown_indicator" in err
