"""Contracts for records, transactions, counters and the typed repositories."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovkit.errors import ConflictError, NotFoundError, ValidationError
from egovkit.ports import Record, SequenceKey, Store

_JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    _JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
json_objects = st.dictionaries(st.text(max_size=8), json_values, max_size=5)


_RUNS = itertools.count()


def _record(key: str, **data: Any) -> Record:
    return Record(collection="things", key=key, data=data)


class RecordContract:
    """Versioned records: add, get, update, delete, scan, count."""

    def test_added_record_reads_back_at_version_1(self, store: Store) -> None:
        stored = store.records.add(_record("a", name="Sở Nội vụ", n=1, tags=["x", None]))
        assert stored.version == 1
        assert store.records.get("things", "a") == stored

    @settings(
        max_examples=25,
        deadline=None,
        # The store is reset by hand per example; the mixin runs under many fixtures classes.
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(
        data=json_objects, key=st.text(min_size=1, max_size=30).filter(lambda k: k.isprintable())
    )
    def test_any_json_object_round_trips(
        self, store: Store, data: dict[str, Any], key: str
    ) -> None:
        found = store.records.find("props", key)
        if found is not None:
            store.records.delete(found)
        stored = store.records.add(Record(collection="props", key=key, data=data))
        assert store.records.get("props", key).data == data
        assert stored.data == data

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(
        operations=st.lists(
            st.tuples(
                st.sampled_from(["add", "update", "stale_update", "delete"]),
                st.sampled_from(["a", "b", "c", "ca", "d"]),
                st.integers(min_value=0, max_value=9),
            ),
            max_size=15,
        )
    )
    def test_behaves_like_a_dictionary_of_versions(
        self, store: Store, operations: list[tuple[str, str, int]]
    ) -> None:
        collection = f"model.{next(_RUNS)}"
        model: dict[str, tuple[int, int]] = {}  # key -> (version, value)
        for action, key, value in operations:
            current = model.get(key)
            record = Record(collection=collection, key=key, data={"v": value})
            if action == "add":
                if current is None:
                    assert store.records.add(record).version == 1
                    model[key] = (1, value)
                else:
                    with pytest.raises(ConflictError):
                        store.records.add(record)
            elif current is None:
                with pytest.raises(ConflictError):
                    store.records.update(attrs.evolve(record, version=1))
            elif action == "update":
                stored = store.records.update(attrs.evolve(record, version=current[0]))
                model[key] = (stored.version, value)
            elif action == "stale_update":
                with pytest.raises(ConflictError):
                    store.records.update(attrs.evolve(record, version=current[0] + 1))
            else:
                store.records.delete(attrs.evolve(record, version=current[0]))
                del model[key]
        listed = [(r.key, r.version, r.data["v"]) for r in store.records.scan(collection)]
        assert listed == [(k, v, value) for k, (v, value) in sorted(model.items())]
        assert [r.key for r in store.records.scan(collection, prefix="c")] == sorted(
            k for k in model if k.startswith("c")
        )
        assert store.records.count(collection) == len(model)

    def test_missing_record(self, store: Store) -> None:
        assert store.records.find("things", "nope") is None
        with pytest.raises(NotFoundError):
            store.records.get("things", "nope")

    def test_adding_an_existing_key_conflicts(self, store: Store) -> None:
        store.records.add(_record("a", n=1))
        with pytest.raises(ConflictError):
            store.records.add(_record("a", n=2))
        assert store.records.get("things", "a").data == {"n": 1}

    def test_add_refuses_a_stored_version(self, store: Store) -> None:
        stored = store.records.add(_record("a", n=1))
        with pytest.raises(ConflictError):
            store.records.add(stored)

    def test_update_moves_the_version_on(self, store: Store) -> None:
        stored = store.records.add(_record("a", n=1))
        changed = store.records.update(
            Record(collection="things", key="a", version=1, data={"n": 2})
        )
        assert changed.version == 2
        assert store.records.get("things", "a") == changed
        assert stored.version == 1

    def test_stale_update_conflicts_and_changes_nothing(self, store: Store) -> None:
        first = store.records.add(_record("a", n=1))
        store.records.update(Record(collection="things", key="a", version=1, data={"n": 2}))
        with pytest.raises(ConflictError):
            store.records.update(
                Record(collection="things", key="a", version=first.version, data={"n": 3})
            )
        assert store.records.get("things", "a").data == {"n": 2}

    def test_update_of_a_deleted_record_conflicts(self, store: Store) -> None:
        stored = store.records.add(_record("a", n=1))
        store.records.delete(stored)
        with pytest.raises(ConflictError):
            store.records.update(stored)

    def test_stale_delete_conflicts(self, store: Store) -> None:
        stored = store.records.add(_record("a", n=1))
        store.records.update(Record(collection="things", key="a", version=1, data={"n": 2}))
        with pytest.raises(ConflictError):
            store.records.delete(stored)
        assert store.records.find("things", "a") is not None

    def test_scan_orders_filters_and_pages(self, store: Store) -> None:
        keys = ["b/2", "a/1", "b/10", "b/1", "c", "bb", "b/ă", "b/z"]
        store.records.add_many(_record(k, k=k) for k in keys)
        assert [r.key for r in store.records.scan("things")] == sorted(keys)
        assert [r.key for r in store.records.scan("things", prefix="b/")] == sorted(
            k for k in keys if k.startswith("b/")
        )
        assert [r.key for r in store.records.scan("things", prefix="b/", after="b/10")] == [
            "b/2",
            "b/z",
            "b/ă",
        ]
        assert [r.key for r in store.records.scan("things", limit=3)] == sorted(keys)[:3]
        assert list(store.records.scan("things", prefix="zz")) == []
        assert list(store.records.scan("nothing")) == []

    def test_scan_pages_through_many_records(self, store: Store) -> None:
        keys = [f"k{i:05d}" for i in range(2_345)]
        assert store.records.add_many(_record(k, i=i) for i, k in enumerate(keys)) == len(keys)
        assert [r.key for r in store.records.scan("things")] == keys
        assert [r.key for r in store.records.scan("things", after="k01000", limit=1_100)] == keys[
            1_001:2_101
        ]
        assert store.records.count("things") == len(keys)

    def test_add_many_is_all_or_nothing(self, store: Store) -> None:
        store.records.add(_record("x", n=0))
        with pytest.raises(ConflictError):
            store.records.add_many([_record("a"), _record("b"), _record("x")])
        assert store.records.count("things") == 1

    def test_collections_and_counts(self, store: Store) -> None:
        assert store.records.collections() == []
        store.records.add(Record(collection="b.two", key="1"))
        store.records.add(Record(collection="a-one", key="1"))
        store.records.add(Record(collection="a-one", key="2"))
        assert store.records.collections() == ["a-one", "b.two"]
        assert store.records.count("a-one") == 2
        assert store.records.count("zzz") == 0

    @pytest.mark.parametrize("key", ["", "a\nb", "x" * 513, "tab\there"])
    def test_bad_keys_are_refused(self, key: str) -> None:
        with pytest.raises(ValidationError):
            Record(collection="things", key=key)

    @pytest.mark.parametrize("collection", ["", "Upper", "../etc", "a b", "x" * 64])
    def test_bad_collections_are_refused(self, collection: str) -> None:
        with pytest.raises(ValidationError):
            Record(collection=collection, key="k")


class TransactionContract:
    """Units of work: all or nothing; a rolled-back number is not used up."""

    def test_commit_keeps_everything(self, store: Store) -> None:
        key = SequenceKey("t", ["commit"])
        with store.transaction(actor="văn thư") as uow:
            uow.records.add(_record("a", n=1))
            uow.records.add(_record("b", n=2))
            assert uow.sequences.allocate(key) == 1
            assert uow.records.get("things", "a").data == {"n": 1}
        assert store.records.count("things") == 2
        assert store.sequences.current(key) == 1

    def test_exception_rolls_everything_back(self, store: Store) -> None:
        key = SequenceKey("t", ["rollback"])
        store.records.add(_record("kept", n=0))
        head = store.audit.head()

        def failing() -> None:
            with store.transaction() as uow:
                uow.records.add(_record("a", n=1))
                uow.records.update(
                    Record(collection="things", key="kept", version=1, data={"n": 9})
                )
                uow.sequences.allocate(key)
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            failing()
        assert store.records.find("things", "a") is None
        assert store.records.get("things", "kept").data == {"n": 0}
        assert store.sequences.current(key) == 0
        assert store.sequences.allocate(key) == 1
        assert store.audit.head().sequence == head.sequence + 1

    def test_conflict_inside_a_transaction_rolls_back(self, store: Store) -> None:
        store.records.add(_record("a", n=1))

        def clashing() -> None:
            with store.transaction() as uow:
                uow.records.add(_record("b", n=1))
                uow.records.add(_record("a", n=2))

        with pytest.raises(ConflictError):
            clashing()
        assert store.records.find("things", "b") is None

    def test_nested_transactions_are_refused(self, store: Store) -> None:
        with store.transaction(), pytest.raises(ConflictError), store.transaction():
            pass  # pragma: no cover - never reached


class SequenceContract:
    """Gap-free counters per key."""

    def test_numbers_start_at_one_and_are_consecutive(self, store: Store) -> None:
        key = SequenceKey("register", ["000.00.00.H99", "outgoing", "main", "2026", "ordinary"])
        assert store.sequences.current(key) == 0
        assert [store.sequences.allocate(key) for _ in range(5)] == [1, 2, 3, 4, 5]
        assert store.sequences.current(key) == 5

    def test_keys_count_separately(self, store: Store) -> None:
        ordinary = SequenceKey("register", ["H99", "2026", "ordinary"])
        secret = SequenceKey("register", ["H99", "2026", "secret"])
        daily = SequenceKey("dossier", ["000.00.01.H99", "2026-01-05"])
        store.sequences.allocate(ordinary)
        store.sequences.allocate(ordinary)
        assert store.sequences.allocate(secret) == 1
        assert store.sequences.allocate(daily) == 1
        assert store.sequences.current(ordinary) == 2

    def test_a_registrar_numbers_through_the_store(self, store: Store) -> None:
        from egovkit.documents import Registrar
        from egovkit.testing.contracts.samples import outgoing_decision, outgoing_register

        registrar = Registrar(store.sequences)
        register = outgoing_register()
        numbers = [
            registrar.register_outgoing(
                register, outgoing_decision(day), issuer_abbreviation="UBND"
            ).number
            for day in (5, 6, 7)
        ]
        assert numbers == [1, 2, 3]


class RepositoryContract:
    """Documents and register entries over records."""

    def test_documents_round_trip_and_update(self, store: Store) -> None:
        from egovkit.testing.contracts.samples import outgoing_decision

        document = outgoing_decision(5)
        stored = store.documents.add(document, key="qd-1")
        assert store.documents.get("qd-1") == stored
        later = outgoing_decision(6)
        updated = store.documents.update(stored, later)
        assert updated.version == 2
        assert store.documents.get("qd-1").document == later
        with pytest.raises(ConflictError):
            store.documents.update(stored, document)
        generated = store.documents.add(document)
        assert sorted(d.key for d in store.documents.all()) == sorted(["qd-1", generated.key])

    def test_typed_repositories_plug_in_over_records(self, store: Store) -> None:
        from egovkit.storage.repositories import RecordDocuments
        from egovkit.testing.contracts.samples import outgoing_decision

        with store.transaction() as uow:
            stored = uow.repository(RecordDocuments).add(outgoing_decision(5), key="qd-2")
        assert store.repository(RecordDocuments).get("qd-2") == stored
        assert store.records.get("documents", "qd-2").version == 1

    def test_register_entries_are_unique_and_ordered(self, store: Store) -> None:
        import attrs

        from egovkit.documents import RegisterEntry
        from egovkit.testing.contracts.samples import outgoing_decision, outgoing_register

        register = outgoing_register()

        def entry(number: int, *, secret: bool = False) -> RegisterEntry:
            return RegisterEntry(
                register=register,
                year=2026,
                number=number,
                secret=secret,
                registered_on=dt.date(2026, 1, 5),
                document=outgoing_decision(5),
            )

        for number in (2, 10, 1):
            store.register_entries.record(entry(number))
        store.register_entries.record(entry(1, secret=True))
        with pytest.raises(ConflictError):
            store.register_entries.record(entry(2))
        listed = list(store.register_entries.entries(register, 2026, secret=False))
        assert [e.number for e in listed] == [1, 2, 10]
        assert listed[0] == entry(1)
        assert store.register_entries.get(register, 2026, 1, secret=True) == entry(1, secret=True)
        other = attrs.evolve(register, name="second")
        assert list(store.register_entries.entries(other, 2026, secret=False)) == []
        with pytest.raises(NotFoundError):
            store.register_entries.get(register, 2026, 3, secret=False)


__all__ = [
    "RecordContract",
    "RepositoryContract",
    "SequenceContract",
    "TransactionContract",
    "json_objects",
]
