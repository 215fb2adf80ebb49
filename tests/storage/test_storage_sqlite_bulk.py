"""SQLite bulk path: the rowid ``records`` table (schema step 3) and its upgrade from step 2,
the hand-written audit hashing and JSON encoding of :meth:`add_many` against their reference
forms in :mod:`egovkit.ports`."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.errors import ConflictError, StorageError
from egovkit.ports import (
    GENESIS,
    AuditHead,
    Record,
    SequenceKey,
    Store,
    canonical_json,
    chain,
    verify_chain,
)
from egovkit.storage import open_store
from egovkit.storage.engine import Change, EngineStore, audit_rows, canonical_body
from egovkit.storage.migrations import Migration
from egovkit.storage.sqlite import MIGRATIONS, RECORDS_WITH_ROWID, SqliteEngine
from egovkit.testing.contracts import StoreContract, StoreFixtures

BEFORE_ROWID = tuple(m for m in MIGRATIONS if m.version < RECORDS_WITH_ROWID.version)
WITH_ROWID = (*BEFORE_ROWID, RECORDS_WITH_ROWID)


def _store(path: Path, migrations: tuple[Migration, ...]) -> EngineStore:
    return EngineStore(SqliteEngine(path, migrations=migrations))


def _records_sql(path: Path) -> str:
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT sql FROM sqlite_master WHERE name = 'records'").fetchone()
    db.close()
    return str(row[0])


def _everything(store: Store) -> list[Record]:
    return [r for c in store.records.collections() for r in store.records.scan(c)]


def test_upgrade_from_the_previous_schema_keeps_every_record(tmp_path: Path) -> None:
    path = tmp_path / "egov.db"
    with _store(path, BEFORE_ROWID) as old:
        old.records.add_many(
            Record(collection=c, key=f"k{i:03d}", data={"i": i, "tên": "Sở Nội vụ", "pad": "x" * i})
            for c in ("documents", "entries")
            for i in range(300)
        )
        original = old.records.get("documents", "k007")
        changed = old.records.update(attrs.evolve(original, data={"i": -7}))
        old.records.delete(old.records.get("entries", "k100"))
        old.sequences.allocate(SequenceKey("so", ["2026"]))
        before, head = _everything(old), old.audit.verify()
    assert "WITHOUT ROWID" in _records_sql(path)

    upgraded = _store(path, WITH_ROWID)
    with upgraded as new:
        assert isinstance(upgraded.engine, SqliteEngine)
        assert upgraded.engine.schema_version() == RECORDS_WITH_ROWID.version
        assert _everything(new) == before
        assert new.records.get("documents", "k007").version == changed.version == 2
        assert new.records.find("entries", "k100") is None
        assert new.audit.verify() == head
        # the unique index keeps the old rules: a duplicate key conflicts, a stale write too
        with pytest.raises(ConflictError) as caught:
            new.records.add(Record(collection="documents", key="k001"))
        assert caught.value.code == "record.exists"
        with pytest.raises(ConflictError) as stale:
            new.records.update(original)
        assert stale.value.code == "record.stale"
        assert new.records.count("documents") == 300
        assert new.records.count("entries") == 299
    sql = _records_sql(path)
    assert "WITHOUT ROWID" not in sql
    assert "records_rowid" not in sql
    with sqlite3.connect(path) as db:
        index = db.execute("SELECT sql FROM sqlite_master WHERE name = 'records_key'").fetchone()
        assert index[0].startswith("CREATE UNIQUE INDEX")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 3
    db.close()


def test_a_failed_upgrade_leaves_the_previous_schema(tmp_path: Path) -> None:
    path = tmp_path / "egov.db"
    with _store(path, BEFORE_ROWID) as old:
        old.records.add(Record(collection="documents", key="a", data={"n": 1}))
    broken = Migration(
        version=RECORDS_WITH_ROWID.version,
        description="fails half-way",
        statements=(*RECORDS_WITH_ROWID.statements[:3], "SELECT no_such_function()"),
    )
    with pytest.raises(StorageError, match="no_such_function"):
        _store(path, (*BEFORE_ROWID, broken))
    assert "WITHOUT ROWID" in _records_sql(path)
    with _store(path, BEFORE_ROWID) as again:
        assert again.records.get("documents", "a").data == {"n": 1}


class RowidFixtures(StoreFixtures):
    """SQLite at schema step 3 (one process: workers would open the file with the default
    steps, which do not include step 3 yet)."""

    def open_store(self, place: Path) -> Store:
        return _store(place / "egov.db", WITH_ROWID)


class TestSqliteRowidStore(StoreContract, RowidFixtures):
    pass


# --------------------------------------------------------------------------- the bulk path

_text = st.text(max_size=12)
_json: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200)
@given(data=st.dictionaries(_text, _json, max_size=6))
def test_canonical_body_is_canonical_json(data: dict[str, Any]) -> None:
    assert canonical_body(data) == canonical_json(data)


def test_canonical_body_fails_like_canonical_json() -> None:
    loop: dict[str, Any] = {}
    loop["self"] = loop
    bad: list[tuple[dict[str, Any], type[Exception], str]] = [
        (loop, ValueError, "Circular reference"),
        ({"when": dt.date(2026, 1, 5)}, TypeError, "not JSON serializable"),
        ({"set": {1}}, TypeError, "not JSON serializable"),
    ]
    for data, error, message in bad:
        with pytest.raises(error, match=message):
            canonical_json(data)
        with pytest.raises(error, match=message):
            canonical_body(data)
    for odd in ({2: "x", 1: "y"}, {1.5: "x"}, {"a": None, "n": float("nan"), "t": True}):
        assert canonical_body(odd) == canonical_json(odd)
    mixed = {2: "x", "a": "y"}  # keys that cannot be sorted
    with pytest.raises(TypeError):
        canonical_json(mixed)
    with pytest.raises(TypeError):
        canonical_body(mixed)


_digest = st.none() | st.text(alphabet="0123456789abcdef", min_size=64, max_size=64) | _text
_change = st.tuples(
    st.sampled_from(["add", "update", "delete", "allocate", "dossier.transition"]),
    _text,
    _text,
    st.integers(min_value=0, max_value=10**6),
    _digest,
    _digest,
    st.none() | _text,
)


@settings(max_examples=150)
@given(
    changes=st.lists(_change, min_size=1, max_size=8),
    sequence=st.integers(min_value=0, max_value=10**9),
    actor=_text,
    at=st.datetimes(timezones=st.just(dt.UTC)),
)
def test_audit_rows_hash_like_the_reference_chain(
    changes: list[tuple[str, str, str, int, str | None, str | None, str | None]],
    sequence: int,
    actor: str,
    at: dt.datetime,
) -> None:
    head = AuditHead(sequence=sequence, hash=GENESIS if sequence == 0 else "f" * 64)
    rows = list(audit_rows(head, changes, at=at, actor=actor))
    entries = chain(
        head, [c[:6] for c in changes], at=at, actor=actor, actors=[c[6] for c in changes]
    )
    assert rows == [
        (
            e.sequence,
            e.at.isoformat(),
            e.actor,
            e.action,
            e.collection,
            e.key,
            e.version,
            e.before,
            e.after,
            e.previous,
            e.hash,
        )
        for e in entries
    ]


def test_named_and_plain_changes_hash_alike() -> None:
    plain = ("add", "documents", "d1", 1, None, "a" * 64, None)
    at = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    head = AuditHead(sequence=0, hash=GENESIS)
    assert list(audit_rows(head, [Change(*plain)], at=at, actor="x")) == list(
        audit_rows(head, [plain], at=at, actor="x")
    )


@pytest.mark.parametrize("url", ["memory://", "sqlite"])
def test_a_bulk_import_audits_each_record_like_single_adds(tmp_path: Path, url: str) -> None:
    records = [
        Record(collection=c, key=f"k{i}", data={"i": i, "text": 'Quyết định\n"số"'})
        for i in range(50)
        for c in ("documents", "entries")
    ]

    def opened(name: str) -> Store:
        return open_store(url if url != "sqlite" else f"sqlite:///{tmp_path / name}")

    with opened("bulk.db") as bulk, opened("single.db") as single:
        with bulk.transaction(actor="importer") as uow:
            uow.sequences.allocate(SequenceKey("so", ["2026"]))
            assert uow.records.add_many(records) == len(records)
            uow.records.add(Record(collection="documents", key="after", data={}))
        with single.transaction(actor="importer") as uow:
            uow.sequences.allocate(SequenceKey("so", ["2026"]))
            for record in records:
                uow.records.add(record)
            uow.records.add(Record(collection="documents", key="after", data={}))

        def shape(store: Store) -> list[tuple[object, ...]]:
            return [
                (e.sequence, e.actor, e.action, e.collection, e.key, e.version, e.before, e.after)
                for e in store.audit.entries()
            ]

        assert shape(bulk) == shape(single)
        assert verify_chain(bulk.audit.entries()) == bulk.audit.head()
        assert [e.after for e in bulk.audit.entries()][1:-1] == [r.digest() for r in records]
        assert _everything(bulk) == _everything(single)


def test_a_bulk_import_with_a_duplicate_writes_nothing(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'egov.db'}") as store:
        store.records.add(Record(collection="documents", key="k3"))
        head = store.audit.head()
        with pytest.raises(ConflictError) as caught:
            store.records.add_many(Record(collection="documents", key=f"k{i}") for i in range(9))
        assert caught.value.code == "record.exists"
        assert store.records.count("documents") == 1
        assert store.audit.head() == head
        with pytest.raises(ConflictError) as stale:
            store.records.add_many([store.records.get("documents", "k3")])
        assert stale.value.code == "record.not_new"


@pytest.mark.parametrize("url", ["memory://", "sqlite"])
def test_a_dossier_record_without_facts_fails_in_bulk_as_alone(tmp_path: Path, url: str) -> None:
    """Facts are taken before the transaction; data without them still fails on SQLite (which
    keeps facts) and is stored on memory (which does not), exactly as a single add."""
    odd = Record(collection="dossiers", key="x", data={"not": "a dossier"})
    fine = Record(collection="documents", key="d", data={})

    def opened(name: str) -> Store:
        return open_store(url if url == "memory://" else f"sqlite:///{tmp_path / name}")

    failure: type[BaseException] | None = None
    with opened("alone.db") as alone:
        try:
            alone.records.add(odd)
        except Exception as exc:
            failure = type(exc)
    with opened("bulk.db") as bulk:
        if url == "memory://":
            assert failure is None
            assert bulk.records.add_many([fine, odd]) == 2
            assert bulk.records.get("dossiers", "x").data == odd.data
        else:
            assert failure is not None
            with pytest.raises(failure):
                bulk.records.add_many([fine, odd])
            assert bulk.records.collections() == []
            assert bulk.audit.head().sequence == 0
