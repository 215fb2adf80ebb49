"""The dossier contracts against the embedded stores: memory (statistics in Python) and SQLite
(statistics in SQL, codes allocated by 8 processes at once)."""

from __future__ import annotations

from pathlib import Path

from egovkit.ports import Store
from egovkit.storage import open_store
from egovkit.testing.contracts import StoreFixtures
from egovkit.testing.contracts.dossiers import DossierConcurrencyContract, DossierContract


class MemoryFixtures(StoreFixtures):
    def open_store(self, place: Path) -> Store:
        return open_store("memory://")


class SqliteFixtures(StoreFixtures):
    multiprocess = True

    def open_store(self, place: Path) -> Store:
        return open_store(self.store_url(place))

    def store_url(self, place: Path) -> str:
        return f"sqlite:///{place / 'egov.db'}?synchronous=normal"


class TestMemoryDossiers(DossierContract, MemoryFixtures):
    pass


class TestSqliteDossiers(DossierContract, SqliteFixtures):
    pass


class TestSqliteDossierCodes(DossierConcurrencyContract, SqliteFixtures):
    pass
