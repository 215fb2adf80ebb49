"""egovkit-postgres against a throwaway server: the storage contracts, COPY, migrations, URLs,
and restoring an SQLite backup into PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from egovkit.errors import ConfigurationError, ConflictError, StorageError
from egovkit.ports import Record, Store
from egovkit.storage import backup, open_store, restore
from egovkit.testing.contracts import OutboxWorkersContract, StoreContract, StoreFixtures
from egovkit.testing.contracts.backup import contents, fill
from egovkit.testing.tools import require
from egovkit_postgres.schema import MIGRATIONS
from egovkit_postgres.store import COPY_THRESHOLD, PostgresEngine, split_url
from egovkit_postgres.testing import ThrowawayCluster, find_bin_dir


@pytest.fixture(scope="module")
def cluster() -> Iterator[ThrowawayCluster]:
    require(find_bin_dir(), "PostgreSQL server binaries", install="Debian package postgresql")
    with ThrowawayCluster() as running:
        yield running


class PostgresFixtures(StoreFixtures):
    multiprocess = True
    server: ThrowawayCluster

    @pytest.fixture(autouse=True)
    def _server(self, cluster: ThrowawayCluster) -> None:
        self.server = cluster

    def open_store(self, place: Path) -> Store:
        return open_store(self.store_url(place))

    def store_url(self, place: Path) -> str:
        return self.server.new_database()


class TestPostgresStore(StoreContract, PostgresFixtures):
    pass


class TestPostgresOutboxWorkers(OutboxWorkersContract, PostgresFixtures):
    """4 exchange workers on one PostgreSQL store, claiming with FOR UPDATE SKIP LOCKED."""


def test_bulk_inserts_use_copy_and_stay_all_or_nothing(cluster: ThrowawayCluster) -> None:
    with open_store(cluster.new_database()) as store:
        count = COPY_THRESHOLD * 3
        store.records.add_many(
            Record(collection="bulk", key=f"k{i:05d}", data={"i": i}) for i in range(count)
        )
        assert store.records.count("bulk") == count
        duplicate = [Record(collection="bulk", key=f"n{i:05d}") for i in range(count)]
        duplicate.append(Record(collection="bulk", key="k00001"))
        with pytest.raises(ConflictError) as caught:
            store.records.add_many(duplicate)
        assert caught.value.code == "record.exists"
        assert store.records.count("bulk") == count
        assert store.audit.verify().sequence == count


def test_migrations_are_recorded_once(cluster: ThrowawayCluster) -> None:
    url = cluster.new_database()
    with open_store(url):
        pass
    with open_store(url) as again:
        assert isinstance(again, object)
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT version FROM egovkit_schema_version ORDER BY 1").fetchall()
    assert rows == [(v,) for v in range(1, len(MIGRATIONS) + 1)]
    assert len(MIGRATIONS) >= 3


def test_a_newer_schema_refuses_to_open(cluster: ThrowawayCluster) -> None:
    url = cluster.new_database()
    with open_store(url):
        pass
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO egovkit_schema_version (version, description) VALUES (99, 'x')")
    with pytest.raises(ConfigurationError) as caught:
        PostgresEngine(url)
    assert caught.value.code == "storage.schema_too_new"


def test_url_options_are_kept_from_libpq() -> None:
    conninfo, ours = split_url("postgresql://u@h/db?sslmode=require&pool_max=8&blobs=file:///b")
    assert conninfo == "postgresql://u@h/db?sslmode=require"
    assert ours == {"pool_max": "8", "blobs": "file:///b"}
    with pytest.raises(ConfigurationError):
        split_url("mysql://u@h/db")


def test_an_unreachable_server_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as caught:
        open_store(f"postgresql://nobody@/nothing?host={tmp_path}&port=1&pool_timeout=1")
    assert caught.value.code == "postgres.connection"


def test_the_entry_point_serves_both_schemes() -> None:
    from egovkit.storage.registry import store_factory
    from egovkit_postgres import open_postgres

    assert store_factory("postgresql") is open_postgres
    assert store_factory("postgres") is open_postgres


def test_sqlite_backup_restores_into_postgresql(cluster: ThrowawayCluster, tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'district.db'}") as source:
        fill(source)
        manifest = backup(source, tmp_path / "district.tar.gz")
        with open_store(cluster.new_database()) as target:
            restore(target, tmp_path / "district.tar.gz", expect_head=manifest.head.hash)
            assert contents(target) == contents(source)
            assert target.audit.verify() == source.audit.head()
