"""The SQLite schema step of case files: a store made before it migrates forward with its files
intact, and a query by year and unit reads the partial index instead of every record."""

from __future__ import annotations

from pathlib import Path

from egovkit.records import CaseFileQuery
from egovkit.storage import open_store
from egovkit.storage.case_file_sql import CaseFileFilter, case_file_select
from egovkit.storage.case_files import case_files
from egovkit.storage.engine import EngineStore
from egovkit.storage.sqlite import CASE_FILE_INDEX, MIGRATIONS, SqliteEngine
from egovkit.testing.contracts.case_files import case_file


def test_an_older_store_migrates_forward(tmp_path: Path) -> None:
    path = tmp_path / "egov.db"
    before = MIGRATIONS[: CASE_FILE_INDEX.version - 1]
    engine = SqliteEngine(path, migrations=before)
    old = EngineStore(engine)
    case_files(old).add(case_file("01.VP", unit="TCCB"))
    assert engine.schema_version() == CASE_FILE_INDEX.version - 1
    old.close()
    with open_store(f"sqlite:///{path}") as store:
        assert isinstance(store, EngineStore)
        assert isinstance(store.engine, SqliteEngine)
        assert store.engine.schema_version() == len(MIGRATIONS)  # every later step too
        found = case_files(store).query(CaseFileQuery(year=2026, unit="TCCB"))
        assert [s.key for s in found] == ["000.00.00.H99.2026.01.VP"]


def test_a_query_by_year_and_unit_uses_the_index(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'egov.db'}") as store:
        assert isinstance(store, EngineStore)
        sql, params = case_file_select(
            CaseFileFilter(year=2026, unit="VP"),
            table="records",
            field=lambda name: f"json_extract(body, '$.{name}')",
            mark=lambda name: f":{name}",
        )
        engine = store.engine
        assert isinstance(engine, SqliteEngine)
        plan = " ".join(
            str(row[-1]) for row in engine.connection.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        )
    assert "records_case_files" in plan
