"""egovkit-postgres against a throwaway server: the case-file contracts (queries and membership
answered in SQL over the JSON bodies) and the schema step that indexes case files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from egovkit.ports import Store
from egovkit.storage import open_store
from egovkit.testing.contracts.case_files import CaseFileContract
from egovkit.testing.contracts.fixtures import StoreFixtures
from egovkit_postgres.schema import MIGRATIONS
from egovkit_postgres.testing import ThrowawayCluster, find_bin_dir


@pytest.fixture(scope="module")
def cluster() -> Iterator[ThrowawayCluster]:
    if find_bin_dir() is None:
        pytest.skip("PostgreSQL server binaries are not installed (Debian package 'postgresql')")
    with ThrowawayCluster() as running:
        yield running


class PostgresFixtures(StoreFixtures):
    server: ThrowawayCluster

    @pytest.fixture(autouse=True)
    def _server(self, cluster: ThrowawayCluster) -> None:
        self.server = cluster

    def open_store(self, place: Path) -> Store:
        return open_store(self.server.new_database())


class TestPostgresCaseFiles(CaseFileContract, PostgresFixtures):
    pass


def test_case_file_index_is_one_schema_step(cluster: ThrowawayCluster) -> None:
    url = cluster.new_database()
    with open_store(url):
        pass
    step = [m for m in MIGRATIONS if "case files" in m.description]
    assert len(step) == 1
    with psycopg.connect(url) as conn:
        names = {
            row[0]
            for row in conn.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'egovkit_records'"
            )
        }
    assert "egovkit_records_case_files" in names
