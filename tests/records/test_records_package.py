"""The transfer package: written, read back and verified; tampering caught and named; hostile
ZIPs refused with the checks shared with edXML (path traversal, links, duplicates, bombs)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovkit.errors import ConflictError, PolicyError, UnsafeInputError, ValidationError
from egovkit.ports import IntegrityError
from egovkit.records import (
    CaseFile,
    CaseFileQuery,
    FileState,
    PackageLimits,
    contents_digest,
    read_package,
    write_package,
)
from egovkit.records.package import MANIFEST, ContentSource
from egovkit.storage import open_store
from egovkit.storage.case_files import case_files, export_transfer, import_transfer
from egovkit.testing.contracts.case_files import case_file, document
from egovkit.testing.strategies.records import Contents, closed_case_files

_SETTINGS = settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _source(contents: Contents) -> ContentSource:
    return lambda digest: [contents[digest]]


def _files(pairs: list[tuple[CaseFile, Contents]]) -> tuple[list[CaseFile], Contents]:
    files, contents, seen = [], {}, set()
    for case, data in pairs:
        if str(case.code) in seen:
            continue
        seen.add(str(case.code))
        files.append(case)
        contents.update(data)
    return files, contents


@_SETTINGS
@given(st.lists(closed_case_files(), min_size=1, max_size=4))
def test_export_then_import_gives_the_same_files(
    tmp_path: Path, pairs: list[tuple[CaseFile, Contents]]
) -> None:
    files, contents = _files(pairs)
    out = tmp_path / "p.zip"
    written = write_package(files, _source(contents), out, agency="UBND tỉnh")
    read = read_package(out, keep_content=True, expect_digest=written.digest)
    assert list(read.files) == files
    for entry in read.entries:
        assert read.contents[entry.sha256] == contents[entry.sha256]


@pytest.fixture
def package(tmp_path: Path) -> tuple[Path, list[CaseFile], Contents]:
    files, contents = [], {}
    for seed in range(3):
        case, data = _fixed(seed)
        files.append(case)
        contents.update(data)
    out = tmp_path / "p.zip"
    write_package(files, _source(contents), out)
    return out, files, contents


def _fixed(seed: int) -> tuple[CaseFile, Contents]:
    """A closed file of three documents with one PDF-like file each."""
    case = case_file(f"{seed + 1:02d}.VP", documents=())
    contents: Contents = {}
    for number in range(1, 4):
        data = f"%PDF-1.4 file {seed} document {number}".encode() * 40
        digest = hashlib.sha256(data).hexdigest()
        contents[digest] = data
        doc = document(f"s{seed}d{number}", case.start_date + dt.timedelta(days=number))
        attachment = attrs.evolve(doc.attachments[0], size=len(data), sha256=digest)
        case = case.file(attrs.evolve(doc, attachments=[attachment]))
    return case.close(end_date=dt.date(2026, 12, 1)), contents


def _rewrite(source: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info, data)


def test_a_changed_byte_is_caught_and_named(
    package: tuple[Path, list[CaseFile], Contents], tmp_path: Path
) -> None:
    out, files, _ = package
    victim = f"files/{files[1].code}/002/vb.pdf"
    bad = tmp_path / "bad.zip"

    def flip(name: str, data: bytes) -> bytes:
        if name != victim:
            return data
        return data[:10] + bytes([data[10] ^ 1]) + data[11:]

    _rewrite(out, bad, flip)
    with pytest.raises(IntegrityError) as caught:
        read_package(bad)
    assert caught.value.code == "records.package.digest"
    assert caught.value.where == victim
    assert "document 2" in caught.value.message
    assert str(files[1].code) in caught.value.message


def test_a_missing_document_file_is_caught_and_named(
    package: tuple[Path, list[CaseFile], Contents], tmp_path: Path
) -> None:
    out, files, _ = package
    victim = f"files/{files[0].code}/003/vb.pdf"
    bad = tmp_path / "bad.zip"
    _rewrite(out, bad, lambda name, data: None if name == victim else data)
    with pytest.raises(IntegrityError) as caught:
        read_package(bad)
    assert caught.value.code == "records.package.missing"
    assert caught.value.where == victim


def test_a_document_dropped_from_the_manifest_is_caught(
    package: tuple[Path, list[CaseFile], Contents], tmp_path: Path
) -> None:
    out, files, _ = package
    bad = tmp_path / "bad.zip"

    def drop(name: str, data: bytes) -> bytes | None:
        if name == MANIFEST:
            manifest = json.loads(data)
            del manifest["files"][2]["documents"][0]
            return json.dumps(manifest).encode()
        return None if name.startswith(f"files/{files[2].code}/001/") else data

    _rewrite(out, bad, drop)
    with pytest.raises(IntegrityError) as caught:
        read_package(bad)
    assert caught.value.code == "records.package.missing"
    assert caught.value.where == str(files[2].code)


def test_edited_metadata_and_broken_seals_are_caught(
    package: tuple[Path, list[CaseFile], Contents], tmp_path: Path
) -> None:
    out, files, _ = package

    def edit(key: str, value: object) -> Callable[[str, bytes], bytes]:
        def change(name: str, data: bytes) -> bytes:
            if name != MANIFEST:
                return data
            manifest = json.loads(data)
            if key == "Title":
                manifest["files"][0]["metadata"]["Title"] = value
            else:
                manifest["files"][0]["record"]["title"] = value
            return json.dumps(manifest).encode()

        return change

    for key, code in (("Title", "records.package.metadata"), ("title", "records.package.seal")):
        bad = tmp_path / f"{key}.zip"
        _rewrite(out, bad, edit(key, "Hồ sơ khác"))
        with pytest.raises(IntegrityError) as caught:
            read_package(bad)
        assert caught.value.code == code
        assert caught.value.where == str(files[0].code)


def test_an_extra_entry_and_a_rebuilt_manifest_are_caught(
    package: tuple[Path, list[CaseFile], Contents], tmp_path: Path
) -> None:
    out, _, _ = package
    digest = read_package(out).digest
    bad = tmp_path / "extra.zip"
    _rewrite(out, bad, lambda name, data: data)
    with zipfile.ZipFile(bad, "a") as archive:
        archive.writestr("files/smuggled.exe", b"MZ")
    with pytest.raises(IntegrityError) as caught:
        read_package(bad)
    assert caught.value.code == "records.package.extra"
    assert caught.value.where == "files/smuggled.exe"
    with pytest.raises(IntegrityError) as rebuilt:
        read_package(out, expect_digest="0" * 64)
    assert rebuilt.value.code == "records.package.unexpected_digest"
    assert read_package(out, expect_digest=digest).digest == digest


def _zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]], path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return path


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("../../etc/passwd", "records.package.path"),
        ("/abs/file", "records.package.path"),
        ("C:/windows/file", "records.package.path"),
        ("files/a/../../x", "records.package.path"),
    ],
)
def test_traversal_names_are_refused(tmp_path: Path, name: str, code: str) -> None:
    path = _zip([(name, b"x"), (MANIFEST, b"{}")], tmp_path / "t.zip")
    with pytest.raises(UnsafeInputError) as caught:
        read_package(path)
    assert caught.value.code == code


def test_links_and_duplicates_are_refused(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("files/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = _zip([(link, b"/etc/passwd"), (MANIFEST, b"{}")], tmp_path / "l.zip")
    with pytest.raises(UnsafeInputError) as caught:
        read_package(path)
    assert caught.value.code == "records.package.link"
    path = _zip([("files/A.pdf", b"1"), ("files/a.pdf", b"2")], tmp_path / "d.zip")
    with pytest.raises(UnsafeInputError) as twice:
        read_package(path)
    assert twice.value.code == "records.package.duplicate"


def test_bombs_are_refused_as_they_inflate(tmp_path: Path) -> None:
    path = _zip([(MANIFEST, b" " * (8 * 1024 * 1024))], tmp_path / "b.zip")
    with pytest.raises(UnsafeInputError) as caught:
        read_package(path, limits=PackageLimits(max_ratio=50.0))
    assert caught.value.code == "records.package.ratio"
    with pytest.raises(UnsafeInputError) as big:
        read_package(path, limits=PackageLimits(max_manifest_bytes=1024))
    assert big.value.code == "records.package.manifest_size"


def test_too_many_entries_and_garbage_are_refused(tmp_path: Path) -> None:
    path = _zip([(f"files/{n}", b"") for n in range(20)], tmp_path / "m.zip")
    with pytest.raises(UnsafeInputError) as caught:
        read_package(path, limits=PackageLimits(max_entries=10))
    assert caught.value.code == "records.package.entries"
    garbage = tmp_path / "g.zip"
    garbage.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UnsafeInputError) as unreadable:
        read_package(garbage)
    assert unreadable.value.code == "records.package.corrupt"


def test_a_package_without_manifest_is_refused(tmp_path: Path) -> None:
    path = _zip([("files/x", b"1")], tmp_path / "n.zip")
    with pytest.raises(IntegrityError) as caught:
        read_package(path)
    assert caught.value.code == "records.package.no_manifest"


def test_open_and_secret_files_stay_out(tmp_path: Path) -> None:
    case, contents = _fixed(0)
    with pytest.raises(ValidationError):
        write_package([attrs.evolve(case, state=FileState.OPEN)], _source(contents), tmp_path / "o")
    secret = _fixed(1)[0]
    secret = attrs.evolve(
        secret, documents=[attrs.evolve(d, secret=True) for d in secret.documents]
    )
    secret = attrs.evolve(secret, seal=contents_digest(secret))
    with pytest.raises(PolicyError) as caught:
        write_package([secret], _source(_fixed(1)[1]), tmp_path / "s.zip")
    assert caught.value.code == "records.secret_export"
    done = write_package([secret], _source(_fixed(1)[1]), tmp_path / "s.zip", include_secret=True)
    assert done.files == (secret,)


def test_stored_content_that_does_not_match_is_not_exported(tmp_path: Path) -> None:
    case, contents = _fixed(0)
    broken = {digest: data + b"!" for digest, data in contents.items()}
    with pytest.raises(IntegrityError) as caught:
        write_package([case], _source(broken), tmp_path / "c.zip")
    assert caught.value.code == "records.content_digest"
    assert not (tmp_path / "c.zip").exists()
    assert not list(tmp_path.glob(".c.zip.*"))


def test_the_xml_metadata_is_checked_byte_for_byte(
    package: tuple[Path, list[CaseFile], Contents], tmp_path: Path
) -> None:
    out, files, _ = package
    victim = f"metadata/{files[1].code}.xml"
    with zipfile.ZipFile(out) as archive:
        xml = archive.read(victim).decode("utf-8")
    assert "<FileCode>000.00.00.H99.2026.02.VP</FileCode>" in xml
    assert "<Maintenance>10 năm</Maintenance>" in xml
    assert xml.count("<DocOrdinal>") == 3
    edited, dropped = tmp_path / "edited.zip", tmp_path / "dropped.zip"
    _rewrite(
        out, edited, lambda name, data: data.replace(b"10 n", b"20 n") if name == victim else data
    )
    _rewrite(out, dropped, lambda name, data: None if name == victim else data)
    for path, code in ((edited, "records.package.metadata"), (dropped, "records.package.missing")):
        with pytest.raises(IntegrityError) as caught:
            read_package(path)
        assert caught.value.code == code
        assert caught.value.where == victim


@_SETTINGS
@given(st.lists(closed_case_files(max_documents=3), min_size=1, max_size=3))
def test_export_from_one_store_then_import_into_another_gives_the_same_files(
    tmp_path: Path, pairs: list[tuple[CaseFile, Contents]]
) -> None:
    files, contents = _files(pairs)
    place = tmp_path / str(len(list(tmp_path.iterdir())))
    place.mkdir()
    with open_store("memory://") as source, open_store("memory://") as archive:
        for data in contents.values():
            source.blobs.put(data)
        for case in files:
            case_files(source).add(case)
        package, moved = export_transfer(
            source,
            [str(c.code) for c in files],
            place / "p.zip",
            actor="van.thu",
            on=dt.date(2030, 1, 2),
            created_at=dt.datetime(2030, 1, 2, 9, tzinfo=dt.UTC),
        )
        received = import_transfer(
            archive, place / "p.zip", actor="luu.tru", expect_digest=package.digest
        )
        assert [s.case_file for s in received] == [s.case_file for s in moved]
        assert all(archive.blobs.get(d) == data for d, data in contents.items())
        receipts = [e for e in archive.audit.entries() if e.action == "records.receive"]
        assert [(e.key, e.actor) for e in receipts] == [(str(c.code), "luu.tru") for c in files]


def test_a_tampered_package_adds_nothing_to_the_archive(
    package: tuple[Path, list[CaseFile], Contents], tmp_path: Path
) -> None:
    out, files, _ = package
    bad = tmp_path / "bad.zip"
    victim = f"files/{files[2].code}/003/vb.pdf"
    _rewrite(out, bad, lambda name, data: data + b"x" if name == victim else data)
    with open_store("memory://") as archive:
        with pytest.raises(IntegrityError):
            import_transfer(archive, bad, actor="luu.tru")
        assert archive.records.collections() == []
        assert list(archive.blobs.digests()) == []


def test_a_package_is_received_once(
    package: tuple[Path, list[CaseFile], Contents], tmp_path: Path
) -> None:
    out, files, _ = package
    with open_store(f"sqlite:///{tmp_path / 'archive.db'}") as archive:
        first = import_transfer(archive, out, actor="luu.tru")
        assert [s.case_file.state for s in first] == [FileState.TRANSFERRED] * len(files)
        with pytest.raises(ConflictError):
            import_transfer(archive, out, actor="luu.tru")
        assert len(case_files(archive).query(CaseFileQuery())) == len(files)
