"""The SQL of the case-file queries (:mod:`egovkit.records`), shared by SQLite and PostgreSQL.

Case files are records of the ``case_files`` collection whose JSON body carries ``agency``,
``year``, ``unit``, ``state``, ``retention`` and ``sources`` (see
:func:`~egovkit.records.serialization.case_file_to_dict`); the backends query the body with
their JSON functions, over a partial index on (year, unit) made by one migration step each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

#: The collection case files are stored in.
CASE_FILES = "case_files"


class CaseFileFilter(NamedTuple):
    """A case-file query as plain values (``retention``: ``"permanent"`` or a number of years,
    as the body holds it; ``None``: any)."""

    agency: str | None = None
    year: int | None = None
    unit: str | None = None
    creator: str | None = None
    retention: str | int | None = None
    state: str | None = None


def case_file_select(
    wanted: CaseFileFilter,
    *,
    table: str,
    field: Callable[[str], str],
    mark: Callable[[str], str],
    text_values: bool = False,
) -> tuple[str, dict[str, object]]:
    """The statement listing the case files ``wanted`` asks for, and its parameters.

    ``field(name)`` extracts a top-level key of the JSON body; ``mark(name)`` writes a named
    parameter; ``text_values`` compares as text (PostgreSQL's ``->>``). The statement has no
    ``ORDER BY``: sorting by key would make the planner walk the key index instead of the
    (year, unit) one, so the caller sorts the (few) rows."""
    conditions = [f"collection = '{CASE_FILES}'"]
    params: dict[str, object] = {}
    for name, value in wanted._asdict().items():
        if value is None:
            continue
        conditions.append(f"{field(name)} = {mark(name)}")
        params[name] = str(value) if text_values else value
    sql = f"SELECT key, version, body FROM {table} WHERE {' AND '.join(conditions)}"  # noqa: S608 - constants and marks only
    return sql, params


__all__ = ["CASE_FILES", "CaseFileFilter", "case_file_select"]
