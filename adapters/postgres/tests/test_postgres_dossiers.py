"""egovkit-postgres against a throwaway server: the dossier contracts (statistics counted in
SQL equal the Python ones; codes unique per unit and day with 8 processes) and the schema step
that adds the dossier facts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from egovkit.ports import Store
from egovkit.storage import open_store
from egovkit.testing.contracts import StoreFixtures
from egovkit.testing.contracts.dossiers import (
    DossierConcurrencyContract,
    DossierContract,
    edge_population,
)
from egovkit.testing.tools import require
from egovkit_postgres.schema import MIGRATIONS
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


class TestPostgresDossiers(DossierContract, PostgresFixtures):
    pass


class TestPostgresDossierCodes(DossierConcurrencyContract, PostgresFixtures):
    pass


def test_facts_are_rows_of_their_own_table(cluster: ThrowawayCluster) -> None:
    url = cluster.new_database()
    population, _ = edge_population()
    with open_store(url) as store:
        store.dossiers.add_many(population)
    with psycopg.connect(url) as conn:
        versions = conn.execute("SELECT version FROM egovkit_schema_version ORDER BY 1").fetchall()
        facts = conn.execute("SELECT count(*) FROM egovkit_dossier_facts").fetchone()
        pauses = conn.execute("SELECT count(*) FROM egovkit_dossier_pauses").fetchone()
    assert versions == [(v,) for v in range(1, len(MIGRATIONS) + 1)]
    assert facts == (len(population),)
    assert pauses == (sum(len(d.pauses) for d in population),)
