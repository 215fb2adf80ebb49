"""Content-addressed blob stores: in memory, and in a directory of files.

A file's name is derived only from its SHA-256 digest (checked to be 64 hexadecimal digits
before any path is built), so no crafted name can reach outside the directory. Writes go to a
temporary file in the same directory tree, are flushed with ``fsync`` and then renamed into
place: a crash leaves either the whole blob or nothing under its name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from egovkit.errors import NotFoundError, StorageError
from egovkit.ports import (
    CHUNK_SIZE,
    BlobRef,
    BlobSource,
    BlobStore,
    IntegrityError,
    check_digest,
    iter_chunks,
)


def _not_found(sha256: str) -> NotFoundError:
    return NotFoundError(f"no blob {sha256}", code="blob.not_found", where=sha256)


def _mismatch(expected: str, actual: str) -> IntegrityError:
    return IntegrityError(
        f"blob content has digest {actual}, not the expected {expected}",
        code="blob.digest_mismatch",
        where=expected,
    )


class MemoryBlobStore(BlobStore):
    """Blobs in a dictionary (tests, demos)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._blobs: dict[str, bytes] = {}

    def put(self, source: BlobSource, *, expected: str | None = None) -> BlobRef:
        if expected is not None:
            check_digest(expected, where="expected")
        data = b"".join(iter_chunks(source))
        digest = hashlib.sha256(data).hexdigest()
        if expected is not None and expected != digest:
            raise _mismatch(expected, digest)
        with self._lock:
            self._blobs.setdefault(digest, data)
        return BlobRef(sha256=digest, size=len(data))

    def open(self, sha256: str) -> Iterator[bytes]:
        check_digest(sha256)
        with self._lock:
            data = self._blobs.get(sha256)
        if data is None:
            raise _not_found(sha256)
        return _verified(iter_chunks(data), sha256)

    def stat(self, sha256: str) -> BlobRef | None:
        check_digest(sha256)
        with self._lock:
            data = self._blobs.get(sha256)
        return None if data is None else BlobRef(sha256=sha256, size=len(data))

    def digests(self) -> Iterator[str]:
        with self._lock:
            names = sorted(self._blobs)
        return iter(names)


def _verified(chunks: Iterator[bytes], sha256: str) -> Iterator[bytes]:
    hasher = hashlib.sha256()
    for chunk in chunks:
        hasher.update(chunk)
        yield chunk
    if hasher.hexdigest() != sha256:
        raise IntegrityError(
            f"stored blob {sha256} is corrupt (its content has another digest)",
            code="blob.corrupt",
            where=sha256,
        )


class FileBlobStore(BlobStore):
    """Blobs as files ``<root>/ab/cd/<digest>``; safe for several processes at once."""

    def __init__(self, root: str | os.PathLike[str], *, fsync: bool = True) -> None:
        self.root = Path(root).resolve()
        self._fsync = fsync
        self._tmp = self.root / "tmp"
        try:
            self._tmp.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"cannot create blob directory {self.root}: {exc.strerror}",
                code="blob.directory",
                where=str(self.root),
            ) from exc

    def path_for(self, sha256: str) -> Path:
        """Where a digest's file lives (the digest is validated first)."""
        check_digest(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, source: BlobSource, *, expected: str | None = None) -> BlobRef:
        if expected is not None:
            check_digest(expected, where="expected")
        hasher = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="put-", suffix=".part")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in iter_chunks(source):
                    hasher.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                if self._fsync:
                    os.fsync(out.fileno())
            digest = hasher.hexdigest()
            if expected is not None and expected != digest:
                raise _mismatch(expected, digest)
            final = self.path_for(digest)
            if final.exists():
                tmp.unlink()
            else:
                final.parent.mkdir(parents=True, exist_ok=True)
                tmp.replace(final)
                if self._fsync:
                    _fsync_dir(final.parent)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StorageError(
                f"cannot store blob: {exc.strerror}", code="blob.write", where=str(self.root)
            ) from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return BlobRef(sha256=digest, size=size)

    def open(self, sha256: str) -> Iterator[bytes]:
        path = self.path_for(sha256)
        if not path.is_file():
            raise _not_found(sha256)
        return _verified(_read_file(path, sha256), sha256)

    def stat(self, sha256: str) -> BlobRef | None:
        path = self.path_for(sha256)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            return None
        return BlobRef(sha256=sha256, size=size)

    def remove_leftovers(self, *, older_than: float = 86_400.0) -> int:
        """Delete temporary files a crashed writer left behind (older than ``older_than``
        seconds, so uploads in progress are kept); returns how many were removed."""
        limit = time.time() - older_than
        removed = 0
        for path in self._tmp.glob("put-*.part"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

    def digests(self) -> Iterator[str]:
        found = []
        for path in self.root.glob("??/??/*"):
            name = path.name
            if len(name) == 64 and name[:2] == path.parent.parent.name:
                try:
                    found.append(check_digest(name))
                except ValueError:
                    continue
        return iter(sorted(found))


def _read_file(path: Path, sha256: str) -> Iterator[bytes]:
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise _not_found(sha256) from None
    except OSError as exc:
        raise StorageError(
            f"cannot read blob {sha256}: {exc.strerror}", code="blob.read", where=sha256
        ) from exc
    with handle:
        while chunk := handle.read(CHUNK_SIZE):
            yield chunk


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


__all__ = ["FileBlobStore", "MemoryBlobStore"]
