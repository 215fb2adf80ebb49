"""egovkit-postgres against a throwaway server: the handling contracts (work queues, overdue,
on-time rates and electronic shares counted in SQL equal the Python recomputation) and the
schema step that adds the handling facts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from egovkit.handling import HandlingStore
from egovkit.ports import Store
from egovkit.storage import open_store
from egovkit.storage.handling import SqlCaseSearch, SqlHandlingQueries
from egovkit.testing.contracts import StoreFixtures
from egovkit.testing.contracts.handling import HandlingContract
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


class TestPostgresHandling(HandlingContract, PostgresFixtures):
    def test_the_postgres_store_answers_in_sql(self, store: Store) -> None:
        assert isinstance(HandlingStore(store).queries, SqlHandlingQueries)
        assert isinstance(HandlingStore(store).search, SqlCaseSearch)


def test_one_schema_step_adds_the_handling_facts() -> None:
    (step,) = [m for m in MIGRATIONS if m.description.startswith("handling facts")]
    assert any("egovkit_handling_tasks" in s for s in step.statements)
