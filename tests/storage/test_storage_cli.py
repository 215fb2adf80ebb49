"""``egovkit backup`` and ``egovkit restore``: output and exit codes."""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile
from pathlib import Path

import pytest

from egovkit.cli import main
from egovkit.ports import Record
from egovkit.storage import open_store
from egovkit.testing.contracts.backup import fill


@pytest.fixture
def source(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'source.db'}"
    with open_store(url) as store:
        fill(store)
    return url


def test_backup_then_restore(
    source: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "b.tar.gz"
    assert main(["backup", "--store", source, "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["records"] == 30
    head = summary["audit_head"]["hash"]
    target = f"sqlite:///{tmp_path / 'target.db'}"
    code = main(["restore", "--store", target, str(out), "--expect-head", head])
    assert code == 0
    assert f"audit head: {summary['audit_head']['sequence']} {head}" in capsys.readouterr().out
    with open_store(target) as store, open_store(source) as original:
        assert store.audit.verify() == original.audit.head()


def test_a_tampered_archive_exits_1_and_writes_nothing(
    source: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "b.tar.gz"
    assert main(["backup", "--store", source, "--out", str(out)]) == 0
    with tarfile.open(out, "r:gz") as tar:
        members = [(m, tar.extractfile(m)) for m in tar]
        data = [(m, h.read() if h else b"") for m, h in members]
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(forged, "w:gz") as tar:
        for member, content in data:
            if member.name == "records.jsonl":
                content = content.replace(b"Vi\xe1\xbb\x87t Nam", b"Viet Nam!")
                member.size = len(content)
            tar.addfile(member, io.BytesIO(content))
    target = tmp_path / "target.db"
    assert main(["restore", "--store", f"sqlite:///{target}", str(forged)]) == 1
    assert "does not match the manifest" in capsys.readouterr().err
    with open_store(f"sqlite:///{target}") as store:
        assert store.records.collections() == []


def test_a_hostile_archive_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = tmp_path / "h.tar.gz"
    with tarfile.open(hostile, "w:gz") as tar:
        info = tarfile.TarInfo("../../etc/x")
        tar.addfile(info, io.BytesIO(b""))
    assert main(["restore", "--store", "memory://", str(hostile)]) == 2
    assert "backup.member_name" in capsys.readouterr().err


def test_restore_into_a_full_store_exits_1(source: str, tmp_path: Path) -> None:
    out = tmp_path / "b.tar.gz"
    main(["backup", "--store", source, "--out", str(out)])
    with open_store(source) as store:
        store.records.add(Record(collection="c", key="again"))
    assert main(["restore", "--store", source, str(out)]) == 1


def test_missing_archive_and_unknown_scheme_exit_2(tmp_path: Path) -> None:
    assert main(["restore", "--store", "memory://", str(tmp_path / "none.tar.gz")]) == 2
    assert main(["backup", "--store", "nosuch://x", "--out", str(tmp_path / "b")]) == 2


def test_audit_verify(source: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit-verify", "--store", source, "--json"]) == 0
    head = json.loads(capsys.readouterr().out)["audit_head"]
    anchor = f"{head['sequence']}:{head['hash']}"
    assert main(["audit-verify", "--store", source, "--anchor", anchor]) == 0
    assert "audit chain intact" in capsys.readouterr().out
    wrong = f"{head['sequence']}:{'0' * 64}"
    assert main(["audit-verify", "--store", source, "--anchor", wrong]) == 1
    assert main(["audit-verify", "--store", source, "--anchor", "x:y"]) == 2


def test_audit_verify_finds_a_modified_entry(tmp_path: Path) -> None:
    path = tmp_path / "egov.db"
    with open_store(f"sqlite:///{path}") as store:
        fill(store)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE audit SET actor = 'mallory' WHERE sequence = 3")
    db.close()
    assert main(["audit-verify", "--store", f"sqlite:///{path}"]) == 1
