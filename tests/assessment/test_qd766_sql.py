"""Decision 766 counts in SQL (``DossierRepository.qd766_counts``) equal the Python ones on the
fixed population of test_qd766_store, including dossiers SQL leaves to Python."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import attrs
import pytest

from egovkit.assessment.qd766_dossiers import ProcedureFees, count_qd766, fee_predicate
from egovkit.calendar import VIETNAM_TZ
from egovkit.dossiers import Dossier
from egovkit.storage import open_store
from egovkit.storage.sqlite import QD766_COLUMNS

from .test_qd766_store import CALENDAR, population

PERIODS = [
    (date(2026, 3, 1), date(2026, 3, 31), None),
    (date(2026, 3, 1), date(2026, 3, 31), datetime(2026, 3, 10, 12, tzinfo=VIETNAM_TZ)),
    (date(2026, 3, 5), date(2026, 3, 11), None),
    (date(2026, 1, 1), date(2026, 12, 31), datetime(2026, 3, 4, 9, tzinfo=VIETNAM_TZ)),
    (date(2026, 3, 11), date(2026, 3, 11), None),
]


def _by_catalogue(code: str, day: date, listed: bool) -> bool:
    return listed or day.day % 2 == 1


def _check(path: Path, dossiers: list[Dossier]) -> None:
    with open_store(f"sqlite:///{path}") as store:
        for start, end, as_of in PERIODS:
            for agencies in (None, ["000.00.01.H53", "000.00.09.H53"]):
                fees: ProcedureFees | None
                for fees in (None, _by_catalogue):
                    expected = count_qd766(
                        dossiers,
                        start=start,
                        end=end,
                        as_of=as_of,
                        agencies=agencies,
                        fee_bearing=fee_predicate(fees),
                        calendar=CALENDAR,
                    )
                    got = store.dossiers.qd766_counts(
                        start=start,
                        end=end,
                        as_of=as_of,
                        agencies=agencies,
                        fees=fees,
                        calendar=CALENDAR,
                    )
                    assert got == expected, (start, end, as_of, agencies, fees)


def _ready_rows(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        row = db.execute("SELECT count(*) FROM dossier_facts WHERE qd766_ready = 1").fetchone()
        return int(row[0])
    finally:
        db.close()


def test_sql_counts_equal_python_on_the_fixed_population(tmp_path: Path) -> None:
    path = tmp_path / "egov.db"
    dossiers = population()
    with open_store(f"sqlite:///{path}") as store:
        store.dossiers.add_many(dossiers)
    assert _ready_rows(path) == sum(d.appointed_at is not None for d in dossiers) > 0
    _check(path, dossiers)


def test_dossiers_without_an_appointed_instant_are_counted_in_python(tmp_path: Path) -> None:
    path = tmp_path / "egov.db"
    dossiers = population()
    # the limit comes from the processing time and the calendar: Python decides
    dossiers[0] = attrs.evolve(dossiers[0], appointed_at=None)
    dossiers[-1] = attrs.evolve(dossiers[-1], appointed_at=None)
    with open_store(f"sqlite:///{path}") as store:
        store.dossiers.add_many(dossiers)
    assert _ready_rows(path) == sum(d.appointed_at is not None for d in dossiers)
    _check(path, dossiers)


def test_rows_written_before_the_qd766_step_are_counted_in_python(tmp_path: Path) -> None:
    path = tmp_path / "egov.db"
    dossiers = population()
    with open_store(f"sqlite:///{path}") as store:
        store.dossiers.add_many(dossiers)
    # what the step leaves in rows written before it: its column defaults
    defaults = ", ".join(
        f"{name} = {chr(39) * 2 if name == 'procedure' else 0}" for name in QD766_COLUMNS
    )
    db = sqlite3.connect(path)
    try:
        with db:
            db.execute(f"UPDATE dossier_facts SET {defaults} WHERE rowid % 2 = 0")
    finally:
        db.close()
    assert 0 < _ready_rows(path) < sum(d.appointed_at is not None for d in dossiers)
    _check(path, dossiers)


@pytest.mark.parametrize("shift", [timedelta(0), timedelta(days=40)])
def test_memory_store_counts_the_same(shift: timedelta) -> None:
    dossiers = population()
    start, end = date(2026, 3, 1) + shift, date(2026, 3, 31) + shift
    with open_store("memory://") as store:
        store.dossiers.add_many(dossiers)
        got = store.dossiers.qd766_counts(start=start, end=end, calendar=CALENDAR)
    assert got == count_qd766(dossiers, start=start, end=end, calendar=CALENDAR)


def test_a_store_from_before_the_paper_step_upgrades_and_counts_the_same(tmp_path: Path) -> None:
    """A file at schema step 4 (qd766 facts, no Decree 45 paper columns) opens at step 5 (the
    paper columns and the partial index of undecided rows are added) and counts as Python."""
    from egovkit.storage.sqlite import MIGRATIONS
    from egovkit.testing.contracts.dossiers import paper_population

    path = tmp_path / "egov.db"
    db = sqlite3.connect(path)
    try:
        with db:
            db.execute(
                "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                "description TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            for migration in MIGRATIONS[:4]:
                for statement in migration.statements:
                    db.execute(statement)
                db.execute(
                    "INSERT INTO schema_version VALUES (?, ?, '2026-01-01')",
                    (migration.version, migration.description),
                )
    finally:
        db.close()
    old = population()
    papers = paper_population()
    with open_store(f"sqlite:///{path}") as store:
        store.dossiers.add_many([*old, *papers])
        got = store.dossiers.qd766_counts(start=date(2026, 3, 1), end=date(2026, 3, 31))
    expected = count_qd766([*old, *papers], start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert got == expected
    assert sum(c.reused for c in got.values()) == 2
