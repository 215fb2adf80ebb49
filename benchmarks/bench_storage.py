"""Bulk insert of records: egovkit stores against the raw driver doing the same inserts.

SQLite: ``store.records.add_many`` (canonical JSON, digests and one audit entry per record, all
in one transaction) against ``sqlite3.executemany`` of the same JSON rows into the same table
with the same pragmas. Aim: >= 20,000 records/s and at most 2x the raw time.

A second SQLite row loads records of about 1 KB (the size of a dossier) and compares with the raw
driver inserting into a table created with egovkit's own ``records`` schema, read from a fresh
egovkit database; the notes give both file sizes.

Dossiers: ``store.dossiers.add_many`` (records, dossier facts, pauses, one audit entry per
transition) against ``sqlite3.executemany`` of exactly the rows it wrote, read back from its
database, into a fresh database with the same schema. Aim (issue 19): 1.5x faster per dossier
than before. Judged on processor time: on this shared machine the wall time of a commit to disk
varies several-fold from run to run (both figures are printed). Before issue 19 the same
benchmark measured about 76 µs of processor time per dossier against 16 µs for the raw rows
(ratio 4.7, load average 4), so the aim is a ratio of at most 3.1.

PostgreSQL: the same against raw psycopg ``COPY`` of the same rows. Aim: >= 10,000 records/s.
The server is ``$EGOVKIT_BENCH_PG_URL`` if set; otherwise a full run starts a throwaway one
(egovkit-postgres and the Debian ``postgresql`` package needed) and a quick run skips it.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from _harness import Comparison

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ, Duration, WorkCalendar
from egovkit.dossiers import Applicant, ApplicantKind, Channel, Dossier, DossierCode, Procedure
from egovkit.ports import Record
from egovkit.storage import open_store


def _data(n: int) -> list[dict[str, Any]]:
    return [
        {
            "number": i,
            "notation": f"{i}/QĐ-UBND",
            "subject": "Về việc ban hành Kế hoạch chuyển đổi số",
            "issued_on": "2026-01-05",
            "recipients": ["Sở Nội vụ", "Sở Tài chính"],
        }
        for i in range(n)
    ]


#: About 900 characters of Vietnamese prose: with it a record's JSON body is about 1 KB.
_SUMMARY = (
    "Hồ sơ đề nghị cấp giấy chứng nhận quyền sử dụng đất lần đầu, kèm bản sao giấy tờ tùy thân, "
    "đơn đăng ký biến động, sơ đồ thửa đất và biên bản xác minh hiện trạng của Ủy ban nhân dân "
    "cấp xã; "
) * 4


def _large_data(n: int) -> list[dict[str, Any]]:
    return [{**data, "summary": _SUMMARY} for data in _data(n)]


def _size(path: Path) -> int:
    """Bytes of an SQLite file and its write-ahead log, if any is left."""
    wal = Path(f"{path}-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


Case = tuple[Callable[[], Any], Callable[[Any], object]]


def _timed(cases: list[Case], repeat: int) -> list[float]:
    """Best time of each (setup, work) case; rounds interleave the cases so that a busy
    machine slows them alike."""
    best = [float("inf")] * len(cases)
    for _ in range(repeat):
        for index, (setup, work) in enumerate(cases):
            state = setup()
            gc.collect()
            start = time.perf_counter()
            work(state)
            best[index] = min(best[index], time.perf_counter() - start)
            close = getattr(state, "close", None)
            if close is not None:
                close()
    return best


@contextmanager
def _directory() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="egovkit-bench-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _sqlite(n: int, repeat: int) -> list[Comparison]:
    rows = _data(n)
    with _directory() as place:
        counter = iter(range(1_000_000))

        def ours_setup() -> Any:
            return open_store(f"sqlite:///{place / f'ours{next(counter)}.db'}")

        def ours(store: Any) -> None:
            store.records.add_many(
                Record(collection="documents", key=f"d{i:07d}", data=data)
                for i, data in enumerate(rows)
            )

        def raw_setup() -> sqlite3.Connection:
            db = sqlite3.connect(place / f"raw{next(counter)}.db", isolation_level=None)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            db.execute(
                "CREATE TABLE records (collection TEXT NOT NULL, key TEXT NOT NULL, "
                "version INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (collection, key)) "
                "WITHOUT ROWID"
            )
            return db

        def raw(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")
            db.executemany(
                "INSERT INTO records (collection, key, version, body) VALUES (?, ?, ?, ?)",
                (
                    (
                        "documents",
                        f"d{i:07d}",
                        1,
                        json.dumps(data, ensure_ascii=False, sort_keys=True),
                    )
                    for i, data in enumerate(rows)
                ),
            )
            db.execute("COMMIT")

        def raw_audit_setup() -> sqlite3.Connection:
            db = raw_setup()
            db.execute(
                "CREATE TABLE audit (sequence INTEGER PRIMARY KEY, at TEXT, actor TEXT, "
                "action TEXT, collection TEXT, key TEXT, version INTEGER, before TEXT, "
                "after TEXT, previous TEXT, hash TEXT)"
            )
            return db

        def raw_with_audit(db: sqlite3.Connection) -> None:
            raw(db)
            digest = "0" * 64
            db.execute("BEGIN IMMEDIATE")
            db.executemany(
                "INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (i + 1, "2026-01-05T00:00:00+00:00", "system", "add", "documents",
                     f"d{i:07d}", 1, None, digest, digest, digest)
                    for i in range(n)
                ),
            )  # fmt: skip
            db.execute("COMMIT")

        ours_time, raw_time, raw_audit_time = _timed(
            [(ours_setup, ours), (raw_setup, raw), (raw_audit_setup, raw_with_audit)], repeat
        )
    return [
        Comparison(
            f"SQLite bulk insert of {n:,} records",
            ours_time,
            "sqlite3.executemany",
            raw_time,
            target=">= 20,000/s and <= 2x raw",
            met=n / ours_time >= 20_000 and ours_time <= 2 * raw_time,
            sized=True,
            notes=f"egovkit {n / ours_time:,.0f}/s (with audit chain), raw {n / raw_time:,.0f}/s",
        ),
        Comparison(
            f"SQLite bulk insert of {n:,} records",
            ours_time,
            "sqlite3.executemany, records + audit rows",
            raw_audit_time,
            target="<= 1.5 (hashing the audit chain costs at most half again)",
            met=ours_time <= 1.5 * raw_audit_time,
            notes="the raw driver also writing one (unhashed) audit row per record",
        ),
    ]


def _sqlite_large(n: int, repeat: int) -> Comparison:
    rows = _large_data(n)
    with _directory() as place:
        open_store(f"sqlite:///{place / 'schema.db'}").close()
        template = sqlite3.connect(place / "schema.db")
        schema = [
            sql
            for (sql,) in template.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = 'records' AND sql IS NOT NULL "
                "ORDER BY type DESC"  # the table, then its indexes
            )
        ]
        template.close()
        counter = iter(range(1_000_000))
        paths: dict[str, Path] = {}

        def ours_setup() -> Any:
            paths["ours"] = place / f"ours{next(counter)}.db"
            return open_store(f"sqlite:///{paths['ours']}")

        def ours(store: Any) -> None:
            store.records.add_many(
                Record(collection="documents", key=f"d{i:07d}", data=data)
                for i, data in enumerate(rows)
            )

        def raw_setup() -> sqlite3.Connection:
            paths["raw"] = place / f"raw{next(counter)}.db"
            db = sqlite3.connect(paths["raw"], isolation_level=None)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            for sql in schema:
                db.execute(sql)
            return db

        def raw(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")
            db.executemany(
                "INSERT INTO records (collection, key, version, body) VALUES (?, ?, ?, ?)",
                (
                    (
                        "documents",
                        f"d{i:07d}",
                        1,
                        json.dumps(data, ensure_ascii=False, sort_keys=True),
                    )
                    for i, data in enumerate(rows)
                ),
            )
            db.execute("COMMIT")

        ours_time, raw_time = _timed([(ours_setup, ours), (raw_setup, raw)], repeat)
        ours_size, raw_size = _size(paths["ours"]), _size(paths["raw"])
    return Comparison(
        f"SQLite bulk insert of {n:,} records of ~1 KB",
        ours_time,
        "sqlite3.executemany, egovkit's records schema",
        raw_time,
        target=">= 20,000/s",
        met=n / ours_time >= 20_000,
        sized=True,
        notes=(
            f"egovkit {n / ours_time:,.0f}/s, {ours_size / n:,.0f} bytes/record with the audit "
            f"chain; raw {n / raw_time:,.0f}/s, {raw_size / n:,.0f} bytes/record"
        ),
    )


def _postgres(url: str, n: int, repeat: int, new_database: Callable[[], str]) -> Comparison:
    import psycopg

    rows = _data(n)

    def ours_setup() -> Any:
        return open_store(new_database())

    def ours(store: Any) -> None:
        store.records.add_many(
            Record(collection="documents", key=f"d{i:07d}", data=data)
            for i, data in enumerate(rows)
        )

    def raw_setup() -> psycopg.Connection[Any]:
        conn = psycopg.connect(new_database())
        conn.execute(
            'CREATE TABLE records (collection TEXT NOT NULL, key TEXT COLLATE "C" NOT NULL, '
            "version INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (collection, key))"
        )
        conn.commit()
        return conn

    def raw(conn: psycopg.Connection[Any]) -> None:
        with (
            conn.cursor() as cur,
            cur.copy("COPY records (collection, key, version, body) FROM STDIN") as copy,
        ):
            for i, data in enumerate(rows):
                copy.write_row(
                    (
                        "documents",
                        f"d{i:07d}",
                        1,
                        json.dumps(data, ensure_ascii=False, sort_keys=True),
                    )
                )
        conn.commit()

    ours_time, raw_time = _timed([(ours_setup, ours), (raw_setup, raw)], repeat)
    return Comparison(
        f"PostgreSQL bulk insert of {n:,} records",
        ours_time,
        "psycopg COPY",
        raw_time,
        target=">= 10,000/s",
        met=n / ours_time >= 10_000,
        sized=True,
        notes=f"egovkit {n / ours_time:,.0f}/s (COPY + audit chain), raw {n / raw_time:,.0f}/s",
    )


def _postgres_comparison(n: int, repeat: int, quick: bool) -> list[Comparison]:
    try:
        import psycopg

        from egovkit_postgres.testing import ThrowawayCluster, find_bin_dir
    except ImportError:
        return []
    url = os.environ.get("EGOVKIT_BENCH_PG_URL")
    if url:

        def new_database() -> str:
            name = f"egov_bench_{time.monotonic_ns()}"
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            return str(psycopg.conninfo.make_conninfo(url, dbname=name))

        return [_postgres(url, n, repeat, new_database)]
    if quick or find_bin_dir() is None:
        return []
    with ThrowawayCluster() as cluster:
        return [_postgres(cluster.url, n, repeat, cluster.new_database)]


def _dossiers(size: int) -> list[Dossier]:
    """``size`` dossiers of 8 units over a year, received, and most of them moved on."""
    import random
    from datetime import datetime, timedelta

    rng = random.Random(19)
    calendar = WorkCalendar()
    units = [AgencyCode.parse(f"000.00.{n:02d}.H53") for n in range(1, 9)]
    procedure = Procedure(
        code="1.001612.000.00.00.H53",
        name="Đăng ký khai sinh",
        processing_time=Duration.working_days(3),
    )
    applicant = Applicant(kind=ApplicantKind.CITIZEN, name="Nguyễn Văn An")
    first = datetime(2026, 1, 2, 7, tzinfo=VIETNAM_TZ)
    numbers: dict[tuple[AgencyCode, Any], int] = {}
    found = []
    for _ in range(size):
        unit = rng.choice(units)
        received = first + timedelta(minutes=rng.randrange(360 * 24 * 60))
        number = numbers[(unit, received.date())] = numbers.get((unit, received.date()), 0) + 1
        dossier = Dossier.receive(
            code=DossierCode(agency=unit, day=received.date(), number=number),
            procedure=procedure,
            applicant=applicant,
            channel=rng.choice([Channel.DIRECT, Channel.ONLINE]),
            receiving_agency=unit,
            received_at=received,
            actor="tiếp nhận",
            calendar=calendar,
        )
        later = received + timedelta(hours=rng.randrange(1, 300))
        fate = rng.random()
        if fate < 0.6:
            dossier = dossier.resolve(at=later, actor="lãnh đạo")
        elif fate < 0.8:
            dossier = dossier.pause(at=later, actor="chuyên viên", reason="chờ ý kiến")
        found.append(dossier)
    return found


def _sqlite_dossiers(size: int, repeat: int) -> Comparison:
    dossiers = _dossiers(size)
    with _directory() as place:
        counter = iter(range(1_000_000))
        paths: list[Path] = []

        def ours_setup() -> Any:
            paths.append(place / f"dossiers{next(counter)}.db")
            return open_store(f"sqlite:///{paths[-1]}")

        def ours(store: Any) -> None:
            store.dossiers.add_many(dossiers)

        ours_time, ours_cpu = _timed_both(ours_setup, ours, repeat)
        written = sqlite3.connect(paths[-1])
        tables = [
            name
            for (name,) in written.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'schema_version'"
            )
        ]
        rows = {t: written.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
        written.close()
        rows = {t: r for t, r in rows.items() if r}

        def raw_setup() -> sqlite3.Connection:
            path = place / f"raw{next(counter)}.db"
            open_store(f"sqlite:///{path}").close()  # the same schema, empty
            db = sqlite3.connect(path, isolation_level=None)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            return db

        def raw(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")
            for table, found in rows.items():
                marks = ", ".join("?" * len(found[0]))
                db.executemany(f'INSERT OR REPLACE INTO "{table}" VALUES ({marks})', found)
            db.execute("COMMIT")

        raw_time, raw_cpu = _timed_both(raw_setup, raw, repeat)
    counted = ", ".join(f"{t} {len(r):,}" for t, r in rows.items())
    return Comparison(
        f"SQLite bulk load of {size:,} dossiers (store.dossiers.add_many), processor time",
        ours_cpu,
        "sqlite3.executemany of the same rows, same schema",
        raw_cpu,
        target="≤ 3.1 (1.5x faster per dossier than the 4.7 before issue 19)",
        met=ours_cpu <= 3.1 * raw_cpu,
        notes=f"{ours_cpu / size * 1e6:.0f} µs against {raw_cpu / size * 1e6:.0f} µs per "
        f"dossier; wall time {size / ours_time:,.0f} dossiers/s, raw {size / raw_time:,.0f}/s "
        f"(ratio {ours_time / raw_time:.2f}); rows: {counted}",
    )


def _timed_both(setup: Callable[[], Any], work: Callable[[Any], object], repeat: int) -> Any:
    """Best wall time and best processor time of ``work`` over ``repeat`` fresh setups."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        state = setup()
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        work(state)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
        state.close()
    return wall, cpu


def run(quick: bool) -> list[Comparison]:
    n = 2_000 if quick else 100_000
    repeat = 1 if quick else 5
    return [
        *_sqlite(n, repeat),
        _sqlite_large(n, 1 if quick else 3),
        _sqlite_dossiers(2_000 if quick else 20_000, 1 if quick else 3),
        *_postgres_comparison(n, repeat, quick),
    ]
