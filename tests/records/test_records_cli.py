"""``egovkit records …``: JSON on every command, errors as ``{"error": …}`` under ``--json``,
and the exit codes 0 ok / 1 a check failed / 2 unreadable or hostile / 3 the store failed."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import attrs
import pytest

from egovkit.cli import main
from egovkit.documents import Attachment
from egovkit.records import CaseFile, Retention
from egovkit.storage import open_store
from egovkit.storage.case_files import case_files
from egovkit.testing.contracts.case_files import case_file, document


def _store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'egov.db'}"
    with open_store(url) as store:
        repo = case_files(store)
        for notation, retention, closed in (
            ("01.VP", Retention.of_years(10), True),
            ("02.VP", Retention(), True),
            ("03.VP", Retention.of_years(2), True),
            ("04.VP", Retention.of_years(10), False),
        ):
            case = case_file(notation, retention=retention, documents=())
            for number in (1, 2):
                data = f"{notation} văn bản {number}".encode()
                ref = store.blobs.put(data)
                doc = document(f"{notation}-{number}", case.start_date)
                pdf = Attachment(
                    name="vb.pdf", media_type="application/pdf", size=ref.size, sha256=ref.sha256
                )
                case = case.file(attrs.evolve(doc, attachments=[pdf]))
            if closed:
                case = case.close(end_date=case.start_date.replace(month=12, day=30))
            repo.add(case)
        repo.add(_incomplete())
    return url


def _incomplete() -> CaseFile:
    case = case_file("05.VP", documents=("x",))
    return attrs.evolve(case, documents=[attrs.evolve(case.documents[0], page_amount=0)])


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip().startswith("{") else {}


def test_list_and_query(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = _store(tmp_path)
    code, data = _run(capsys, "records", "list", "--store", url, "--json")
    assert code == 0
    files = data["files"]
    assert isinstance(files, list)
    assert len(files) == 5
    code, data = _run(
        capsys,
        "records",
        "list",
        "--store",
        url,
        "--state",
        "closed",
        "--retention",
        "10",
        "--json",
    )
    assert [f["code"] for f in data["files"]] == ["000.00.00.H99.2026.01.VP"]
    assert data["files"][0]["transfer_due"] == "2027-12-30"


def test_close_reports_every_problem_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _store(tmp_path)
    code, data = _run(
        capsys,
        "records",
        "close",
        "--store",
        url,
        "000.00.00.H99.2026.05.VP",
        "--end-date",
        "2026-12-31",
        "--json",
    )
    assert code == 1
    error = data["error"]
    assert isinstance(error, dict)
    assert [f["code"] for f in error["findings"]] == ["records.page_amount"]
    code, data = _run(
        capsys,
        "records",
        "close",
        "--store",
        url,
        "000.00.00.H99.2026.04.VP",
        "--end-date",
        "2026-12-31",
        "--json",
    )
    assert code == 0
    assert data["state"] == "closed"


def test_transfer_list_notices_export_and_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _store(tmp_path)
    listing = tmp_path / "muc-luc.json"
    code, data = _run(
        capsys, "records", "transfer-list", "--store", url, "--json", "-o", str(listing)
    )
    assert code == 0
    assert [r["notation"] for r in data["files"]] == ["01.VP", "02.VP", "03.VP"]
    assert json.loads(listing.read_text(encoding="utf-8")) == data
    code, data = _run(
        capsys, "records", "transfer-list", "--store", url, "--as-of", "2027-12-01", "--json"
    )
    assert [n["code"][-5:] for n in data["notices"]] == ["01.VP", "02.VP"]
    package = tmp_path / "nop-luu.zip"
    code, data = _run(
        capsys,
        "records",
        "export",
        "--store",
        url,
        "-o",
        str(package),
        "--actor",
        "luu.tru",
        "--on",
        "2027-12-10",
        "--json",
        "000.00.00.H99.2026.01.VP",
        "000.00.00.H99.2026.02.VP",
    )
    assert code == 0
    digest = data["digest"]
    assert data["transferred"] == ["000.00.00.H99.2026.01.VP", "000.00.00.H99.2026.02.VP"]
    code, data = _run(capsys, "records", "list", "--store", url, "--state", "transferred", "--json")
    assert len(data["files"]) == 2
    code, data = _run(
        capsys, "records", "verify-export", str(package), "--expect", str(digest), "--json"
    )
    assert code == 0
    assert data["valid"] is True
    assert data["electronic_files"] == 4


def test_verify_export_names_the_tampered_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _store(tmp_path)
    package = tmp_path / "p.zip"
    assert (
        main(
            [
                "records",
                "export",
                "--store",
                url,
                "-o",
                str(package),
                "--actor",
                "a",
                "000.00.00.H99.2026.01.VP",
            ]
        )
        == 0
    )
    capsys.readouterr()
    bad = tmp_path / "bad.zip"
    victim = "files/000.00.00.H99.2026.01.VP/002/vb.pdf"
    with zipfile.ZipFile(package) as source:
        members = [(i.filename, source.read(i)) for i in source.infolist()]
    with zipfile.ZipFile(bad, "w") as copy:
        for name, content in members:
            copy.writestr(name, content + b"!" if name == victim else content)
    code, data = _run(capsys, "records", "verify-export", str(bad), "--json")
    assert code == 1
    assert data["error"] == {  # the error's to_dict()
        "code": "records.package.digest",
        "where": victim,
        "message": f"{victim} (document 2 of file 000.00.00.H99.2026.01.VP) does not match its "
        "SHA-256: a byte was changed",
        "findings": [],
    }
    hostile = tmp_path / "hostile.zip"
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr("../evil", b"x")
    code, data = _run(capsys, "records", "verify-export", str(hostile), "--json")
    assert code == 2
    assert data["error"]["code"] == "records.package.path"
    code, data = _run(capsys, "records", "verify-export", str(tmp_path / "none.zip"), "--json")
    assert code == 2


def test_text_output_and_plain_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = _store(tmp_path)
    assert main(["records", "list", "--store", url]) == 0
    assert "5 file(s)" in capsys.readouterr().out
    assert main(["records", "transfer-list", "--store", url]) == 0
    assert "Mục lục này gồm 3 hồ sơ" in capsys.readouterr().out
    assert (
        main(
            [
                "records",
                "close",
                "--store",
                url,
                "000.00.00.H99.2026.05.VP",
                "--end-date",
                "2026-12-31",
            ]
        )
        == 1
    )
    assert "records.page_amount" in capsys.readouterr().err


def test_dispose_needs_the_retention_to_have_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _store(tmp_path)
    short = "000.00.00.H99.2026.03.VP"  # 2 years, closed 2026-12-30: kept to 2028-12-31
    common = ["records", "dispose", "--store", url, short, "--decision", "9/QĐ-UBND",
              "--decided-by", "Chủ tịch", "--actor", "luu.tru", "--json"]  # fmt: skip
    code, data = _run(capsys, *common, "--decided-on", "2028-06-01", "--on", "2028-06-02")
    assert code == 1
    assert data["error"]["code"] == "records.retention_running"
    code, data = _run(capsys, *common, "--decided-on", "2029-01-02", "--on", "2029-01-03")
    assert code == 0
    assert [t["code"] for t in data["tombstones"]] == [short]
    code, data = _run(capsys, "records", "list", "--store", url, "--json")
    assert short not in [f["code"] for f in data["files"]]
    code, data = _run(capsys, *common[:4], "000.00.00.H99.2026.02.VP", *common[5:],
                      "--decided-on", "2090-01-02", "--on", "2090-01-03")  # fmt: skip
    assert code == 1
    assert data["error"]["code"] == "records.permanent"
