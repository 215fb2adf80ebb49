"""Contracts for the audit log: every change is recorded and chained; tampering is caught."""

from __future__ import annotations

import attrs
import pytest

from egovkit.ports import AuditEntry, AuditHead, IntegrityError, Record, SequenceKey, Store
from egovkit.testing.contracts.fixtures import StoreFixtures


def _changes(store: Store) -> None:
    with store.transaction(actor="chuyên viên A") as uow:
        uow.records.add(Record(collection="things", key="a", data={"n": 1}))
        uow.records.add(Record(collection="things", key="b", data={"n": 1}))
    current = store.records.get("things", "a")
    with store.transaction(actor="chuyên viên B") as uow:
        uow.records.update(attrs.evolve(current, data={"n": 2}))
        uow.sequences.allocate(SequenceKey("t", ["audit"]))
    store.records.delete(store.records.get("things", "b"))
    for n in range(3):
        store.records.add(Record(collection="things", key=f"c{n}", data={"n": n}))


class AuditContract(StoreFixtures):
    """Who, when, what, before and after; verify() catches every kind of tampering."""

    def test_every_change_is_recorded(self, store: Store) -> None:
        assert store.audit.head().sequence == 0
        _changes(store)
        entries = list(store.audit.entries())
        assert [e.sequence for e in entries] == list(range(1, 9))
        assert [e.action for e in entries[:5]] == ["add", "add", "update", "allocate", "delete"]
        assert [e.actor for e in entries[:4]] == ["chuyên viên A"] * 2 + ["chuyên viên B"] * 2
        first, update = entries[0], entries[2]
        assert first.before is None
        assert first.after == Record(collection="things", key="a", data={"n": 1}).digest()
        assert update.before == first.after
        assert update.after == Record(collection="things", key="a", data={"n": 2}).digest()
        assert update.version == 2
        assert entries[4].after is None
        assert all(e.at.tzinfo is not None for e in entries)
        assert store.audit.verify() == store.audit.head()
        assert store.audit.head() == AuditHead(sequence=8, hash=entries[-1].hash)
        assert list(store.audit.entries(start=7)) == entries[6:]

    def test_reads_append_nothing(self, store: Store) -> None:
        _changes(store)
        head = store.audit.head()
        store.records.get("things", "a")
        list(store.records.scan("things"))
        store.sequences.current(SequenceKey("t", ["audit"]))
        assert store.audit.head() == head

    def _tamper(
        self, store: Store, entries: list[AuditEntry], head: AuditHead | None = None
    ) -> None:
        if not self.rewritable_audit:
            pytest.skip("the backend does not declare rewritable_audit")
        self.rewrite_audit(store, entries, head or store.audit.head())

    def test_modified_entry_is_detected(self, store: Store) -> None:
        _changes(store)
        entries = list(store.audit.entries())
        entries[2] = attrs.evolve(entries[2], actor="someone else")
        self._tamper(store, entries)
        with pytest.raises(IntegrityError) as caught:
            store.audit.verify()
        assert caught.value.code == "audit.modified"

    def test_modified_and_rehashed_entry_is_detected(self, store: Store) -> None:
        _changes(store)
        entries = list(store.audit.entries())
        forged = attrs.evolve(entries[2], actor="someone else")
        entries[2] = attrs.evolve(forged, hash=forged.expected_hash())
        self._tamper(store, entries)
        with pytest.raises(IntegrityError) as caught:
            store.audit.verify()
        assert caught.value.code == "audit.link"

    def test_deleted_entry_is_detected(self, store: Store) -> None:
        _changes(store)
        entries = list(store.audit.entries())
        del entries[3]
        self._tamper(store, entries)
        with pytest.raises(IntegrityError) as caught:
            store.audit.verify()
        assert caught.value.code == "audit.gap"

    def test_reordered_entries_are_detected(self, store: Store) -> None:
        _changes(store)
        entries = list(store.audit.entries())
        one, two = entries[2], entries[3]
        entries[2] = attrs.evolve(two, sequence=one.sequence)
        entries[3] = attrs.evolve(one, sequence=two.sequence)
        self._tamper(store, entries)
        with pytest.raises(IntegrityError) as caught:
            store.audit.verify()
        assert caught.value.code == "audit.modified"

    def test_truncated_log_is_detected(self, store: Store) -> None:
        _changes(store)
        entries = list(store.audit.entries())
        self._tamper(store, entries[:-2])
        with pytest.raises(IntegrityError) as caught:
            store.audit.verify()
        assert caught.value.code == "audit.truncated"

    def test_truncation_with_a_rewritten_head_is_caught_by_an_anchor(self, store: Store) -> None:
        _changes(store)
        anchor = store.audit.head()
        entries = list(store.audit.entries())[:-2]
        self._tamper(store, entries, AuditHead(sequence=6, hash=entries[-1].hash))
        assert store.audit.verify().sequence == 6
        with pytest.raises(IntegrityError) as caught:
            store.audit.verify(anchor=anchor)
        assert caught.value.code == "audit.anchor"

    def test_an_anchor_inside_an_intact_chain_passes(self, store: Store) -> None:
        _changes(store)
        anchor = store.audit.head()
        store.records.add(Record(collection="things", key="later"))
        assert store.audit.verify(anchor=anchor).sequence == anchor.sequence + 1


__all__ = ["AuditContract"]
