"""Backup and restore: one archive file per store (sao lưu — at least every three months).

The archive is a gzip-compressed tar with, in this order, ``blobs/<sha256>`` (one per blob),
``records.jsonl``, ``sequences.jsonl``, ``audit.jsonl`` and last ``manifest.json`` (the SHA-256
and size of every other member, the counts, and the audit chain's head). It is written to a
temporary file, synced and renamed, so a crash never leaves half an archive under the name.

Restore treats an archive as hostile: only regular members with the names above are accepted
(nothing is ever extracted to a path), sizes are capped, and a first pass checks every digest,
the audit chain, and that every record matches the last audit entry about it — before a single
byte is written to the target store, which must be empty.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, Final

import attrs

from egovkit.errors import ConflictError, StorageError, UnsafeInputError
from egovkit.ports import (
    AuditEntry,
    AuditHead,
    IntegrityError,
    Record,
    Snapshot,
    Store,
    canonical_json,
    verify_chain,
)

FORMAT: Final = "egovkit-backup"
FORMAT_VERSION: Final = 1
MANIFEST: Final = "manifest.json"
RECORDS: Final = "records.jsonl"
SEQUENCES: Final = "sequences.jsonl"
AUDIT: Final = "audit.jsonl"
_BLOB_NAME = re.compile(r"blobs/([0-9a-f]{64})")
_ORDER = (RECORDS, SEQUENCES, AUDIT, MANIFEST)


@attrs.frozen(kw_only=True)
class BackupLimits:
    """Caps applied while reading an archive (a hostile one must not exhaust the machine)."""

    max_member_bytes: int = 8 * 1024**3
    max_total_bytes: int = 512 * 1024**3
    max_line_bytes: int = 64 * 1024**2
    max_manifest_bytes: int = 256 * 1024**2
    max_members: int = 10_000_000


@attrs.frozen(kw_only=True)
class BackupManifest:
    """What an archive holds: counts, the audit head, and each member's digest and size."""

    created_at: str
    source: str
    head: AuditHead
    records: int
    sequences: int
    audit: int
    blobs: int
    files: dict[str, tuple[str, int]] = attrs.field(hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form written as ``manifest.json``."""
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": self.created_at,
            "source": self.source,
            "audit_head": {"sequence": self.head.sequence, "hash": self.head.hash},
            "counts": {
                "records": self.records,
                "sequences": self.sequences,
                "audit": self.audit,
                "blobs": self.blobs,
            },
            "files": {
                name: {"sha256": digest, "size": size}
                for name, (digest, size) in sorted(self.files.items())
            },
        }

    @classmethod
    def from_dict(cls, data: Any) -> BackupManifest:
        """Read ``manifest.json``; a wrong shape raises IntegrityError."""
        try:
            if data["format"] != FORMAT or data["version"] != FORMAT_VERSION:
                raise ValueError(f"unsupported format {data['format']!r} {data['version']!r}")
            head = data["audit_head"]
            counts = data["counts"]
            files = {
                str(name): (str(entry["sha256"]), int(entry["size"]))
                for name, entry in data["files"].items()
            }
            return cls(
                created_at=str(data["created_at"]),
                source=str(data["source"]),
                head=AuditHead(sequence=int(head["sequence"]), hash=str(head["hash"])),
                records=int(counts["records"]),
                sequences=int(counts["sequences"]),
                audit=int(counts["audit"]),
                blobs=int(counts["blobs"]),
                files=files,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise IntegrityError(
                f"the archive manifest is malformed: {exc}", code="backup.manifest", where=MANIFEST
            ) from exc


# --------------------------------------------------------------------------- writing


class _Digesting:
    """A temporary file that hashes what is written to it."""

    def __init__(self, directory: Path) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile(dir=directory)  # noqa: SIM115 - closed by _write
        self.hasher = hashlib.sha256()
        self.size = 0
        self.lines = 0

    def line(self, data: object) -> None:
        raw = canonical_json(data).encode("utf-8") + b"\n"
        self.hasher.update(raw)
        self.file.write(raw)
        self.size += len(raw)
        self.lines += 1


class _ChunkReader(io.RawIOBase):
    """A readable file over an iterator of byte chunks (to stream a blob into a tar)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


def _add(tar: tarfile.TarFile, name: str, size: int, source: IO[bytes]) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = 0
    tar.addfile(info, source)


def backup(store: Store, out: str | os.PathLike[str]) -> BackupManifest:
    """Write everything ``store`` holds to the archive ``out`` (replaced atomically)."""
    target = Path(out).resolve()
    directory = target.parent
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as raw:
            manifest = _write(store, raw, directory)
            raw.flush()
            os.fsync(raw.fileno())
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(
            f"cannot write the backup {target}: {exc.strerror}", code="backup.write"
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return manifest


def _write(store: Store, raw: IO[bytes], directory: Path) -> BackupManifest:
    files: dict[str, tuple[str, int]] = {}
    with tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
        blobs = 0
        for digest in store.blobs.digests():
            ref = store.blobs.stat(digest)
            if ref is None:  # pragma: no cover - deleted between listing and reading
                continue
            reader = io.BufferedReader(_ChunkReader(store.blobs.open(digest)))
            _add(tar, f"blobs/{digest}", ref.size, reader)
            files[f"blobs/{digest}"] = (digest, ref.size)
            blobs += 1
        with store.snapshot() as snapshot:
            parts = {name: _Digesting(directory) for name in (RECORDS, SEQUENCES, AUDIT)}
            for record in snapshot.records:
                parts[RECORDS].line(
                    {
                        "collection": record.collection,
                        "key": record.key,
                        "version": record.version,
                        "data": record.data,
                    }
                )
            for key, value in snapshot.sequences:
                parts[SEQUENCES].line({"key": key, "value": value})
            for entry in snapshot.audit:
                parts[AUDIT].line(entry.to_dict())
            head = snapshot.head
        for name, part in parts.items():
            part.file.seek(0)
            _add(tar, name, part.size, part.file)
            part.file.close()
            files[name] = (part.hasher.hexdigest(), part.size)
        manifest = BackupManifest(
            created_at=dt.datetime.now(dt.UTC).isoformat(),
            source=store.scheme,
            head=head,
            records=parts[RECORDS].lines,
            sequences=parts[SEQUENCES].lines,
            audit=parts[AUDIT].lines,
            blobs=blobs,
            files=files,
        )
        data = json.dumps(manifest.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")
        _add(tar, MANIFEST, len(data), io.BytesIO(data))
    return manifest


# --------------------------------------------------------------------------- reading


def _unsafe(message: str, code: str, where: str = "") -> UnsafeInputError:
    return UnsafeInputError(message, code=code, where=where)


def _tampered(message: str, code: str, where: str = "") -> IntegrityError:
    return IntegrityError(message, code=code, where=where)


class _Reader:
    """Walks an archive's members in order, enforcing names, types, order and sizes."""

    def __init__(self, path: Path, limits: BackupLimits) -> None:
        self.path = path
        self.limits = limits
        self.total = 0

    def members(self) -> Iterator[tuple[str, IO[bytes], int]]:
        try:
            with tarfile.open(self.path, mode="r|gz") as tar:
                seen: set[str] = set()
                stage = -1  # -1: blobs, then index into _ORDER
                for count, member in enumerate(tar, 1):
                    if count > self.limits.max_members:
                        raise _unsafe("the archive has too many members", "backup.members")
                    name = member.name
                    if not member.isfile():
                        raise _unsafe(
                            f"archive member {name!r} is not a regular file", "backup.member_type"
                        )
                    if name in seen:
                        raise _unsafe(f"archive member {name!r} appears twice", "backup.duplicate")
                    seen.add(name)
                    if _BLOB_NAME.fullmatch(name):
                        if stage != -1:
                            raise _tampered(f"{name} is out of order", "backup.order", name)
                    elif name in _ORDER:
                        index = _ORDER.index(name)
                        if index != stage + 1:
                            raise _tampered(f"{name} is out of order", "backup.order", name)
                        stage = index
                    else:
                        raise _unsafe(
                            f"unexpected archive member {name!r}", "backup.member_name", name
                        )
                    cap = (
                        self.limits.max_manifest_bytes
                        if name == MANIFEST
                        else self.limits.max_member_bytes
                    )
                    if member.size > cap:
                        raise _unsafe(f"{name} is larger than {cap} bytes", "backup.size", name)
                    self.total += member.size
                    if self.total > self.limits.max_total_bytes:
                        raise _unsafe("the archive is too large", "backup.size")
                    handle = tar.extractfile(member)
                    if handle is None:  # pragma: no cover - regular files always have data
                        raise _unsafe(f"{name} has no data", "backup.member_type", name)
                    yield name, handle, member.size
                if stage != len(_ORDER) - 1:
                    raise _tampered(
                        "the archive is incomplete (truncated or missing members)",
                        "backup.incomplete",
                    )
        except (*_READ_ERRORS, ValueError) as exc:
            if isinstance(exc, UnsafeInputError | IntegrityError):
                raise
            raise _tampered(
                f"the archive cannot be read: {exc}", "backup.unreadable", str(self.path)
            ) from exc


def _lines(
    handle: IO[bytes], name: str, limit: int, hasher: Any | None = None
) -> Iterator[dict[str, Any]]:
    number = 0
    while True:
        raw = handle.readline(limit + 1)
        if not raw:
            return
        number += 1
        if hasher is not None:
            hasher.update(raw)
        if len(raw) > limit or not raw.endswith(b"\n"):
            raise _unsafe(f"{name} line {number} is too long or unterminated", "backup.line")
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise _tampered(
                f"{name} line {number} is not JSON", "backup.json", f"{name}:{number}"
            ) from exc
        if not isinstance(value, dict):
            raise _tampered(f"{name} line {number} is not an object", "backup.json")
        yield value


def _record(value: dict[str, Any], where: str) -> Record:
    try:
        data = value["data"]
        if not isinstance(data, dict):
            raise TypeError("data is not an object")
        version = value["version"]
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise TypeError("version is not a whole number >= 1")
        return Record(collection=value["collection"], key=value["key"], version=version, data=data)
    except (KeyError, TypeError, ValueError) as exc:
        raise _tampered(f"{where}: not a record: {exc}", "backup.record", where) from exc


def _sequence(value: dict[str, Any], where: str) -> tuple[str, int]:
    key, number = value.get("key"), value.get("value")
    if not isinstance(key, str) or isinstance(number, bool) or not isinstance(number, int):
        raise _tampered(f"{where}: not a counter", "backup.sequence", where)
    if number < 0:
        raise _tampered(f"{where}: negative counter", "backup.sequence", where)
    return key, number


def _drain(handle: IO[bytes], hasher: Any) -> int:
    size = 0
    while chunk := handle.read(1024 * 1024):
        hasher.update(chunk)
        size += len(chunk)
    return size


def verify_archive(
    path: str | os.PathLike[str],
    *,
    expect_head: str | None = None,
    limits: BackupLimits | None = None,
) -> BackupManifest:
    """Check an archive completely without writing anything; returns its manifest.

    ``expect_head`` is the audit-chain head hash recorded when the backup was made (printed by
    ``egovkit backup``); when given, an archive rebuilt from scratch is refused too. Tampering
    raises :class:`~egovkit.ports.IntegrityError`; hostile shapes raise
    :class:`~egovkit.errors.UnsafeInputError`.
    """
    try:
        return _verify(Path(path), expect_head, limits or BackupLimits())
    except _READ_ERRORS as exc:
        raise _tampered(
            f"the archive cannot be read: {exc}", "backup.unreadable", str(path)
        ) from exc


_READ_ERRORS = (tarfile.TarError, EOFError, OSError, zlib.error)


def _verify(path: Path, expect_head: str | None, limits: BackupLimits) -> BackupManifest:
    reader = _Reader(path, limits)
    actual: dict[str, tuple[str, int]] = {}
    record_digests: dict[tuple[str, str], str] = {}
    audited: dict[tuple[str, str], str | None] = {}
    entries_head: AuditHead | None = None
    counts = {RECORDS: 0, SEQUENCES: 0, AUDIT: 0}
    manifest: BackupManifest | None = None
    for name, handle, _size in reader.members():
        hasher = hashlib.sha256()
        if name == MANIFEST:
            raw = handle.read(limits.max_manifest_bytes + 1)
            try:
                manifest = BackupManifest.from_dict(json.loads(raw))
            except (ValueError, RecursionError) as exc:
                raise _tampered("the manifest is not JSON", "backup.manifest", MANIFEST) from exc
            continue
        if name == RECORDS:
            for value in _lines(handle, name, limits.max_line_bytes, hasher):
                counts[name] += 1
                record = _record(value, f"{name}:{counts[name]}")
                record_digests[(record.collection, record.key)] = record.digest()
        elif name == SEQUENCES:
            for value in _lines(handle, name, limits.max_line_bytes, hasher):
                counts[name] += 1
                _sequence(value, f"{name}:{counts[name]}")
        elif name == AUDIT:

            def entries(handle: IO[bytes] = handle, hasher: Any = hasher) -> Iterator[AuditEntry]:
                for value in _lines(handle, AUDIT, limits.max_line_bytes, hasher):
                    counts[AUDIT] += 1
                    entry = AuditEntry.from_dict(value)
                    if entry.collection != "sequence":
                        audited[(entry.collection, entry.key)] = entry.after
                    yield entry

            entries_head = verify_chain(entries())
        else:
            _drain(handle, hasher)
        size = handle.tell() if hasattr(handle, "tell") else 0
        actual[name] = (hasher.hexdigest(), size)
        if name.startswith("blobs/") and hasher.hexdigest() != name[6:]:
            raise _tampered(f"{name} does not match its name", "backup.blob_digest", name)
    if manifest is None or entries_head is None:  # pragma: no cover - _Reader checks the order
        raise _tampered("the archive is incomplete", "backup.incomplete")
    _compare(manifest, actual, counts, entries_head, expect_head)
    for key, digest in record_digests.items():
        if audited.get(key) != digest:
            raise _tampered(
                f"record {key[1]!r} in {key[0]!r} does not match the audit log",
                "backup.record_digest",
                f"{key[0]}/{key[1]}",
            )
    stale = [k for k, after in audited.items() if after is not None and k not in record_digests]
    if stale:
        raise _tampered(
            f"{len(stale)} audited record(s) are missing from the archive, e.g. {stale[0][1]!r}",
            "backup.record_missing",
        )
    return manifest


def _compare(
    manifest: BackupManifest,
    actual: dict[str, tuple[str, int]],
    counts: dict[str, int],
    entries_head: AuditHead,
    expect_head: str | None,
) -> None:
    for name in sorted(set(manifest.files) | set(actual)):
        if manifest.files.get(name) != actual.get(name):
            raise _tampered(f"{name} does not match the manifest", "backup.digest_mismatch", name)
    if entries_head != manifest.head:
        raise _tampered(
            "the audit log does not end at the head the manifest records",
            "backup.head_mismatch",
            AUDIT,
        )
    if (manifest.records, manifest.sequences, manifest.audit) != (
        counts[RECORDS],
        counts[SEQUENCES],
        counts[AUDIT],
    ):
        raise _tampered("the manifest counts are wrong", "backup.counts", MANIFEST)
    if manifest.blobs != sum(1 for n in actual if n.startswith("blobs/")):
        raise _tampered("the manifest blob count is wrong", "backup.counts", MANIFEST)
    if expect_head is not None and manifest.head.hash != expect_head:
        raise _tampered(
            f"the archive's audit head is {manifest.head.hash}, not the expected {expect_head}",
            "backup.unexpected_head",
            MANIFEST,
        )


def restore(
    store: Store,
    archive: str | os.PathLike[str],
    *,
    expect_head: str | None = None,
    limits: BackupLimits | None = None,
) -> BackupManifest:
    """Verify ``archive`` completely, then load it into the empty ``store``.

    Nothing is written when any check fails. Blobs are stored first (content-addressed, so a
    retry is harmless), then records, counters and the audit chain in one transaction.
    """
    limits = limits or BackupLimits()
    manifest = verify_archive(archive, expect_head=expect_head, limits=limits)
    if store.records.collections() or store.audit.head().sequence:
        raise ConflictError(
            "restore needs an empty store", code="store.not_empty", where=store.scheme
        )
    members = _Reader(Path(archive), limits).members()
    current: list[tuple[str, IO[bytes], int]] = []

    def advance(expected: str) -> IO[bytes]:
        name, handle, size = next(members)
        while _BLOB_NAME.fullmatch(name):
            store.blobs.put(_limited(handle, size), expected=name[6:])
            name, handle, size = next(members)
        if name != expected:  # pragma: no cover - verified in the first pass
            raise _tampered(f"expected {expected}, found {name}", "backup.order", name)
        current[:] = [(name, handle, size)]
        return handle

    def recheck(name: str, hasher: Any) -> None:
        # The file may have changed since the first pass: an error here, raised while the
        # store is still loading, rolls the whole load back.
        if hasher.hexdigest() != manifest.files[name][0]:
            raise _tampered(f"{name} changed during the restore", "backup.changed", name)

    def records() -> Iterator[Record]:
        handle, hasher = advance(RECORDS), hashlib.sha256()
        for number, value in enumerate(_lines(handle, RECORDS, limits.max_line_bytes, hasher), 1):
            yield _record(value, f"{RECORDS}:{number}")
        recheck(RECORDS, hasher)

    def sequences() -> Iterator[tuple[str, int]]:
        handle, hasher = advance(SEQUENCES), hashlib.sha256()
        lines = _lines(handle, SEQUENCES, limits.max_line_bytes, hasher)
        for number, value in enumerate(lines, 1):
            yield _sequence(value, f"{SEQUENCES}:{number}")
        recheck(SEQUENCES, hasher)

    def audit() -> Iterator[AuditEntry]:
        handle, hasher = advance(AUDIT), hashlib.sha256()
        for value in _lines(handle, AUDIT, limits.max_line_bytes, hasher):
            yield AuditEntry.from_dict(value)
        recheck(AUDIT, hasher)

    try:
        store.load(
            _lazy_snapshot(records=records, sequences=sequences, audit=audit, head=manifest.head)
        )
        for _rest in members:  # let the reader reach the manifest and close the file
            pass
    except _READ_ERRORS as exc:  # the file changed since it was verified
        raise _tampered(
            f"the archive cannot be read: {exc}", "backup.unreadable", str(archive)
        ) from exc
    return manifest


def _limited(handle: IO[bytes], size: int) -> Iterator[bytes]:
    left = size
    while left > 0:
        chunk = handle.read(min(left, 1024 * 1024))
        if not chunk:
            break
        left -= len(chunk)
        yield chunk


class _LazyIterable:
    def __init__(self, make: Callable[[], Iterator[Any]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[Any]:
        return self._make()


def _lazy_snapshot(
    *,
    records: Callable[[], Iterator[Record]],
    sequences: Callable[[], Iterator[tuple[str, int]]],
    audit: Callable[[], Iterator[AuditEntry]],
    head: AuditHead,
) -> Snapshot:
    """A snapshot whose parts are read from the archive when (and in the order) load uses them."""
    return Snapshot(
        records=_LazyIterable(records),
        sequences=_LazyIterable(sequences),
        audit=_LazyIterable(audit),
        head=head,
    )


__all__ = ["BackupLimits", "BackupManifest", "backup", "restore", "verify_archive"]
