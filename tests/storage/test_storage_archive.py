"""Backup archives: round trips, tampering of every part, hostile shapes, size limits."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovkit.errors import ConflictError, UnsafeInputError
from egovkit.ports import IntegrityError, Record, Store
from egovkit.storage import backup, open_store, restore, verify_archive
from egovkit.storage.archive import BackupLimits
from egovkit.testing.contracts.backup import contents, fill
from egovkit.testing.contracts.records import json_objects

Members = list[tuple[str, bytes]]


def _members(path: Path) -> Members:
    with tarfile.open(path, "r:gz") as tar:
        out = []
        for member in tar:
            handle = tar.extractfile(member)
            assert handle is not None
            out.append((member.name, handle.read()))
    return out


def _write(path: Path, members: Members, *, kinds: dict[str, bytes] | None = None) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            if kinds and name in kinds:
                info.type = kinds[name]
                info.linkname = "/etc/passwd"
                info.size = 0
                tar.addfile(info)
                continue
            tar.addfile(info, io.BytesIO(data))


def _remanifest(members: Members) -> Members:
    """What a careful forger does: recompute every digest in the manifest."""
    manifest = json.loads(dict(members)["manifest.json"])
    manifest["counts"]["records"] = dict(members)["records.jsonl"].count(b"\n")
    manifest["files"] = {
        name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for name, data in members
        if name != "manifest.json"
    }
    raw = json.dumps(manifest).encode()
    return [(n, raw if n == "manifest.json" else d) for n, d in members]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    with open_store(f"sqlite:///{tmp_path / 'source.db'}") as store:
        fill(store)
        backup(store, tmp_path / "backup.tar.gz")
    return tmp_path / "backup.tar.gz"


def _edit_line(members: Members, name: str, edit: Callable[[dict[str, Any]], None]) -> Members:
    out = []
    for member, data in members:
        if member == name:
            lines = data.decode().splitlines()
            value = json.loads(lines[-1])
            edit(value)
            lines[-1] = json.dumps(value, ensure_ascii=False, sort_keys=True)
            data = ("\n".join(lines) + "\n").encode()
        out.append((member, data))
    return out


def test_the_archive_layout(archive: Path) -> None:
    names = [name for name, _ in _members(archive)]
    assert names[-4:] == ["records.jsonl", "sequences.jsonl", "audit.jsonl", "manifest.json"]
    assert all(n.startswith("blobs/") for n in names[:-4])
    manifest = verify_archive(archive)
    assert manifest.blobs == 2
    assert manifest.records == 30


def _drop_first_record(members: Members) -> Members:
    return [(n, d.split(b"\n", 1)[1] if n == "records.jsonl" else d) for n, d in members]


def _set_record(value: dict[str, Any]) -> None:
    value["data"]["i"] = 999


def _set_counter(value: dict[str, Any]) -> None:
    value["value"] = 1


def _set_actor(value: dict[str, Any]) -> None:
    value["actor"] = "mallory"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda m: _edit_line(m, "records.jsonl", _set_record), "backup.digest_mismatch"),
        (lambda m: _edit_line(m, "sequences.jsonl", _set_counter), "backup.digest_mismatch"),
        (lambda m: _edit_line(m, "audit.jsonl", _set_actor), "audit.modified"),
        (
            lambda m: _remanifest(_edit_line(m, "records.jsonl", _set_record)),
            "backup.record_digest",
        ),
        (lambda m: _remanifest(_drop_first_record(m)), "backup.record_missing"),
        (
            lambda m: [(n, b"X" + d[1:] if n.startswith("blobs/") and d else d) for n, d in m],
            "backup.blob_digest",
        ),
        (lambda m: [(n, d) for n, d in m if not n.startswith("blobs/")], "backup.digest_mismatch"),
        (lambda m: [(n, d) for n, d in m if n != "sequences.jsonl"], "backup.order"),
        (lambda m: m[:-1], "backup.incomplete"),
    ],
)
def test_tampered_archives_are_refused_before_writing(
    archive: Path, tmp_path: Path, change: Callable[[Members], Members], code: str
) -> None:
    forged = tmp_path / "forged.tar.gz"
    _write(forged, change(_members(archive)))
    with open_store("memory://") as target:
        with pytest.raises(IntegrityError) as caught:
            restore(target, forged)
        assert caught.value.code == code
        assert target.records.collections() == []
        assert list(target.blobs.digests()) == []
        assert target.audit.head().sequence == 0


def test_a_rebuilt_archive_is_caught_by_the_expected_head(archive: Path, tmp_path: Path) -> None:
    head = verify_archive(archive).head.hash
    with open_store("memory://") as other:
        other.records.add(Record(collection="c", key="fake"))
        backup(other, tmp_path / "rebuilt.tar.gz")
    with pytest.raises(IntegrityError) as caught:
        verify_archive(tmp_path / "rebuilt.tar.gz", expect_head=head)
    assert caught.value.code == "backup.unexpected_head"


@pytest.mark.parametrize(
    ("members", "kinds", "code"),
    [
        ([("../../evil", b"x")], None, "backup.member_name"),
        ([("/etc/cron.d/x", b"x")], None, "backup.member_name"),
        ([("blobs/../../x", b"x")], None, "backup.member_name"),
        ([("records.jsonl", b"")], {"records.jsonl": tarfile.SYMTYPE}, "backup.member_type"),
        ([("records.jsonl", b"")], {"records.jsonl": tarfile.LNKTYPE}, "backup.member_type"),
        ([("blobs", b"")], {"blobs": tarfile.DIRTYPE}, "backup.member_type"),
        ([("records.jsonl", b""), ("records.jsonl", b"")], None, "backup.duplicate"),
    ],
)
def test_hostile_members_are_refused(
    tmp_path: Path, members: Members, kinds: dict[str, bytes] | None, code: str
) -> None:
    hostile = tmp_path / "hostile.tar.gz"
    _write(hostile, members, kinds=kinds)
    with pytest.raises(UnsafeInputError) as caught:
        verify_archive(hostile)
    assert caught.value.code == code
    assert not (tmp_path.parent / "evil").exists()


def test_size_limits(archive: Path) -> None:
    with pytest.raises(UnsafeInputError) as caught:
        verify_archive(archive, limits=BackupLimits(max_member_bytes=100))
    assert caught.value.code == "backup.size"
    with pytest.raises(UnsafeInputError):
        verify_archive(archive, limits=BackupLimits(max_total_bytes=1000))
    with pytest.raises(UnsafeInputError):
        verify_archive(archive, limits=BackupLimits(max_line_bytes=20))
    with pytest.raises(UnsafeInputError):
        verify_archive(archive, limits=BackupLimits(max_members=3))


def test_truncated_and_foreign_files(archive: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(IntegrityError):
        verify_archive(cut)
    text = tmp_path / "not-an-archive.tar.gz"
    text.write_text("hello")
    with pytest.raises(IntegrityError) as caught:
        verify_archive(text)
    assert caught.value.code == "backup.unreadable"


def test_restore_refuses_a_store_with_data(archive: Path) -> None:
    with open_store("memory://") as target:
        target.records.add(Record(collection="c", key="k"))
        with pytest.raises(ConflictError):
            restore(target, archive)


def test_backup_replaces_the_file_atomically(tmp_path: Path) -> None:
    out = tmp_path / "b.tar.gz"
    out.write_bytes(b"old")
    with open_store("memory://") as store:
        store.records.add(Record(collection="c", key="k"))
        backup(store, out)
    assert verify_archive(out).records == 1
    assert [p.name for p in tmp_path.iterdir()] == ["b.tar.gz"]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    records=st.dictionaries(
        st.text(min_size=1, max_size=20).filter(str.isprintable), json_objects, max_size=8
    ),
    blobs=st.lists(st.binary(max_size=200), max_size=3),
)
def test_restore_of_backup_is_identity(
    tmp_path: Path, records: dict[str, dict[str, Any]], blobs: list[bytes]
) -> None:
    def build() -> Store:
        store = open_store("memory://")
        store.records.add_many(Record(collection="p", key=k, data=v) for k, v in records.items())
        for blob in blobs:
            store.blobs.put(blob)
        return store

    with build() as source, open_store("memory://") as target:
        backup(source, tmp_path / "p.tar.gz")
        restore(target, tmp_path / "p.tar.gz")
        assert contents(target) == contents(source)


def test_an_archive_changed_between_the_two_passes_loads_nothing(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from egovkit.storage import archive as module

    forged = tmp_path / "forged.tar.gz"
    _write(forged, _edit_line(_members(archive), "audit.jsonl", _set_actor))
    real_verify = module.verify_archive

    def verify_then_swap(path: Path, **options: Any) -> Any:
        manifest = real_verify(path, **options)
        path.write_bytes(forged.read_bytes())  # a local attacker swaps the file
        return manifest

    monkeypatch.setattr(module, "verify_archive", verify_then_swap)
    with open_store("memory://") as target:
        with pytest.raises(IntegrityError) as caught:
            restore(target, archive)
        assert caught.value.code == "backup.changed"
        assert target.records.collections() == []
        assert target.audit.head().sequence == 0
