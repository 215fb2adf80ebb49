"""The default store: one SQLite file (WAL journal, foreign keys, busy timeout, full sync),
with blobs in a directory next to it.

Several processes may open the same file: every write transaction starts with
``BEGIN IMMEDIATE``, so writers queue (up to the busy timeout) instead of failing half-way, and
counters stay gap-free. URL: ``sqlite:///relative.db`` or ``sqlite:////absolute/path.db``, with
optional query parameters ``blobs`` (a directory, or a blob-store URL), ``timeout`` (seconds)
and ``synchronous`` (``full`` — the default — or ``normal``).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from egovkit.errors import ConfigurationError, ConflictError, StorageError
from egovkit.ports import GENESIS, AuditEntry, AuditHead, BlobStore, DossierCountQuery
from egovkit.storage.blobs import FileBlobStore
from egovkit.storage.case_file_sql import CASE_FILES, CaseFileFilter, case_file_select
from egovkit.storage.engine import (
    AuditRow,
    Engine,
    EngineStore,
    FactRow,
    PauseRow,
    Qd766Rows,
    Row,
    Session,
    audit_entry_from_row,
    dossier_count_parameters,
    dossier_count_sql,
    fetch_qd766_rows,
    qd766_count_sql,
)
from egovkit.storage.handling import handling_statements, handling_tables
from egovkit.storage.migrations import Migration, pending

_FACT_COLUMNS = (
    "received_at, closed_at, closed_kind, closed_day, due_at, due_day, channel, "
    "pause_from, pause_until, key"
)
_INSERT_FACTS = f"INSERT OR REPLACE INTO dossier_facts VALUES ({', '.join('?' * 30)})"  # noqa: S608
_COUNT_QD766 = qd766_count_sql(
    facts="dossier_facts",
    mark=lambda name: f":{name}",
    grouped=False,
    scan="NOT INDEXED",
    unready="INDEXED BY dossier_facts_unready",
)
_COUNT_DOSSIERS = {
    role: dossier_count_sql(
        role,
        facts="dossier_facts",
        pauses="dossier_pauses",
        mark=lambda name: f":{name}",
        fence="LIMIT -1 OFFSET 0",
    )
    for role in ("competent", "receiving")
}

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        version=1,
        description="records, counters and the audit chain",
        statements=(
            """CREATE TABLE records (
                collection TEXT NOT NULL,
                key TEXT NOT NULL,
                version INTEGER NOT NULL CHECK (version >= 1),
                body TEXT NOT NULL,
                PRIMARY KEY (collection, key)
            ) WITHOUT ROWID""",
            """CREATE TABLE sequences (
                key TEXT PRIMARY KEY,
                value INTEGER NOT NULL CHECK (value >= 0)
            ) WITHOUT ROWID""",
            """CREATE TABLE audit (
                sequence INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                collection TEXT NOT NULL,
                key TEXT NOT NULL,
                version INTEGER NOT NULL,
                before TEXT,
                after TEXT,
                previous TEXT NOT NULL,
                hash TEXT NOT NULL
            )""",
            """CREATE TABLE audit_head (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                sequence INTEGER NOT NULL,
                hash TEXT NOT NULL
            )""",
            "INSERT INTO audit_head (id, sequence, hash) VALUES (1, 0, '" + GENESIS + "')",  # noqa: S608
        ),
    ),
    Migration(
        version=2,
        description="dossier facts and pauses, for statistics counted in SQL",
        statements=(
            """CREATE TABLE dossier_facts (
                key TEXT PRIMARY KEY,
                competent TEXT NOT NULL,
                receiving TEXT NOT NULL,
                channel INTEGER NOT NULL,
                status TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                closed_at INTEGER NOT NULL,
                closed_kind INTEGER NOT NULL,
                closed_day INTEGER NOT NULL,
                due_at INTEGER NOT NULL,
                due_day INTEGER NOT NULL,
                pause_from INTEGER NOT NULL,
                pause_until INTEGER NOT NULL
            )""",
            # covering indexes: a report reads one index range and nothing else
            f"CREATE INDEX dossier_facts_competent ON dossier_facts (competent, {_FACT_COLUMNS})",
            f"CREATE INDEX dossier_facts_receiving ON dossier_facts (receiving, {_FACT_COLUMNS})",
            """CREATE TABLE dossier_pauses (
                key TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                ended_at INTEGER NOT NULL
            )""",
            "CREATE INDEX dossier_pauses_key ON dossier_pauses (key, started_at)",
            # dossier records written before this version get their facts on their next save
        ),
    ),
)

#: Step 3: ``records`` as a rowid table with a unique index on (collection, key). A
#: ``WITHOUT ROWID`` table keeps whole rows in its key's B-tree, where SQLite keeps at most about
#: a quarter of a page inline: a body of 1 KB or more (a dossier) spills onto an overflow page of
#: its own, nearly empty, which triples the file and more than doubles the time of a bulk load.
RECORDS_WITH_ROWID = Migration(
    version=3,
    description="records in a rowid table with a unique (collection, key) index",
    statements=(
        """CREATE TABLE records_rowid (
            collection TEXT NOT NULL,
            key TEXT NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 1),
            body TEXT NOT NULL
        )""",
        "INSERT INTO records_rowid (collection, key, version, body) "
        "SELECT collection, key, version, body FROM records ORDER BY collection, key",
        "DROP TABLE records",
        "ALTER TABLE records_rowid RENAME TO records",
        # built once over sorted rows, after the copy
        "CREATE UNIQUE INDEX records_key ON records (collection, key)",
    ),
)

#: The qd766 columns of ``dossier_facts``, in row order (as
#: :data:`egovkit.dossiers.persistence.facts.QD766_COLUMNS`).
QD766_COLUMNS = (
    "qd766_ready",
    "appointed_at",
    "supplement_at",
    "supplement_done",
    "second_supplement_at",
    "fee_listed",
    "zero_fee",
    "paid_online_at",
    "procedure",
    "received_day",
    "result_at",
    "file_result_at",
    "attachments",
)

#: Step 4: the qd766 facts of each dossier (see :mod:`egovkit.dossiers.persistence.facts`).
#: Rows written before it have ``qd766_ready = 0`` until their dossier is saved again: those
#: dossiers are counted in Python.
QD766_FACTS = Migration(
    version=4,
    description="qd766 facts of each dossier, for Decision 766 counts in SQL",
    statements=tuple(
        f"ALTER TABLE dossier_facts ADD COLUMN {name} "
        + ("TEXT NOT NULL DEFAULT ''" if name == "procedure" else "INTEGER NOT NULL DEFAULT 0")
        for name in QD766_COLUMNS
    ),
)

#: The Decree 45/2020 paper columns of ``dossier_facts`` (as
#: :data:`egovkit.dossiers.persistence.facts.PAPER_COLUMNS`): recorded, reused, national,
#: and the first instant a result was kept in the data store (the far future when none).
PAPER_COLUMNS = ("papers", "reused_paper", "national_paper", "stored_result_at")
#: The far future of :data:`egovkit.dossiers.persistence.facts.FAR_FUTURE`, for old rows.
_NEVER = 2**62

#: Step 5: the Decree 45 paper facts of each dossier (qd766 group 4 counted in SQL). Rows
#: written before it record no paper data, which is what the defaults say.
PAPER_FACTS = Migration(
    version=5,
    description="Decree 45 paper facts of each dossier, for qd766 group 4 in SQL",
    statements=(
        *(
            f"ALTER TABLE dossier_facts ADD COLUMN {name} INTEGER NOT NULL DEFAULT "
            + (str(_NEVER) if name == "stored_result_at" else "0")
            for name in PAPER_COLUMNS
        ),
        # the dossiers qd766 leaves to Python, found without reading the table
        "CREATE INDEX dossier_facts_unready ON dossier_facts (key) WHERE qd766_ready = 0",
    ),
)


#: Step 6: a partial index on the year and unit of case files (:mod:`egovkit.records`), which
#: are queried in their JSON bodies (:func:`~egovkit.storage.case_file_sql.case_file_select`).
CASE_FILE_INDEX = Migration(
    version=6,
    description="case files (records): index on year and unit",
    statements=(
        "CREATE INDEX records_case_files ON records "
        "(json_extract(body, '$.year'), json_extract(body, '$.unit')) "
        f"WHERE collection = '{CASE_FILES}'",
    ),
)


#: Step 7: the facts of handling cases (:mod:`egovkit.storage.handling`). Cases written before
#: it get their rows on their next save.
HANDLING_FACTS = Migration(
    version=7,
    description="handling facts: cases and tasks, for work queues and rates in SQL",
    statements=handling_tables(),
)

MIGRATIONS = (
    *MIGRATIONS,
    RECORDS_WITH_ROWID,
    QD766_FACTS,
    PAPER_FACTS,
    CASE_FILE_INDEX,
    HANDLING_FACTS,
)
_HANDLING_SQL = handling_statements(lambda name: f":{name}")

_AUDIT_COLUMNS = (
    "sequence, at, actor, action, collection, key, version, before, after, previous, hash"
)
_INSERT_AUDIT = f"INSERT INTO audit ({_AUDIT_COLUMNS}) VALUES ({', '.join('?' * 11)})"  # noqa: S608
_SELECT_AUDIT = f"SELECT {_AUDIT_COLUMNS} FROM audit WHERE sequence >= ? ORDER BY sequence LIMIT ?"  # noqa: S608


def _literal(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _error(exc: sqlite3.Error, where: str) -> StorageError:
    text = str(exc)
    code = "sqlite.busy" if "locked" in text or "busy" in text else "sqlite.error"
    return StorageError(f"SQLite failed: {text}", code=code, where=where)


class _SqliteSession(Session):
    def __init__(self, engine: SqliteEngine, *, write: bool) -> None:
        self._engine = engine
        self._db = engine.connection
        engine.lock.acquire()
        self._open = True
        try:
            self._db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.Error as exc:
            self._end()
            raise _error(exc, engine.where) from exc

    def _end(self) -> None:
        if self._open:
            self._open = False
            self._engine.lock.release()

    def _run(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, params)
        except sqlite3.Error as exc:
            raise _error(exc, self._engine.where) from exc

    def get(self, collection: str, key: str, *, lock: bool = False) -> tuple[int, str] | None:
        row = self._run(
            "SELECT version, body FROM records WHERE collection = ? AND key = ?", (collection, key)
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def insert(self, collection: str, rows: Sequence[Row]) -> None:
        # the collection is written into the statement (quoted), so that the rows bind as they
        # are instead of being copied into 100,000 new tuples by a bulk import
        sql = (
            "INSERT INTO records (collection, key, version, body) "  # noqa: S608 - quoted literal
            f"VALUES ({_literal(collection)}, ?, ?, ?)"
        )
        try:
            self._db.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise ConflictError(
                f"a record key already exists in {collection!r}",
                code="record.exists",
                where=collection,
            ) from exc
        except sqlite3.Error as exc:
            raise _error(exc, self._engine.where) from exc

    def replace(self, collection: str, row: Row) -> None:
        key, version, body = row
        self._run(
            "UPDATE records SET version = ?, body = ? WHERE collection = ? AND key = ?",
            (version, body, collection, key),
        )

    def remove(self, collection: str, key: str) -> None:
        self._run("DELETE FROM records WHERE collection = ? AND key = ?", (collection, key))

    def scan(self, collection: str, prefix: str, after: str, limit: int) -> list[Row]:
        # One lower bound only: given two (key > ? AND key >= ?) SQLite seeks to the first
        # and walks the index from there, so a prefix scan cost as much as every key before it.
        if prefix and after < prefix:
            sql = "SELECT key, version, body FROM records WHERE collection = ? AND key >= ?"
            params: list[Any] = [collection, prefix]
        else:
            sql = "SELECT key, version, body FROM records WHERE collection = ? AND key > ?"
            params = [collection, after]
        if prefix:
            sql += " AND key < ?"
            params.append(prefix + "\U0010ffff")
        sql += " ORDER BY key LIMIT ?"
        params.append(limit)
        return [(r[0], r[1], r[2]) for r in self._run(sql, params)]

    def count(self, collection: str) -> int:
        row = self._run("SELECT count(*) FROM records WHERE collection = ?", (collection,))
        return int(row.fetchone()[0])

    def collections(self) -> list[str]:
        return [r[0] for r in self._run("SELECT DISTINCT collection FROM records ORDER BY 1")]

    def allocate(self, key: str) -> int:
        row = self._run(
            "INSERT INTO sequences (key, value) VALUES (?, 1) "
            "ON CONFLICT (key) DO UPDATE SET value = value + 1 RETURNING value",
            (key,),
        ).fetchone()
        return int(row[0])

    def current(self, key: str) -> int:
        row = self._run("SELECT value FROM sequences WHERE key = ?", (key,)).fetchone()
        return 0 if row is None else int(row[0])

    def sequences(self) -> list[tuple[str, int]]:
        return [(r[0], r[1]) for r in self._run("SELECT key, value FROM sequences ORDER BY key")]

    def set_sequences(self, values: Sequence[tuple[str, int]]) -> None:
        try:
            self._db.executemany("INSERT INTO sequences (key, value) VALUES (?, ?)", values)
        except sqlite3.Error as exc:
            raise _error(exc, self._engine.where) from exc

    def audit_head(self, *, lock: bool = False) -> AuditHead:
        row = self._run("SELECT sequence, hash FROM audit_head WHERE id = 1").fetchone()
        return AuditHead(sequence=row[0], hash=row[1])

    def append_audit(self, entries: Sequence[AuditEntry]) -> None:
        self._insert_audit(entries)
        last = entries[-1]
        self._run(
            "UPDATE audit_head SET sequence = ?, hash = ? WHERE id = 1", (last.sequence, last.hash)
        )

    def append_audit_rows(self, rows: Iterable[AuditRow], *, at: dt.datetime) -> None:
        last: AuditRow | None = None

        def remembered() -> Iterator[AuditRow]:  # hashed one by one while they are written
            nonlocal last
            for last in rows:  # noqa: UP028 - keeps the last row: the new head
                yield last

        try:
            self._db.executemany(_INSERT_AUDIT, remembered())
        except sqlite3.IntegrityError as exc:
            raise ConflictError(
                "the audit chain moved on meanwhile", code="audit.race", where="audit"
            ) from exc
        except sqlite3.Error as exc:
            raise _error(exc, self._engine.where) from exc
        if last is not None:
            self._run(
                "UPDATE audit_head SET sequence = ?, hash = ? WHERE id = 1", (last[0], last[10])
            )

    def _insert_audit(self, entries: Sequence[AuditEntry]) -> None:
        stamps: dict[int, str] = {}  # one transaction's entries share one datetime object

        def _stamp(at: dt.datetime) -> str:
            text = stamps.get(id(at))
            if text is None:
                text = stamps[id(at)] = at.isoformat()
            return text

        try:
            self._db.executemany(
                _INSERT_AUDIT,
                [
                    (
                        e.sequence,
                        _stamp(e.at),
                        e.actor,
                        e.action,
                        e.collection,
                        e.key,
                        e.version,
                        e.before,
                        e.after,
                        e.previous,
                        e.hash,
                    )
                    for e in entries
                ],
            )
        except sqlite3.IntegrityError as exc:
            raise ConflictError(
                "the audit chain moved on meanwhile", code="audit.race", where="audit"
            ) from exc
        except sqlite3.Error as exc:
            raise _error(exc, self._engine.where) from exc

    def audit_entries(self, start: int, limit: int) -> list[AuditEntry]:
        rows = self._run(
            _SELECT_AUDIT,
            (start, limit),
        )
        return [audit_entry_from_row(r) for r in rows]

    def replace_audit(self, entries: Sequence[AuditEntry], head: AuditHead) -> None:
        self._run("DELETE FROM audit")
        if entries:
            self._insert_audit(entries)
        self._run(
            "UPDATE audit_head SET sequence = ?, hash = ? WHERE id = 1", (head.sequence, head.hash)
        )

    dossier_facts = True

    def put_dossier_facts(self, facts: Sequence[FactRow], pauses: Sequence[PauseRow]) -> None:
        try:
            self._db.executemany(
                "DELETE FROM dossier_pauses WHERE key = ?", [(row[0],) for row in facts]
            )
            self._db.executemany(_INSERT_FACTS, facts)
            self._db.executemany("INSERT INTO dossier_pauses VALUES (?, ?, ?)", pauses)
        except sqlite3.Error as exc:
            raise _error(exc, self._engine.where) from exc

    def remove_dossier_facts(self, keys: Sequence[str]) -> None:
        try:
            self._db.executemany("DELETE FROM dossier_facts WHERE key = ?", [(k,) for k in keys])
            self._db.executemany("DELETE FROM dossier_pauses WHERE key = ?", [(k,) for k in keys])
        except sqlite3.Error as exc:
            raise _error(exc, self._engine.where) from exc

    def count_dossiers(self, query: DossierCountQuery) -> dict[str, int]:
        sql, names = _COUNT_DOSSIERS[query.role]
        row = self._run(sql, dossier_count_parameters(query)).fetchone()
        return {name: int(value) for name, value in zip(names, row, strict=True)}

    qd766_facts = True

    def count_qd766(self, start: int, cut: int) -> Qd766Rows:
        return fetch_qd766_rows(self._run, _COUNT_QD766, start, cut, grouped=False)

    # -- case files (egovkit.records)

    case_file_query = True

    def select_case_files(self, wanted: CaseFileFilter) -> list[Row]:
        sql, params = case_file_select(
            wanted,
            table="records",
            field=lambda name: f"json_extract(body, '$.{name}')",
            mark=lambda name: f":{name}",
        )
        return [(r[0], r[1], r[2]) for r in self._run(sql, params)]

    def case_files_holding(self, source: str) -> list[Row]:
        rows = self._run(
            "SELECT key, version, body FROM records WHERE collection = ? AND EXISTS "
            "(SELECT 1 FROM json_each(records.body, '$.sources') WHERE value = ?) ORDER BY key",
            (CASE_FILES, source),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    # -- handling facts (egovkit.storage.handling)

    handling_facts = True

    def put_handling_facts(
        self,
        cases: Sequence[tuple[Any, ...]],
        tasks: Sequence[tuple[Any, ...]],
        texts: Sequence[tuple[Any, ...]],
    ) -> None:
        keys = [(row[0],) for row in cases]
        try:
            self._db.executemany("DELETE FROM handling_tasks WHERE key = ?", keys)
            self._db.executemany("DELETE FROM handling_text WHERE key = ?", keys)
            self._db.executemany(
                f"INSERT OR REPLACE INTO handling_cases VALUES ({', '.join('?' * 13)})",  # noqa: S608
                cases,
            )
            self._db.executemany("INSERT INTO handling_tasks VALUES (?, ?, ?, ?, ?, ?)", tasks)
            self._db.executemany("INSERT INTO handling_text VALUES (?, ?, ?, ?, ?)", texts)
        except sqlite3.Error as exc:
            raise _error(exc, self._engine.where) from exc

    def remove_handling_facts(self, keys: Sequence[str]) -> None:
        try:
            for table in ("handling_cases", "handling_tasks", "handling_text"):
                self._db.executemany(
                    f"DELETE FROM {table} WHERE key = ?",  # noqa: S608 - constant names
                    [(k,) for k in keys],
                )
        except sqlite3.Error as exc:
            raise _error(exc, self._engine.where) from exc

    def handling_rows(self, name: str, parameters: Mapping[str, object]) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self._run(_HANDLING_SQL[name], parameters).fetchall()]

    def commit(self) -> None:
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise _error(exc, self._engine.where) from exc
        finally:
            if not self._db.in_transaction:
                self._end()

    def rollback(self) -> None:
        if not self._open:
            return
        try:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
        finally:
            self._end()


class SqliteEngine(Engine):
    """One connection to one SQLite file, shared by the threads of a process under a lock.

    ``migrations``: the schema steps to bring the file to (by default all of
    ``MIGRATIONS``; a test creates a file at an older schema with a prefix of them).
    """

    scheme = "sqlite"

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        blobs: BlobStore | None = None,
        timeout: float = 30.0,
        synchronous: str = "full",
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> None:
        if synchronous not in {"full", "normal"}:
            raise ConfigurationError(
                f"synchronous must be 'full' or 'normal', not {synchronous!r}",
                code="sqlite.synchronous",
                where="synchronous",
            )
        self.path = Path(path)
        self.where = str(self.path)
        self.lock = threading.RLock()
        self._migrations = tuple(migrations)
        try:
            self.connection = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise _error(exc, self.where) from exc
        try:
            self.connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self.connection.execute("PRAGMA journal_mode = WAL")
            self.connection.execute(f"PRAGMA synchronous = {synchronous.upper()}")
            self.connection.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except BaseException as exc:  # a failed or refused migration: leave no open file
            self.connection.close()
            if isinstance(exc, sqlite3.Error):
                raise _error(exc, self.where) from exc
            raise
        self._blobs = blobs if blobs is not None else FileBlobStore(f"{self.path}.blobs")

    def _migrate(self) -> None:
        db = self.connection
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            current = db.execute("SELECT coalesce(max(version), 0) FROM schema_version")
            steps = pending(self._migrations, int(current.fetchone()[0]), where=self.where)
            for migration in steps:
                for statement in migration.statements:
                    db.execute(statement)
                db.execute(
                    "INSERT INTO schema_version VALUES (?, ?, ?)",
                    (
                        migration.version,
                        migration.description,
                        dt.datetime.now(dt.UTC).isoformat(),
                    ),
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def schema_version(self) -> int:
        """The version of the schema in the file."""
        with self.lock:
            row = self.connection.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0])

    def begin(self, *, write: bool) -> Session:
        return _SqliteSession(self, write=write)

    @property
    def blobs(self) -> BlobStore:
        return self._blobs

    def close(self) -> None:
        with self.lock:
            self.connection.close()
        self._blobs.close()


def sqlite_path(url: str) -> tuple[Path, dict[str, str]]:
    """The file path and the query options of a ``sqlite:///…`` URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "sqlite" or parts.netloc or not parts.path.startswith("/"):
        raise ConfigurationError(
            f"an SQLite URL looks like sqlite:///relative.db or sqlite:////absolute.db: {url!r}",
            code="store.url",
            where="url",
        )
    path = urllib.parse.unquote(parts.path[1:])
    if not path:
        raise ConfigurationError("an SQLite URL needs a file path", code="store.url", where="url")
    options = dict(urllib.parse.parse_qsl(parts.query, strict_parsing=False))
    return Path(path), options


def open_sqlite(url: str, *, blobs: BlobStore | None = None, **options: Any) -> EngineStore:
    """Open (creating and migrating if needed) the SQLite store at ``url``."""
    path, query = sqlite_path(url)
    unknown = set(query) - {"blobs", "timeout", "synchronous"}
    if unknown:
        raise ConfigurationError(
            f"unknown SQLite URL options: {', '.join(sorted(unknown))}",
            code="store.url_option",
            where="url",
        )
    if blobs is None and "blobs" in query:
        from egovkit.storage.registry import blob_store_option

        blobs = blob_store_option(query["blobs"])
    try:
        timeout = float(query.get("timeout", "30"))
    except ValueError as exc:
        raise ConfigurationError(
            "timeout must be a number of seconds", code="store.url_option", where="timeout"
        ) from exc
    engine = SqliteEngine(
        path, blobs=blobs, timeout=timeout, synchronous=query.get("synchronous", "full")
    )
    return EngineStore(engine, **options)


__all__ = ["MIGRATIONS", "RECORDS_WITH_ROWID", "SqliteEngine", "open_sqlite", "sqlite_path"]
