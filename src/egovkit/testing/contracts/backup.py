"""Contract: a backup restored into an empty store of the same backend equals the original."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest

from egovkit.errors import ConflictError
from egovkit.ports import IntegrityError, Record, SequenceKey, Store


def fill(store: Store) -> None:
    """Put a little of everything into ``store``: records, an update, a delete, counters, blobs."""
    store.records.add_many(
        Record(collection="things", key=f"k{i:03d}", data={"i": i, "tên": "Việt Nam"})
        for i in range(30)
    )
    first = store.records.get("things", "k000")
    store.records.update(attrs.evolve(first, data={"i": 0, "changed": True}))
    store.records.delete(store.records.get("things", "k001"))
    with store.transaction(actor="văn thư") as uow:
        for _ in range(3):
            uow.sequences.allocate(SequenceKey("register", ["H99", "2026", "ordinary"]))
        uow.records.add(Record(collection="other", key="x", data={"nested": {"a": [1, 2]}}))
    store.blobs.put(b"%PDF-1.7 fake signed file" * 1000)
    store.blobs.put(b"")


def contents(store: Store) -> dict[str, Any]:
    """Everything observable in ``store``, for equality checks."""
    with store.snapshot() as snapshot:
        return {
            "records": list(snapshot.records),
            "sequences": list(snapshot.sequences),
            "audit": list(snapshot.audit),
            "head": snapshot.head,
            "blobs": {d: store.blobs.get(d) for d in store.blobs.digests()},
        }


class BackupContract:
    """backup → restore gives an equal store; a tampered archive writes nothing."""

    def test_restored_equals_original(
        self, store: Store, other_store: Store, tmp_path: Path
    ) -> None:
        from egovkit.storage import backup, restore

        fill(store)
        manifest = backup(store, tmp_path / "backup.tar.gz")
        assert manifest.head == store.audit.head()
        restored = restore(other_store, tmp_path / "backup.tar.gz", expect_head=manifest.head.hash)
        assert restored.head == manifest.head
        assert contents(other_store) == contents(store)
        assert other_store.audit.verify() == store.audit.head()
        key = SequenceKey("register", ["H99", "2026", "ordinary"])
        assert other_store.sequences.allocate(key) == 4

    def test_restore_needs_an_empty_store(
        self, store: Store, other_store: Store, tmp_path: Path
    ) -> None:
        from egovkit.storage import backup, restore

        fill(store)
        backup(store, tmp_path / "backup.tar.gz")
        other_store.records.add(Record(collection="things", key="already"))
        with pytest.raises(ConflictError):
            restore(other_store, tmp_path / "backup.tar.gz")
        assert other_store.records.count("things") == 1

    def test_a_wrong_expected_head_writes_nothing(
        self, store: Store, other_store: Store, tmp_path: Path
    ) -> None:
        from egovkit.storage import backup, restore

        fill(store)
        backup(store, tmp_path / "backup.tar.gz")
        with pytest.raises(IntegrityError):
            restore(other_store, tmp_path / "backup.tar.gz", expect_head="0" * 64)
        assert other_store.records.collections() == []
        assert list(other_store.blobs.digests()) == []


__all__ = ["BackupContract", "contents", "fill"]
