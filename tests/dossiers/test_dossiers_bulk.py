"""The dossier bulk path (``add_many``) writes exactly what the plain path writes.

Its shortcuts exist only for speed (benchmarks/bench_storage.py): the code written without
strftime, transition digests taken from the dossier's JSON form, dossier facts taken from the
dossier instead of its JSON. Each is compared here with what it replaces: ``strftime``,
:func:`~egovkit.dossiers.persistence.transition_digest`, and the store rows and audit entries
of the plain path (records added one by one through the generic record path).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovkit.dossiers import Dossier, DossierCode, dossier_to_dict
from egovkit.dossiers.persistence import repository, transition_digest
from egovkit.ports import Record, canonical_json, sha256_hex
from egovkit.storage import open_store
from egovkit.testing.contracts.dossiers import edge_population
from egovkit.testing.strategies import agency_codes
from egovkit.testing.strategies.dossiers import dossiers

from ._support import CALENDAR

_POPULATIONS = st.lists(
    dossiers(CALENDAR, first=date(2025, 6, 1), last=date(2026, 6, 30), max_actions=5),
    max_size=8,
    unique_by=lambda d: str(d.code),
)


@settings(max_examples=300, deadline=None)
@given(
    agency_codes(),
    st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    st.integers(min_value=1, max_value=123_456),
)
def test_code_text_is_the_strftime_text(agency: Any, day: date, number: int) -> None:
    code = DossierCode(agency=agency, day=day, number=number)
    assert str(code) == f"{agency}-{day:%y%m%d}-{number:04d}"
    assert DossierCode.parse(str(code)) == code


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossiers(CALENDAR, first=date(2025, 6, 1), last=date(2026, 6, 30), max_actions=8))
def test_entry_digests_are_transition_digests(dossier: Dossier) -> None:
    data = dossier_to_dict(dossier)
    assert repository._entry_digests(dossier.history, data["history"]) == [
        (repository.ACTION_PREFIX + r.event, transition_digest(r), r.actor) for r in dossier.history
    ]


def test_an_unusual_entry_takes_the_general_encoder() -> None:
    dossier = edge_population()[0][0]
    data = dossier_to_dict(dossier)
    entries = [{**entry, "reason": 42} for entry in data["history"]]
    digests = repository._entry_digests(dossier.history, entries)
    expected = [
        sha256_hex(canonical_json({**e, "dossier": r.dossier}).encode("utf-8"))
        for r, e in zip(dossier.history, entries, strict=True)
    ]
    assert [d for _, d, _ in digests] == expected


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    db = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        # Audit rows differ only by the instant they were written and the hashes chained on it.
        found = {
            t: sorted(db.execute(f'SELECT * FROM "{t}"'))
            for t in tables
            if t not in ("audit", "schema_version", "audit_head")
        }
        found["audit"] = list(
            db.execute("SELECT actor, action, collection, key, version, before, after FROM audit")
        )
        return found
    finally:
        db.close()


def _plain_add_many(store: Any, population: list[Dossier]) -> None:
    """The path before issue 19: the generic record bulk insert, then each transition logged
    with transition_digest (facts read back from the JSON form by the store)."""
    with store.transaction() as uow:
        uow.records.add_many(
            Record(collection="dossiers", key=str(d.code), data=dossier_to_dict(d))
            for d in population
        )
        for dossier in population:
            for record in dossier.history:
                uow.log_event(
                    action=repository.ACTION_PREFIX + record.event,
                    collection="dossiers",
                    key=str(dossier.code),
                    version=1,
                    digest=transition_digest(record),
                    actor=record.actor,
                )


@pytest.mark.parametrize("population", [edge_population()[0]], ids=["edge population"])
def test_bulk_load_writes_the_rows_of_the_plain_path(
    tmp_path: Path, population: list[Dossier]
) -> None:
    _compare(tmp_path, population)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(_POPULATIONS)
def test_bulk_load_of_any_population_writes_the_rows_of_the_plain_path(
    tmp_path: Path, population: list[Dossier]
) -> None:
    _compare(tmp_path, population)


def _compare(tmp_path: Path, population: list[Dossier]) -> None:
    place = tmp_path / f"run{len(list(tmp_path.iterdir()))}"
    place.mkdir()
    with open_store(f"sqlite:///{place / 'bulk.db'}") as bulk:
        assert bulk.dossiers.add_many(population) == len(population)
    with open_store(f"sqlite:///{place / 'plain.db'}") as plain:
        _plain_add_many(plain, population)
    bulk_rows, plain_rows = _rows(place / "bulk.db"), _rows(place / "plain.db")
    assert bulk_rows == plain_rows
    assert len(bulk_rows["dossier_facts"]) == len(population)
