"""The handling contracts against the embedded stores: memory (queries in Python) and SQLite
(queries in SQL, compared with the Python recomputation)."""

from __future__ import annotations

from pathlib import Path

from egovkit.ports import Store
from egovkit.storage import open_store
from egovkit.testing.contracts import StoreFixtures
from egovkit.testing.contracts.handling import HandlingContract


class MemoryFixtures(StoreFixtures):
    def open_store(self, place: Path) -> Store:
        return open_store("memory://")


class SqliteFixtures(StoreFixtures):
    def open_store(self, place: Path) -> Store:
        return open_store(f"sqlite:///{place / 'egov.db'}?synchronous=normal")


class TestMemoryHandling(HandlingContract, MemoryFixtures):
    pass


class TestSqliteHandling(HandlingContract, SqliteFixtures):
    def test_the_sqlite_store_answers_in_sql(self, store: Store) -> None:
        from egovkit.handling import HandlingStore
        from egovkit.storage.handling import SqlHandlingQueries

        assert isinstance(HandlingStore(store).queries, SqlHandlingQueries)
