from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from egovkit import __version__
from egovkit.cli import main
from egovkit.documents import Document, DocumentNumber, document_to_dict


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as version:
        main(["--version"])
    assert version.value.code == 0
    assert capsys.readouterr().out.strip() == f"egovkit {__version__}"
    with pytest.raises(SystemExit) as helped:
        main(["--help"])
    assert helped.value.code == 0
    help_text = capsys.readouterr().out
    for command in ("demo", "agency-code", "document-number", "validate", "document-types"):
        assert command in help_text
    assert "Exit codes" in help_text


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(
            capsys,
        )[0]
        == 2
    )
    with pytest.raises(SystemExit) as caught:
        main(["no-such-command"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as missing:
        main(["demo"])  # --out is required
    assert missing.value.code == 2


def test_console_script_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "egovkit", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert __version__ in done.stdout


def test_demo_writes_a_readable_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demo", "--out", str(tmp_path / "out"))
    assert code == 0
    assert out.strip() == str(tmp_path / "out" / "summary.md")
    assert "outgoing register" not in err  # progress only on a terminal
    summary = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    assert "| 1 | 01/QĐ-UBND |" in summary
    assert "01/KH-UBND" in summary  # the secret plan, in its own sequence
    data = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert [e["number"] for e in data["outgoing"]] == [1, 2, 1, 3]
    assert data["refused_findings"]
    assert (tmp_path / "out" / "registers.csv").read_text(encoding="utf-8").count("\n") == 6


def test_agency_code_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "agency-code", "000.00.01.H53", "--json")
    assert code == 0
    [result] = json.loads(out)
    assert result == {
        "input": "000.00.01.H53",
        "valid": True,
        "code": "000.00.01.H53",
        "level": 2,
        "level1": "H53",
        "parent": "000.00.00.H53",
        "findings": [],
    }
    code, out, _ = run(capsys, "agency-code", "28.22.H17", "--lenient", "--json")
    assert code == 1
    assert json.loads(out)[0]["findings"][0]["code"] == "agency_code.legacy_shape"
    code, out, _ = run(capsys, "agency-code", "000.00.00.H41", "garbage")
    assert code == 1
    assert "garbage: invalid" in out


def test_document_number_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "document-number", "5/QyĐ-BNV", "--json")
    assert code == 0
    assert json.loads(out)[0]["canonical"] == "05/QyĐ-BNV"
    assert json.loads(out)[0]["type"] == "Quy định"
    assert run(capsys, "document-number", "74fass22")[0] == 1


def test_validate_command_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], egov_document: Document
) -> None:
    good = tmp_path / "good.json"
    numbered = attrs.evolve(egov_document, number=DocumentNumber.parse("1/QĐ-UBND"))
    good.write_text(json.dumps(document_to_dict(numbered)), encoding="utf-8")
    assert run(capsys, "validate", str(good))[0] == 0

    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(document_to_dict(attrs.evolve(numbered, subject=None))), encoding="utf-8"
    )
    code, out, _ = run(capsys, "validate", str(bad), "--json")
    assert code == 1
    assert json.loads(out)["findings"][0]["where"] == "subject"

    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(broken))
    assert code == 2
    assert "document_json.syntax" in err
    assert run(capsys, "validate", str(tmp_path / "missing.json"))[0] == 2
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000, encoding="utf-8")
    assert run(capsys, "validate", str(nested))[0] == 2


def test_document_types_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "document-types", "--json")
    assert code == 0
    assert len(json.loads(out)) == 32
