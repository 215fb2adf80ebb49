"""The storage contract suites against the embedded backends: memory and SQLite."""

from __future__ import annotations

from pathlib import Path

from egovkit.ports import Store
from egovkit.storage import open_store
from egovkit.testing.contracts import StoreContract, StoreFixtures


class MemoryFixtures(StoreFixtures):
    def open_store(self, place: Path) -> Store:
        return open_store("memory://")


class SqliteFixtures(StoreFixtures):
    multiprocess = True

    def open_store(self, place: Path) -> Store:
        return open_store(self.store_url(place))

    def store_url(self, place: Path) -> str:
        return f"sqlite:///{place / 'egov.db'}"


class TestMemoryStore(StoreContract, MemoryFixtures):
    pass


class TestSqliteStore(StoreContract, SqliteFixtures):
    pass
