"""The case-file contracts against the embedded stores: memory (queries in Python) and SQLite
(queries in SQL over the records' JSON bodies)."""

from __future__ import annotations

from pathlib import Path

from egovkit.ports import Store
from egovkit.storage import open_store
from egovkit.testing.contracts.case_files import CaseFileContract
from egovkit.testing.contracts.fixtures import StoreFixtures


class MemoryFixtures(StoreFixtures):
    def open_store(self, place: Path) -> Store:
        return open_store("memory://")


class SqliteFixtures(StoreFixtures):
    def open_store(self, place: Path) -> Store:
        return open_store(f"sqlite:///{place / 'egov.db'}?synchronous=normal")


class TestMemoryCaseFiles(CaseFileContract, MemoryFixtures):
    pass


class TestSqliteCaseFiles(CaseFileContract, SqliteFixtures):
    pass
