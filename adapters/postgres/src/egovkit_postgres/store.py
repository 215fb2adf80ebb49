"""The PostgreSQL engine: the same semantics as the embedded stores, for a province's scale.

Transactions come from a connection pool; write transactions lock the rows they change
(``SELECT … FOR UPDATE``), counters are single rows updated in place (gap-free: a rolled-back
number is given again), and the audit head is locked last, at commit. Bulk inserts use COPY.
Blobs go to two tables (chunks of 1 MiB) unless another blob store is given.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg_pool import ConnectionPool

from egovkit.errors import ConfigurationError, ConflictError, NotFoundError, StorageError
from egovkit.ports import (
    AuditEntry,
    AuditHead,
    BlobRef,
    BlobSource,
    BlobStore,
    DossierCountQuery,
    IntegrityError,
    check_digest,
    iter_chunks,
)
from egovkit.storage.case_file_sql import CASE_FILES, CaseFileFilter, case_file_select
from egovkit.storage.claims import LEASE_OWNER, LEASE_UNTIL, is_free, leased
from egovkit.storage.engine import (
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
from egovkit.storage.handling import handling_statements, postgres_terms
from egovkit.storage.migrations import pending
from egovkit.storage.sqlite import PAPER_COLUMNS, QD766_COLUMNS
from egovkit_postgres.schema import MIGRATIONS

#: Rows from which an insert switches from executemany to COPY.
COPY_THRESHOLD = 64
_MIGRATION_LOCK = 0x6567_6F76  # "egov": serialises concurrent migrations
_AUDIT_COLUMNS = (
    "sequence, at, actor, action, collection, key, version, before, after, previous, hash"
)


_FACT_NAMES = (
    "key",
    "competent",
    "receiving",
    "channel",
    "status",
    "received_at",
    "closed_at",
    "closed_kind",
    "closed_day",
    "due_at",
    "due_day",
    "pause_from",
    "pause_until",
    *QD766_COLUMNS,
    *PAPER_COLUMNS,
)
_PUT_FACTS = (
    f"INSERT INTO egovkit_dossier_facts ({', '.join(_FACT_NAMES)}) "  # noqa: S608
    f"VALUES ({', '.join(['%s'] * len(_FACT_NAMES))}) "
    "ON CONFLICT (key) DO UPDATE SET "
    + ", ".join(f"{name} = EXCLUDED.{name}" for name in _FACT_NAMES[1:])
)
_COUNT_QD766 = qd766_count_sql(
    facts="egovkit_dossier_facts", mark=lambda name: f"%({name})s", grouped=True
)
_HANDLING_SQL = handling_statements(
    lambda name: f"%({name})s", prefix="egovkit_", dialect="postgres"
)
_PUT_HANDLING_CASE = (
    f"INSERT INTO egovkit_handling_cases VALUES ({', '.join(['%s'] * 13)}) "  # noqa: S608
    "ON CONFLICT (key) DO UPDATE SET "
    + ", ".join(
        f"{name} = EXCLUDED.{name}"
        for name in (
            "flow", "state", "level", "electronic", "open", "opened_at", "completed_at",
            "issued_at", "number", "notation", "document_type", "day",
        )
    )
)  # fmt: skip
_COUNT_DOSSIERS = {
    role: dossier_count_sql(
        role,
        facts="egovkit_dossier_facts",
        pauses="egovkit_dossier_pauses",
        mark=lambda name: f"%({name})s",
        fence="OFFSET 0",
    )
    for role in ("competent", "receiving")
}


def _error(exc: psycopg.Error, where: str) -> StorageError:
    code = "postgres.connection" if isinstance(exc, psycopg.OperationalError) else "postgres.error"
    return StorageError(f"PostgreSQL failed: {exc}".strip(), code=code, where=where)


class _PgSession(Session):
    def __init__(self, engine: PostgresEngine, *, write: bool) -> None:
        self._engine = engine
        self._pool = engine.pool
        try:
            self._conn: psycopg.Connection[Any] = self._pool.getconn()
        except Exception as exc:  # the pool raises its own timeout errors
            raise StorageError(
                f"no PostgreSQL connection available: {exc}",
                code="postgres.pool",
                where=engine.where,
            ) from exc
        self._open = True
        self._savepoints = 0
        begin = "BEGIN" if write else "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        try:
            self._conn.execute(begin)
        except psycopg.Error as exc:
            self._release()
            raise _error(exc, engine.where) from exc

    def _release(self) -> None:
        if self._open:
            self._open = False
            self._pool.putconn(self._conn)

    def _run(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> psycopg.Cursor[Any]:
        try:
            return self._conn.execute(sql, params)
        except psycopg.Error as exc:
            raise _error(exc, self._engine.where) from exc

    def _guarded_insert(self, work: Any, what: str, where: str) -> None:
        """Run ``work`` inside a savepoint so a duplicate leaves the transaction usable."""
        self._savepoints += 1
        name = f"egovkit_{self._savepoints}"
        self._run(f"SAVEPOINT {name}")
        try:
            work()
        except pg_errors.UniqueViolation as exc:
            self._run(f"ROLLBACK TO SAVEPOINT {name}")
            raise ConflictError(
                f"{what} already exists", code="record.exists", where=where
            ) from exc
        except psycopg.Error as exc:
            self._run(f"ROLLBACK TO SAVEPOINT {name}")
            raise _error(exc, self._engine.where) from exc
        self._run(f"RELEASE SAVEPOINT {name}")

    def get(self, collection: str, key: str, *, lock: bool = False) -> tuple[int, str] | None:
        sql = "SELECT version, body FROM egovkit_records WHERE collection = %s AND key = %s"
        row = self._run(sql + (" FOR UPDATE" if lock else ""), (collection, key)).fetchone()
        return None if row is None else (row[0], row[1])

    def insert(self, collection: str, rows: Sequence[Row]) -> None:
        def work() -> None:
            with self._conn.cursor() as cur:
                if len(rows) >= COPY_THRESHOLD:
                    with cur.copy(
                        "COPY egovkit_records (collection, key, version, body) FROM STDIN"
                    ) as copy:
                        for key, version, body in rows:
                            copy.write_row((collection, key, version, body))
                else:
                    cur.executemany(
                        "INSERT INTO egovkit_records (collection, key, version, body) "
                        "VALUES (%s, %s, %s, %s)",
                        [(collection, key, version, body) for key, version, body in rows],
                    )

        self._guarded_insert(work, f"a record key of {collection!r}", collection)

    def replace(self, collection: str, row: Row) -> None:
        key, version, body = row
        self._run(
            "UPDATE egovkit_records SET version = %s, body = %s WHERE collection = %s AND key = %s",
            (version, body, collection, key),
        )

    def remove(self, collection: str, key: str) -> None:
        self._run(
            "DELETE FROM egovkit_records WHERE collection = %s AND key = %s", (collection, key)
        )

    def scan(self, collection: str, prefix: str, after: str, limit: int) -> list[Row]:
        params: list[Any] = [collection, after]
        sql = "SELECT key, version, body FROM egovkit_records WHERE collection = %s AND key > %s"
        if prefix:
            sql += " AND key >= %s AND key < %s"
            params += [prefix, prefix + "\U0010ffff"]
        sql += " ORDER BY key LIMIT %s"
        params.append(limit)
        return [(r[0], r[1], r[2]) for r in self._run(sql, params)]

    def claim(
        self, collection: str, after: str, limit: int, now: int, until: int, owner: str
    ) -> list[tuple[Row, str]]:
        """Free rows locked with ``FOR UPDATE SKIP LOCKED``: a row another claimer holds in its
        open transaction is skipped, so concurrent workers never wait for or share a row."""
        rows = self._run(
            "SELECT key, version, body FROM egovkit_records WHERE collection = %s AND key > %s"
            " AND (COALESCE((body::jsonb ->> %s)::bigint, 0) <= %s OR body::jsonb ->> %s = %s)"
            " ORDER BY key LIMIT %s FOR UPDATE SKIP LOCKED",
            (collection, after, LEASE_UNTIL, now, LEASE_OWNER, owner, limit),
        ).fetchall()
        taken: list[tuple[Row, str]] = []
        for key, version, body in rows:
            data = json.loads(body)
            if not is_free(data, owner=owner, now=now):  # a lease field of another type
                continue
            taken.append(((key, version + 1, leased(data, owner=owner, until=until)), body))
        if taken:
            with self._conn.cursor() as cur:
                cur.executemany(
                    "UPDATE egovkit_records SET version = %s, body = %s"
                    " WHERE collection = %s AND key = %s",
                    [(version, body, collection, key) for (key, version, body), _ in taken],
                )
        return taken

    def count(self, collection: str) -> int:
        cursor = self._run(
            "SELECT count(*) FROM egovkit_records WHERE collection = %s", (collection,)
        )
        return int(_one(cursor)[0])

    def collections(self) -> list[str]:
        return [
            r[0] for r in self._run("SELECT DISTINCT collection FROM egovkit_records ORDER BY 1")
        ]

    def allocate(self, key: str) -> int:
        cursor = self._run(
            "INSERT INTO egovkit_sequences (key, value) VALUES (%s, 1) ON CONFLICT (key) "
            "DO UPDATE SET value = egovkit_sequences.value + 1 RETURNING value",
            (key,),
        )
        return int(_one(cursor)[0])

    def current(self, key: str) -> int:
        row = self._run("SELECT value FROM egovkit_sequences WHERE key = %s", (key,)).fetchone()
        return 0 if row is None else int(row[0])

    def sequences(self) -> list[tuple[str, int]]:
        rows = self._run("SELECT key, value FROM egovkit_sequences ORDER BY key")
        return [(r[0], r[1]) for r in rows]

    def set_sequences(self, values: Sequence[tuple[str, int]]) -> None:
        if not values:
            return
        try:
            with self._conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO egovkit_sequences (key, value) VALUES (%s, %s)", list(values)
                )
        except psycopg.Error as exc:
            raise _error(exc, self._engine.where) from exc

    def audit_head(self, *, lock: bool = False) -> AuditHead:
        sql = "SELECT sequence, hash FROM egovkit_audit_head WHERE id = 1"
        row = self._run(sql + (" FOR UPDATE" if lock else "")).fetchone()
        if row is None:  # pragma: no cover - the migration creates the row
            raise StorageError("the audit head row is missing", code="audit.head_missing")
        return AuditHead(sequence=row[0], hash=row[1])

    def append_audit(self, entries: Sequence[AuditEntry]) -> None:
        self._insert_audit(entries)
        last = entries[-1]
        self._run(
            "UPDATE egovkit_audit_head SET sequence = %s, hash = %s WHERE id = 1",
            (last.sequence, last.hash),
        )

    def _insert_audit(self, entries: Sequence[AuditEntry]) -> None:
        rows = [
            (
                e.sequence,
                e.at.isoformat(),
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
        ]
        try:
            with self._conn.cursor() as cur:
                if len(rows) >= COPY_THRESHOLD:
                    with cur.copy(f"COPY egovkit_audit ({_AUDIT_COLUMNS}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    cur.executemany(
                        f"INSERT INTO egovkit_audit ({_AUDIT_COLUMNS}) "  # noqa: S608 - constant
                        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        rows,
                    )
        except pg_errors.UniqueViolation as exc:
            raise ConflictError(
                "the audit chain moved on meanwhile", code="audit.race", where="audit"
            ) from exc
        except psycopg.Error as exc:
            raise _error(exc, self._engine.where) from exc

    def audit_entries(self, start: int, limit: int) -> list[AuditEntry]:
        rows = self._run(
            f"SELECT {_AUDIT_COLUMNS} FROM egovkit_audit WHERE sequence >= %s "  # noqa: S608
            "ORDER BY sequence LIMIT %s",
            (start, limit),
        )
        return [audit_entry_from_row(r) for r in rows]

    def replace_audit(self, entries: Sequence[AuditEntry], head: AuditHead) -> None:
        self._run("DELETE FROM egovkit_audit")
        if entries:
            self._insert_audit(entries)
        self._run(
            "UPDATE egovkit_audit_head SET sequence = %s, hash = %s WHERE id = 1",
            (head.sequence, head.hash),
        )

    dossier_facts = True

    def put_dossier_facts(self, facts: Sequence[FactRow], pauses: Sequence[PauseRow]) -> None:
        keys = [row[0] for row in facts]
        try:
            with self._conn.cursor() as cur:
                cur.execute("DELETE FROM egovkit_dossier_pauses WHERE key = ANY(%s)", (keys,))
                cur.executemany(_PUT_FACTS, facts)
                if pauses:
                    cur.executemany(
                        "INSERT INTO egovkit_dossier_pauses (key, started_at, ended_at) "
                        "VALUES (%s, %s, %s)",
                        pauses,
                    )
        except psycopg.Error as exc:
            raise _error(exc, self._engine.where) from exc

    def remove_dossier_facts(self, keys: Sequence[str]) -> None:
        self._run("DELETE FROM egovkit_dossier_facts WHERE key = ANY(%s)", (list(keys),))
        self._run("DELETE FROM egovkit_dossier_pauses WHERE key = ANY(%s)", (list(keys),))

    def count_dossiers(self, query: DossierCountQuery) -> dict[str, int]:
        sql, names = _COUNT_DOSSIERS[query.role]
        row = _one(self._run(sql, dossier_count_parameters(query)))
        return {name: int(value) for name, value in zip(names, row, strict=True)}

    def count_qd766(self, start: int, cut: int) -> Qd766Rows:
        return fetch_qd766_rows(self._run, _COUNT_QD766, start, cut, grouped=True)

    # -- case files (egovkit.records)

    case_file_query = True

    def select_case_files(self, wanted: CaseFileFilter) -> list[Row]:
        sql, params = case_file_select(
            wanted,
            table="egovkit_records",
            field=lambda name: f"(body::jsonb ->> '{name}')",
            mark=lambda name: f"%({name})s",
            text_values=True,
        )
        return [(r[0], r[1], r[2]) for r in self._run(sql, params)]

    def case_files_holding(self, source: str) -> list[Row]:
        rows = self._run(
            "SELECT key, version, body FROM egovkit_records WHERE collection = %s "
            "AND (body::jsonb -> 'sources') @> jsonb_build_array(%s::text) ORDER BY key",
            (CASE_FILES, source),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    # -- handling facts (egovkit.storage.handling)

    handling_facts = True

    handling_dialect = "postgres"

    def put_handling_facts(
        self,
        cases: Sequence[tuple[Any, ...]],
        tasks: Sequence[tuple[Any, ...]],
        texts: Sequence[tuple[Any, ...]],
    ) -> None:
        keys = [row[0] for row in cases]
        try:
            with self._conn.cursor() as cur:
                cur.execute("DELETE FROM egovkit_handling_tasks WHERE key = ANY(%s)", (keys,))
                cur.execute("DELETE FROM egovkit_handling_text WHERE key = ANY(%s)", (keys,))
                cur.executemany(_PUT_HANDLING_CASE, cases)
                if tasks:
                    cur.executemany(
                        "INSERT INTO egovkit_handling_tasks VALUES (%s, %s, %s, %s, %s, %s)", tasks
                    )
                if texts:
                    cur.executemany(
                        "INSERT INTO egovkit_handling_text VALUES (%s, array_to_tsvector(%s))",
                        [(row[0], postgres_terms(row)) for row in texts],
                    )
        except psycopg.Error as exc:
            raise _error(exc, self._engine.where) from exc

    def remove_handling_facts(self, keys: Sequence[str]) -> None:
        for table in ("cases", "tasks", "text"):
            self._run(
                f"DELETE FROM egovkit_handling_{table} WHERE key = ANY(%s)",  # noqa: S608
                (list(keys),),
            )

    def handling_rows(self, name: str, parameters: Mapping[str, object]) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self._run(_HANDLING_SQL[name], parameters).fetchall()]

    def commit(self) -> None:
        try:
            self._conn.execute("COMMIT")
        except psycopg.Error as exc:
            raise _error(exc, self._engine.where) from exc
        self._release()

    def rollback(self) -> None:
        if not self._open:
            return
        try:
            self._conn.execute("ROLLBACK")
        except psycopg.Error:
            pass  # a broken connection: the pool discards it
        finally:
            self._release()


def _one(cursor: psycopg.Cursor[Any]) -> Any:
    row = cursor.fetchone()
    if row is None:  # pragma: no cover - aggregates and RETURNING always give a row
        raise StorageError("PostgreSQL returned no row", code="postgres.no_row")
    return row


class PostgresBlobStore(BlobStore):
    """Blobs in the database: ``egovkit_blobs`` names them, ``egovkit_blob_chunks`` holds the
    bytes in chunks, written in one transaction (a crash leaves no half blob)."""

    def __init__(self, pool: ConnectionPool[Any], where: str) -> None:
        self._pool = pool
        self._where = where

    def put(self, source: BlobSource, *, expected: str | None = None) -> BlobRef:
        import hashlib

        if expected is not None:
            check_digest(expected, where="expected")
        upload = uuid.uuid4()
        hasher = hashlib.sha256()
        size = 0
        try:
            with self._pool.connection() as conn, conn.transaction():
                for number, chunk in enumerate(iter_chunks(source)):
                    hasher.update(chunk)
                    size += len(chunk)
                    conn.execute(
                        "INSERT INTO egovkit_blob_chunks (upload, n, data) VALUES (%s, %s, %s)",
                        (upload, number, chunk),
                    )
                digest = hasher.hexdigest()
                if expected is not None and expected != digest:
                    raise IntegrityError(
                        f"blob content has digest {digest}, not the expected {expected}",
                        code="blob.digest_mismatch",
                        where=expected,
                    )
                added = conn.execute(
                    "INSERT INTO egovkit_blobs (sha256, size, upload) VALUES (%s, %s, %s) "
                    "ON CONFLICT (sha256) DO NOTHING",
                    (digest, size, upload),
                )
                if added.rowcount == 0:
                    conn.execute("DELETE FROM egovkit_blob_chunks WHERE upload = %s", (upload,))
        except psycopg.Error as exc:
            raise _error(exc, self._where) from exc
        return BlobRef(sha256=digest, size=size)

    def _upload(self, sha256: str) -> tuple[uuid.UUID, int] | None:
        check_digest(sha256)
        try:
            with self._pool.connection() as conn:
                row = conn.execute(
                    "SELECT upload, size FROM egovkit_blobs WHERE sha256 = %s", (sha256,)
                ).fetchone()
        except psycopg.Error as exc:
            raise _error(exc, self._where) from exc
        return None if row is None else (row[0], row[1])

    def open(self, sha256: str) -> Iterator[bytes]:
        found = self._upload(sha256)
        if found is None:
            raise NotFoundError(f"no blob {sha256}", code="blob.not_found", where=sha256)
        return self._chunks(found[0], sha256)

    def _chunks(self, upload: uuid.UUID, sha256: str) -> Iterator[bytes]:
        import hashlib

        hasher = hashlib.sha256()
        number = 0
        while True:
            try:
                with self._pool.connection() as conn:
                    row = conn.execute(
                        "SELECT data FROM egovkit_blob_chunks WHERE upload = %s AND n = %s",
                        (upload, number),
                    ).fetchone()
            except psycopg.Error as exc:
                raise _error(exc, self._where) from exc
            if row is None:
                break
            chunk = bytes(row[0])
            hasher.update(chunk)
            yield chunk
            number += 1
        if hasher.hexdigest() != sha256:
            raise IntegrityError(
                f"stored blob {sha256} is corrupt", code="blob.corrupt", where=sha256
            )

    def stat(self, sha256: str) -> BlobRef | None:
        found = self._upload(sha256)
        return None if found is None else BlobRef(sha256=sha256, size=found[1])

    def digests(self) -> Iterator[str]:
        try:
            with self._pool.connection() as conn:
                rows = conn.execute("SELECT sha256 FROM egovkit_blobs ORDER BY sha256").fetchall()
        except psycopg.Error as exc:
            raise _error(exc, self._where) from exc
        return iter([r[0] for r in rows])


class PostgresEngine(Engine):
    """A pool of connections to one database, migrated on open."""

    scheme = "postgresql"

    def __init__(
        self,
        conninfo: str,
        *,
        blobs: BlobStore | None = None,
        pool_min: int = 1,
        pool_max: int = 4,
        timeout: float = 30.0,
    ) -> None:
        self.where = _redacted(conninfo)
        try:
            self.pool: ConnectionPool[Any] = ConnectionPool(
                conninfo,
                min_size=pool_min,
                max_size=pool_max,
                timeout=timeout,
                kwargs={"autocommit": True},
                open=False,
            )
            self.pool.open(wait=True, timeout=timeout)
        except Exception as exc:
            raise StorageError(
                f"cannot connect to PostgreSQL at {self.where}: {exc}",
                code="postgres.connection",
                where=self.where,
            ) from exc
        self._lock = threading.Lock()
        self._migrate()
        self._blobs = blobs if blobs is not None else PostgresBlobStore(self.pool, self.where)

    def _migrate(self) -> None:
        try:
            with self.pool.connection() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS egovkit_schema_version ("
                    "version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                    "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
                )
                row = conn.execute(
                    "SELECT coalesce(max(version), 0) FROM egovkit_schema_version"
                ).fetchone()
                for migration in pending(MIGRATIONS, int(row[0]) if row else 0, where=self.where):
                    for statement in migration.statements:
                        conn.execute(statement)
                    conn.execute(
                        "INSERT INTO egovkit_schema_version (version, description) VALUES (%s, %s)",
                        (migration.version, migration.description),
                    )
        except psycopg.Error as exc:
            self.pool.close()
            raise _error(exc, self.where) from exc
        except BaseException:
            self.pool.close()
            raise

    def schema_version(self) -> int:
        """The version of the schema in the database."""
        with self.pool.connection() as conn:
            row = conn.execute("SELECT max(version) FROM egovkit_schema_version").fetchone()
        return int(row[0]) if row else 0

    def begin(self, *, write: bool) -> Session:
        return _PgSession(self, write=write)

    @property
    def blobs(self) -> BlobStore:
        return self._blobs

    def close(self) -> None:
        self._blobs.close()
        self.pool.close()


def _redacted(conninfo: str) -> str:
    parts = urllib.parse.urlsplit(conninfo)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return conninfo


_OPTIONS = {"blobs", "pool_min", "pool_max", "pool_timeout"}


def split_url(url: str) -> tuple[str, dict[str, str]]:
    """The libpq connection URL and egovkit's own options (``pool_min``, ``pool_max``,
    ``pool_timeout``, ``blobs``) taken out of its query string."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"postgresql", "postgres"}:
        raise ConfigurationError(
            f"a PostgreSQL URL starts with postgresql://: {_redacted(url)!r}",
            code="store.url",
            where="url",
        )
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    ours = {k: v for k, v in query if k in _OPTIONS}
    theirs = [(k, v) for k, v in query if k not in _OPTIONS]
    conninfo = urllib.parse.urlunsplit(
        parts._replace(scheme="postgresql", query=urllib.parse.urlencode(theirs))
    )
    return conninfo, ours


def open_postgres(url: str, *, blobs: BlobStore | None = None, **options: Any) -> EngineStore:
    """Open (migrating if needed) the PostgreSQL store at ``url``: the ``egovkit.stores`` entry
    point for ``postgresql://`` and ``postgres://``."""
    conninfo, ours = split_url(url)
    if blobs is None and "blobs" in ours:
        from egovkit.storage.registry import blob_store_option

        blobs = blob_store_option(ours["blobs"])
    try:
        pool_min = int(ours.get("pool_min", "1"))
        pool_max = int(ours.get("pool_max", "4"))
        timeout = float(ours.get("pool_timeout", "30"))
    except ValueError as exc:
        raise ConfigurationError(
            "pool_min, pool_max and pool_timeout are numbers", code="store.url_option"
        ) from exc
    engine = PostgresEngine(
        conninfo, blobs=blobs, pool_min=pool_min, pool_max=max(pool_max, pool_min), timeout=timeout
    )
    return EngineStore(engine, **options)


__all__ = ["COPY_THRESHOLD", "PostgresBlobStore", "PostgresEngine", "open_postgres", "split_url"]
