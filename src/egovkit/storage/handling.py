"""Handling facts in SQL: the tables' rows come from :func:`egovkit.handling.facts.facts_of`,
the statements below answer :class:`~egovkit.handling.queries.HandlingQueries` on SQLite and
PostgreSQL alike (the rules are in :mod:`egovkit.handling.queries`; the contract tests compare
these answers with :class:`~egovkit.handling.queries.CaseQueries` on the same cases).

A backend that keeps the facts sets ``handling_facts = True`` on its session, stores the rows
:func:`project_handling` hands it in tables ``handling_cases`` and ``handling_tasks``, and runs
the statements of :func:`handling_statements` by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from egovkit.calendar import to_vietnam
from egovkit.handling.facts import (
    FAR_FUTURE,
    CaseRow,
    TaskRow,
    TextRow,
    facts_of,
    instant,
    micros,
)
from egovkit.handling.model import Flow, Level, Role, State
from egovkit.handling.queries import (
    ElectronicShare,
    HandlingQueries,
    OnTimeRate,
    Task,
    check_period,
)
from egovkit.handling.search import CaseSearch, SearchQuery, plain, split_number, words
from egovkit.handling.serialization import case_from_dict
from egovkit.ports import Record
from egovkit.text import clean, nfc

if TYPE_CHECKING:  # pragma: no cover
    from egovkit.storage.engine import Session


def handling_tables(
    *, prefix: str = "", text: str = "TEXT", dialect: str = "sqlite"
) -> tuple[str, ...]:
    """The table definitions (SQLite and PostgreSQL alike but for full text; BIGINT is an
    INTEGER to SQLite): table names start with ``prefix``; text columns are of type ``text``
    (PostgreSQL: ``TEXT COLLATE "C"``, so that text sorts in code-point order as SQLite's does);
    the words for search go to an FTS5 table (``dialect="sqlite"``) or a ``tsvector`` column
    with a GIN index (``"postgres"``)."""
    words = (
        f"""CREATE VIRTUAL TABLE {prefix}handling_text USING fts5(
            key UNINDEXED, subject, subject_folded, issuer, issuer_folded,
            tokenize = "unicode61 remove_diacritics 0"
        )"""
        if dialect == "sqlite"
        else f"""CREATE TABLE {prefix}handling_text (
            key {text} PRIMARY KEY,
            terms TSVECTOR NOT NULL
        )"""
    )
    extra = (
        ()
        if dialect == "sqlite"
        else (
            f"CREATE INDEX {prefix}handling_text_terms ON {prefix}handling_text USING GIN (terms)",
        )
    )
    return (
        f"""CREATE TABLE {prefix}handling_cases (
            key {text} PRIMARY KEY,
            flow INTEGER NOT NULL,
            state {text} NOT NULL,
            level {text} NOT NULL,
            electronic INTEGER NOT NULL,
            open INTEGER NOT NULL,
            opened_at BIGINT NOT NULL,
            completed_at BIGINT NOT NULL,
            issued_at BIGINT NOT NULL,
            number {text} NOT NULL,
            notation {text} NOT NULL,
            document_type {text} NOT NULL,
            day INTEGER NOT NULL
        )""",
        f"""CREATE TABLE {prefix}handling_tasks (
            key {text} NOT NULL,
            ordinal INTEGER NOT NULL,
            unit {text} NOT NULL,
            person {text} NOT NULL,
            role {text} NOT NULL,
            due_at BIGINT NOT NULL,
            PRIMARY KEY (key, ordinal)
        )""",
        f"CREATE INDEX {prefix}handling_tasks_unit ON {prefix}handling_tasks (unit, due_at)",
        f"CREATE INDEX {prefix}handling_tasks_person ON {prefix}handling_tasks (person, due_at)",
        f"CREATE INDEX {prefix}handling_cases_completed ON {prefix}handling_cases (completed_at)",
        f"CREATE INDEX {prefix}handling_cases_number ON {prefix}handling_cases (number, notation)",
        f"CREATE INDEX {prefix}handling_cases_day ON {prefix}handling_cases (day)",
        words,
        *extra,
    )


def handling_statements(
    mark: Callable[[str], str], *, prefix: str = "", dialect: str = "sqlite"
) -> dict[str, str]:
    """The statements by name: ``tasks`` (queues, overdue, due soon), ``on_time``, ``share``,
    ``search`` and ``search_text`` (with words), over the tables of :func:`handling_tables`
    (names starting with ``prefix``); ``mark(name)`` writes a named parameter."""
    cases, tasks_table = f"{prefix}handling_cases", f"{prefix}handling_tasks"
    text_table = f"{prefix}handling_text"
    unit, person, low, high = mark("unit"), mark("person"), mark("low"), mark("high")
    start, end, ranged = mark("start"), mark("end"), mark("ranged")
    tasks = f"""SELECT t.key, t.ordinal, t.unit, t.person, t.role, t.due_at, c.state
FROM {tasks_table} t JOIN {cases} c ON c.key = t.key
WHERE c.open = 1 AND c.flow = 0
  AND ({unit} = '' OR t.unit = {unit}) AND ({person} = '' OR t.person = {person})
  AND ({ranged} = 0 OR (t.role <> 'information' AND t.due_at >= {low} AND t.due_at < {high}))
ORDER BY t.due_at, t.key, t.ordinal"""  # noqa: S608 - only marks are interpolated
    # the period's completed cases first (their index), then their tasks: SQLite keeps the
    # order of a CROSS JOIN, PostgreSQL plans it itself
    join = "CROSS JOIN" if dialect == "sqlite" else "JOIN"
    on_time = f"""SELECT t.unit, count(*), count(*) FILTER (WHERE c.completed_at <= t.due_at)
FROM {cases} c {join} {tasks_table} t ON t.key = c.key
WHERE c.flow = 0 AND t.role = 'in_charge' AND c.completed_at >= {start} AND c.completed_at < {end}
GROUP BY t.unit
ORDER BY t.unit"""  # noqa: S608
    received = f"flow = 0 AND opened_at >= {start} AND opened_at < {end}"
    sent = f"flow = 1 AND issued_at >= {start} AND issued_at < {end}"
    share = f"""SELECT level,
  count(*) FILTER (WHERE {received}),
  count(*) FILTER (WHERE {received} AND electronic = 1),
  count(*) FILTER (WHERE {sent}),
  count(*) FILTER (WHERE {sent} AND electronic = 1)
FROM {cases}
WHERE ({received}) OR ({sent})
GROUP BY level"""  # noqa: S608
    search = f"""SELECT c.key FROM {cases} c
WHERE ({mark("flow")} < 0 OR c.flow = {mark("flow")})
  AND ({mark("state")} = '' OR c.state = {mark("state")})
  AND ({mark("number")} = '' OR c.number = {mark("number")})
  AND ({mark("notation")} = '' OR c.notation = {mark("notation")})
  AND ({mark("any_type")} = 1 OR c.document_type = {mark("document_type")})
  AND c.day >= {mark("day_from")} AND c.day <= {mark("day_to")}
  AND ({mark("person")} = '' OR EXISTS (SELECT 1 FROM {tasks_table} t WHERE t.key = c.key
       AND t.role = 'in_charge' AND t.person = {mark("person")}))"""  # noqa: S608
    # only table names and parameter marks are interpolated below
    matching = (
        f"c.key IN (SELECT key FROM {text_table} WHERE {text_table} MATCH {mark('words')})"  # noqa: S608
        if dialect == "sqlite"
        else f"""EXISTS (SELECT 1 FROM {text_table} x WHERE x.key = c.key
       AND x.terms @@ CAST({mark("words")} AS tsquery))"""  # noqa: S608
    )
    return {
        "tasks": tasks,
        "on_time": on_time,
        "share": share,
        "search": f"{search}\nORDER BY c.key",
        "search_text": f"{search}\n  AND {matching}\nORDER BY c.key",
    }


#: The prefix of each field's lexemes in PostgreSQL's one ``terms`` vector.
_FIELDS: Final = ("s", "sf", "i", "if")


def postgres_terms(row: TextRow) -> list[str]:
    """The lexemes of a text row for PostgreSQL's ``terms`` vector (``field:word``)."""
    return [f"{field}:{word}" for field, text in zip(_FIELDS, row[1:], strict=True)
            for word in text.split()]  # fmt: skip


def _text_query(query: SearchQuery, dialect: str) -> str:
    """The full-text query of the query's words: an FTS5 MATCH expression or a tsquery."""
    wanted: list[tuple[str, str]] = []
    for field, text in (("subject", query.text), ("issuer", query.issuer)):
        for word in words(text):
            wanted.append((field if not plain(word) else f"{field}_folded", word))
    if dialect == "sqlite":
        return " AND ".join(f'{column}:"{word}"' for column, word in wanted)
    short = {"subject": "s", "subject_folded": "sf", "issuer": "i", "issuer_folded": "if"}
    return " & ".join(f"'{short[column]}:{word}'" for column, word in wanted)


def project_handling(session: Session, records: Sequence[Record]) -> None:
    """Hand ``session`` the fact rows of the handling cases just written."""
    cases: list[CaseRow] = []
    tasks: list[TaskRow] = []
    texts: list[TextRow] = []
    for record in records:
        row, lines, text = facts_of(case_from_dict(record.data))
        cases.append(row)
        tasks += lines
        texts.append(text)
    session.put_handling_facts(cases, tasks, texts)


def _due(value: int) -> datetime | None:
    found = instant(value)
    return None if found is None else to_vietnam(found, where="due")


class SqlHandlingQueries(HandlingQueries):
    """:class:`~egovkit.handling.queries.HandlingQueries` answered by a backend's statements
    (``run(name, parameters)`` returns the rows)."""

    def __init__(self, run: Callable[[str, Mapping[str, object]], list[tuple[Any, ...]]]) -> None:
        self._run = run

    def _tasks(
        self, unit: str, person: str, *, low: int = 0, high: int = 0, ranged: bool = False
    ) -> list[Task]:
        rows = self._run(
            "tasks",
            {"unit": unit, "person": person, "low": low, "high": high, "ranged": int(ranged)},
        )
        return [
            Task(
                case=str(key),
                ordinal=int(ordinal),
                unit=str(unit_),
                person=str(person_),
                role=Role(role),
                due=_due(int(due)),
                state=State(state),
            )
            for key, ordinal, unit_, person_, role, due, state in rows
        ]

    def work_queue(self, *, unit: str = "", person: str = "") -> list[Task]:
        return self._tasks(unit, person)

    def overdue(self, at: datetime, *, unit: str = "", person: str = "") -> list[Task]:
        at = to_vietnam(at, where="at")
        return self._tasks(unit, person, low=-FAR_FUTURE, high=micros(at), ranged=True)

    def due_soon(
        self, at: datetime, until: datetime, *, unit: str = "", person: str = ""
    ) -> list[Task]:
        at, until = check_period(at, until)
        return self._tasks(unit, person, low=micros(at), high=micros(until) + 1, ranged=True)

    def on_time_rates(self, start: datetime, end: datetime) -> list[OnTimeRate]:
        start, end = check_period(start, end)
        rows = self._run("on_time", {"start": micros(start), "end": micros(end)})
        return [
            OnTimeRate(unit=str(unit), completed=int(done), on_time=int(kept))
            for unit, done, kept in rows
        ]

    def electronic_share(self, start: datetime, end: datetime) -> list[ElectronicShare]:
        start, end = check_period(start, end)
        rows = self._run("share", {"start": micros(start), "end": micros(end)})
        found = {
            Level(level): ElectronicShare(
                level=Level(level),
                received=int(a),
                received_electronic=int(b),
                sent=int(c),
                sent_electronic=int(d),
            )
            for level, a, b, c, d in rows
        }
        return [found[level] for level in Level if level in found]


class SqlCaseSearch(CaseSearch):
    """:class:`~egovkit.handling.search.CaseSearch` answered by a backend's full text."""

    def __init__(
        self, run: Callable[[str, Mapping[str, object]], list[tuple[Any, ...]]], *, dialect: str
    ) -> None:
        self._run = run
        self._dialect = dialect

    def search(self, query: SearchQuery) -> list[str]:
        number = split_number(query.number)[0] if query.number else ""
        parameters: dict[str, object] = {
            "flow": -1 if query.flow is None else (0 if query.flow is Flow.INCOMING else 1),
            "state": "" if query.state is None else query.state.value,
            "number": number,
            "notation": clean(query.notation),
            "any_type": int(query.document_type is None),
            "document_type": nfc(query.document_type or ""),
            "day_from": query.date_from.toordinal() if query.date_from else 0,
            "day_to": query.date_to.toordinal() if query.date_to else 10**7,
            "person": query.person,
        }
        text = _text_query(query, self._dialect)
        if text:
            parameters["words"] = text
        rows = self._run("search_text" if text else "search", parameters)
        return [str(row[0]) for row in rows]


__all__ = [
    "SqlCaseSearch",
    "SqlHandlingQueries",
    "handling_statements",
    "handling_tables",
    "postgres_terms",
    "project_handling",
]
