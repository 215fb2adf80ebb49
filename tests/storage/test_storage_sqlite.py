"""SQLite specifics: pragmas, schema migrations, threads."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from egovkit.errors import ConfigurationError
from egovkit.ports import Record, SequenceKey
from egovkit.storage import open_store
from egovkit.storage.engine import EngineStore
from egovkit.storage.migrations import Migration, pending
from egovkit.storage.sqlite import MIGRATIONS, SqliteEngine


def test_pragmas_and_schema_version(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'egov.db'}?timeout=5") as store:
        assert isinstance(store, EngineStore)
        engine = store.engine
        assert isinstance(engine, SqliteEngine)
        db = engine.connection
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert engine.schema_version() == len(MIGRATIONS)


def test_migrations_apply_once(tmp_path: Path) -> None:
    path = tmp_path / "egov.db"
    for _ in range(3):
        with open_store(f"sqlite:///{path}") as store:
            store.records.add_many([Record(collection="c", key=f"k{store.records.count('c')}")])
    with sqlite3.connect(path) as db:
        versions = db.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
        assert versions == [(v,) for v in range(1, len(MIGRATIONS) + 1)]
        assert len(MIGRATIONS) >= 3
        assert db.execute("SELECT count(*) FROM records").fetchone()[0] == 3
    db.close()


def test_a_newer_schema_refuses_to_open(tmp_path: Path) -> None:
    path = tmp_path / "egov.db"
    open_store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO schema_version VALUES (99, 'future', 'x')")
    db.close()
    with pytest.raises(ConfigurationError) as caught:
        open_store(f"sqlite:///{path}")
    assert caught.value.code == "storage.schema_too_new"


def test_pending_migrations() -> None:
    steps = [Migration(version=n, description="", statements=()) for n in (1, 2, 3)]
    assert [m.version for m in pending(steps, 1, where="x")] == [2, 3]
    assert pending(steps, 3, where="x") == []
    with pytest.raises(ConfigurationError):
        pending([steps[0], steps[2]], 0, where="x")


def test_threads_share_a_store_safely(tmp_path: Path) -> None:
    key = SequenceKey("t", ["threads"])
    with open_store(f"sqlite:///{tmp_path / 'egov.db'}") as store:
        taken: list[int] = []
        lock = threading.Lock()

        def work() -> None:
            for _ in range(50):
                number = store.sequences.allocate(key)
                with lock:
                    taken.append(number)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(taken) == list(range(1, 201))
        assert store.audit.verify().sequence == 200
