"""In-memory adapters: for tests, demos and single-process tools. Nothing survives the process.

Transactions hold one lock from begin to commit (they are serialised) and keep an undo journal,
so a rollback restores exactly what was there.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Sequence
from typing import Any

from egovkit.errors import ConflictError
from egovkit.ports import (
    GENESIS,
    AuditEntry,
    AuditHead,
    BlobStore,
    SequenceAllocator,
    SequenceKey,
)
from egovkit.storage.blobs import MemoryBlobStore
from egovkit.storage.engine import Engine, EngineStore, Row, Session


class MemorySequenceAllocator(SequenceAllocator):
    """A thread-safe :class:`~egovkit.ports.SequenceAllocator` held in a dictionary."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[SequenceKey, int] = {}

    def allocate(self, key: SequenceKey) -> int:
        with self._lock:
            number = self._last.get(key, 0) + 1
            self._last[key] = number
            return number

    def current(self, key: SequenceKey) -> int:
        with self._lock:
            return self._last.get(key, 0)


class _Collection:
    """One collection's rows, with a key index sorted on demand."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[int, str]] = {}
        self._sorted: list[str] | None = []

    def keys(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(self.rows)
        return self._sorted

    def set(self, key: str, value: tuple[int, str]) -> None:
        if key not in self.rows:
            self._sorted = None
        self.rows[key] = value

    def drop(self, key: str) -> None:
        del self.rows[key]
        self._sorted = None


class _Data:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.collections: dict[str, _Collection] = {}
        self.sequences: dict[str, int] = {}
        self.audit: list[AuditEntry] = []
        self.head = AuditHead(sequence=0, hash=GENESIS)

    def collection(self, name: str) -> _Collection:
        found = self.collections.get(name)
        if found is None:
            found = self.collections[name] = _Collection()
        return found


class _MemorySession(Session):
    def __init__(self, data: _Data) -> None:
        self._data = data
        self._undo: list[Callable[[], None]] = []
        data.lock.acquire()
        self._open = True

    def _end(self) -> None:
        if self._open:
            self._open = False
            self._data.lock.release()

    def get(self, collection: str, key: str, *, lock: bool = False) -> tuple[int, str] | None:
        found = self._data.collections.get(collection)
        return None if found is None else found.rows.get(key)

    def insert(self, collection: str, rows: Sequence[Row]) -> None:
        target = self._data.collection(collection)
        seen: set[str] = set()
        for key, _version, _body in rows:
            if key in target.rows or key in seen:
                raise ConflictError(
                    f"record {key!r} already exists in {collection!r}",
                    code="record.exists",
                    where=key,
                )
            seen.add(key)
        for key, version, body in rows:
            target.set(key, (version, body))
        self._undo.append(_dropper(target, [row[0] for row in rows]))

    def replace(self, collection: str, row: Row) -> None:
        target = self._data.collection(collection)
        key, version, body = row
        old = target.rows[key]
        target.set(key, (version, body))
        self._undo.append(lambda: target.set(key, old))

    def remove(self, collection: str, key: str) -> None:
        target = self._data.collection(collection)
        old = target.rows[key]
        target.drop(key)
        self._undo.append(lambda: target.set(key, old))

    def scan(self, collection: str, prefix: str, after: str, limit: int) -> list[Row]:
        found = self._data.collections.get(collection)
        if found is None:
            return []
        keys = found.keys()
        start = max(prefix, after)
        index = (
            bisect.bisect_right(keys, start) if after >= prefix else bisect.bisect_left(keys, start)
        )
        rows: list[Row] = []
        while index < len(keys) and len(rows) < limit:
            key = keys[index]
            if not key.startswith(prefix):
                break
            version, body = found.rows[key]
            rows.append((key, version, body))
            index += 1
        return rows

    def count(self, collection: str) -> int:
        found = self._data.collections.get(collection)
        return 0 if found is None else len(found.rows)

    def collections(self) -> list[str]:
        return sorted(name for name, c in self._data.collections.items() if c.rows)

    def allocate(self, key: str) -> int:
        sequences = self._data.sequences
        old = sequences.get(key)
        number = (old or 0) + 1
        sequences[key] = number
        self._undo.append(_restorer(sequences, key, old))
        return number

    def current(self, key: str) -> int:
        return self._data.sequences.get(key, 0)

    def sequences(self) -> list[tuple[str, int]]:
        return sorted(self._data.sequences.items())

    def set_sequences(self, values: Sequence[tuple[str, int]]) -> None:
        sequences = self._data.sequences
        for key, value in values:
            old = sequences.get(key)
            sequences[key] = value
            self._undo.append(_restorer(sequences, key, old))

    def audit_head(self, *, lock: bool = False) -> AuditHead:
        return self._data.head

    def append_audit(self, entries: Sequence[AuditEntry]) -> None:
        data = self._data
        old_length, old_head = len(data.audit), data.head
        data.audit.extend(entries)
        data.head = AuditHead(sequence=entries[-1].sequence, hash=entries[-1].hash)
        self._undo.append(lambda: _reset_audit(data, data.audit[:old_length], old_head))

    def audit_entries(self, start: int, limit: int) -> list[AuditEntry]:
        entries = self._data.audit
        if 0 < start <= len(entries) and entries[start - 1].sequence == start:
            index = start - 1  # the usual case: sequence n sits at position n - 1
        else:
            index = bisect.bisect_left([e.sequence for e in entries], start)
        return entries[index : index + limit]

    def replace_audit(self, entries: Sequence[AuditEntry], head: AuditHead) -> None:
        data = self._data
        old, old_head = list(data.audit), data.head
        _reset_audit(data, list(entries), head)
        self._undo.append(lambda: _reset_audit(data, old, old_head))

    def commit(self) -> None:
        self._undo.clear()
        self._end()

    def rollback(self) -> None:
        if self._open:
            for undo in reversed(self._undo):
                undo()
            self._undo.clear()
        self._end()


def _dropper(target: _Collection, keys: list[str]) -> Callable[[], None]:
    def undo() -> None:
        for key in keys:
            target.drop(key)

    return undo


def _restorer(sequences: dict[str, int], key: str, old: int | None) -> Callable[[], None]:
    def undo() -> None:
        if old is None:
            sequences.pop(key, None)
        else:
            sequences[key] = old

    return undo


def _reset_audit(data: _Data, entries: list[AuditEntry], head: AuditHead) -> None:
    data.audit = entries
    data.head = head


class MemoryEngine(Engine):
    """The engine behind ``memory://`` stores."""

    scheme = "memory"

    def __init__(self, *, blobs: BlobStore | None = None) -> None:
        self._data = _Data()
        self._blobs = blobs if blobs is not None else MemoryBlobStore()

    def begin(self, *, write: bool) -> Session:
        return _MemorySession(self._data)

    @property
    def blobs(self) -> BlobStore:
        return self._blobs

    def close(self) -> None:
        """Nothing to release."""


def open_memory(
    url: str = "memory://", *, blobs: BlobStore | None = None, **options: Any
) -> EngineStore:
    """A fresh, empty in-memory store (each call a new one)."""
    return EngineStore(MemoryEngine(blobs=blobs), **options)


__all__ = ["MemoryEngine", "MemorySequenceAllocator", "open_memory"]
