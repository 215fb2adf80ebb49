"""``egovkit handling …``: a document received, directed, assigned, completed late and found
again, through the command line, with JSON output, -o files, and errors as JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from egovkit.cli import build_parser, main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["handling", *args])
    return code, capsys.readouterr().out


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'egov.db'}"


def test_an_incoming_document_from_receipt_to_statistics(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path
) -> None:
    s = ("--store", url)
    code, out = _run(
        capsys,
        "receive",
        *s,
        "--key",
        "den-1",
        "--office",
        "000.00.01.H53",
        "--subject",
        "Về việc chuẩn bị Tết",
        "--number",
        "120/UBND-VX",
        "--issuer",
        "UBND tỉnh Tây Ninh",
        "--at",
        "2026-03-02T08:30",
        "--json",
    )
    assert code == 0
    assert json.loads(out)["state"] == "received"
    code, out = _run(
        capsys,
        "step",
        *s,
        "--key",
        "den-1",
        "direct",
        "--actor",
        "Chủ tịch",
        "--text",
        "Giao Phòng Nội vụ",
        "--working-days",
        "5",
        "--at",
        "2026-03-02T09:30",
        "--json",
    )
    assert (code, json.loads(out)["due"]) == (0, "2026-03-09T09:30:00+07:00")
    code, out = _run(
        capsys,
        "step",
        *s,
        "--key",
        "den-1",
        "assign",
        "--actor",
        "Chủ tịch",
        "--assign",
        "Phòng Nội vụ:Nguyễn Văn An=in_charge",
        "--assign",
        "Phòng Tư pháp=cooperating",
        "--at",
        "2026-03-02T10:00",
    )
    assert code == 0
    assert "in_charge: Phòng Nội vụ / Nguyễn Văn An" in out
    code, out = _run(capsys, "queue", *s, "--person", "Nguyễn Văn An", "--json")
    assert [t["case"] for t in json.loads(out)] == ["den-1"]
    code, out = _run(capsys, "overdue", *s, "--at", "2026-03-10T08:00", "--json")
    assert [t["unit"] for t in json.loads(out)] == ["Phòng Nội vụ", "Phòng Tư pháp"]
    code, out = _run(
        capsys,
        "step",
        *s,
        "--key",
        "den-1",
        "complete",
        "--actor",
        "Nguyễn Văn An",
        "--document",
        "45/SNV-VP",
        "--at",
        "2026-03-10T15:00",
        "--json",
    )
    assert json.loads(out)["reply"] == "45/SNV-VP"
    target = tmp_path / "rates.json"
    code, out = _run(
        capsys,
        "rates",
        *s,
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--json",
        "-o",
        str(target),
    )
    assert (code, out) == (0, "")
    assert json.loads(target.read_text("utf-8")) == [
        {"unit": "Phòng Nội vụ", "completed": 1, "on_time": 0, "rate": 0.0}
    ]
    code, out = _run(capsys, "share", *s, "--from", "2026-03-01", "--to", "2026-03-31", "--json")
    assert json.loads(out)[0] == {
        "level": "province",
        "received": 1,
        "received_electronic": 1,
        "received_share": 1.0,
        "sent": 0,
        "sent_electronic": 0,
        "sent_share": None,
    }
    code, out = _run(capsys, "search", *s, "--text", "chuan bi tet", "--json")
    assert [c["key"] for c in json.loads(out)] == ["den-1"]
    code, out = _run(capsys, "show", *s, "--key", "den-1")
    assert "complete by Nguyễn Văn An" in out


def test_errors_are_json_under_json_and_exit_codes_hold(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    s = ("--store", url)
    _run(capsys, "receive", *s, "--key", "den-2", "--office", "000.00.01.H53")
    code, out = _run(capsys, "step", *s, "--key", "den-2", "sign", "--actor", "X", "--json")
    assert code == 1
    assert json.loads(out)["error"]["code"] == "handling.illegal_move"
    code, out = _run(capsys, "show", *s, "--key", "nobody", "--json")
    assert (code, json.loads(out)["error"]["code"]) == (1, "handling.not_found")
    code = main(["handling", "show", *s, "--key", "nobody"])
    assert code == 1
    assert "no handling case" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(
            [
                "handling",
                "step",
                *s,
                "--key",
                "den-2",
                "assign",
                "--actor",
                "X",
                "--assign",
                "Phòng=boss",
            ]
        )
    assert usage.value.code == 2


def test_every_sub_command_has_a_description_and_json() -> None:
    parser = build_parser()
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    handling = groups[0].choices["handling"]
    (commands,) = [a for a in handling._actions if isinstance(a, argparse._SubParsersAction)]
    for name, sub in commands.choices.items():
        assert sub.description, name
        options = {o for a in sub._actions for o in a.option_strings}
        assert {"--json", "--store", "-o", "--output"} <= options, name
