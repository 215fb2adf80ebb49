"""The PostgreSQL schema, as numbered migrations (applied under an advisory lock)."""

from __future__ import annotations

from egovkit.storage.case_file_sql import CASE_FILES
from egovkit.storage.handling import handling_tables
from egovkit.storage.migrations import Migration
from egovkit.storage.sqlite import PAPER_COLUMNS, QD766_COLUMNS

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        version=1,
        description="records, counters, the audit chain and blobs",
        statements=(
            """CREATE TABLE egovkit_records (
                collection TEXT NOT NULL,
                key TEXT COLLATE "C" NOT NULL,
                version INTEGER NOT NULL CHECK (version >= 1),
                body TEXT NOT NULL,
                PRIMARY KEY (collection, key)
            )""",
            """CREATE TABLE egovkit_sequences (
                key TEXT COLLATE "C" PRIMARY KEY,
                value BIGINT NOT NULL CHECK (value >= 0)
            )""",
            """CREATE TABLE egovkit_audit (
                sequence BIGINT PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                collection TEXT NOT NULL,
                key TEXT NOT NULL,
                version BIGINT NOT NULL,
                before TEXT,
                after TEXT,
                previous TEXT NOT NULL,
                hash TEXT NOT NULL
            )""",
            """CREATE TABLE egovkit_audit_head (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                sequence BIGINT NOT NULL,
                hash TEXT NOT NULL
            )""",
            "INSERT INTO egovkit_audit_head (id, sequence, hash) VALUES (1, 0, repeat('0', 64))",
            """CREATE TABLE egovkit_blobs (
                sha256 TEXT PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
                size BIGINT NOT NULL,
                upload UUID NOT NULL UNIQUE
            )""",
            """CREATE TABLE egovkit_blob_chunks (
                upload UUID NOT NULL,
                n INTEGER NOT NULL,
                data BYTEA NOT NULL,
                PRIMARY KEY (upload, n)
            )""",
        ),
    ),
    Migration(
        version=2,
        description="dossier facts and pauses, for statistics counted in SQL",
        statements=(
            """CREATE TABLE egovkit_dossier_facts (
                key TEXT COLLATE "C" PRIMARY KEY,
                competent TEXT COLLATE "C" NOT NULL,
                receiving TEXT COLLATE "C" NOT NULL,
                channel SMALLINT NOT NULL,
                status TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                closed_at BIGINT NOT NULL,
                closed_kind SMALLINT NOT NULL,
                closed_day INTEGER NOT NULL,
                due_at BIGINT NOT NULL,
                due_day INTEGER NOT NULL,
                pause_from BIGINT NOT NULL,
                pause_until BIGINT NOT NULL
            )""",
            "CREATE INDEX egovkit_dossier_facts_competent "
            "ON egovkit_dossier_facts (competent, received_at)",
            "CREATE INDEX egovkit_dossier_facts_receiving "
            "ON egovkit_dossier_facts (receiving, received_at)",
            """CREATE TABLE egovkit_dossier_pauses (
                key TEXT COLLATE "C" NOT NULL,
                started_at BIGINT NOT NULL,
                ended_at BIGINT NOT NULL
            )""",
            "CREATE INDEX egovkit_dossier_pauses_key ON egovkit_dossier_pauses (key, started_at)",
        ),
    ),
    Migration(
        version=3,
        description="qd766 facts of each dossier, for Decision 766 counts in SQL",
        # rows written before this step keep qd766_ready = 0 (counted in Python) until saved
        statements=(
            "ALTER TABLE egovkit_dossier_facts "
            + ", ".join(
                f"ADD COLUMN {name} "
                + (
                    "TEXT COLLATE \"C\" NOT NULL DEFAULT ''"
                    if name == "procedure"
                    else "BIGINT NOT NULL DEFAULT 0"
                )
                for name in QD766_COLUMNS
            ),
        ),
    ),
    Migration(
        version=4,
        description="Decree 45 paper facts of each dossier, for qd766 group 4 in SQL",
        # rows written before this step record no paper data, as the defaults say
        statements=(
            "ALTER TABLE egovkit_dossier_facts "
            + ", ".join(
                f"ADD COLUMN {name} BIGINT NOT NULL DEFAULT "
                + (str(2**62) if name == "stored_result_at" else "0")
                for name in PAPER_COLUMNS
            ),
            # the dossiers qd766 leaves to Python, found without reading the table
            "CREATE INDEX egovkit_dossier_facts_unready ON egovkit_dossier_facts (key) "
            "WHERE qd766_ready = 0",
        ),
    ),
    Migration(
        version=5,
        description="case files (records): index on year and unit",
        # case files are queried in their JSON bodies (egovkit.storage.case_file_sql)
        statements=(
            "CREATE INDEX egovkit_records_case_files ON egovkit_records "
            "(((body::jsonb ->> 'year')), ((body::jsonb ->> 'unit'))) "
            f"WHERE collection = '{CASE_FILES}'",
        ),
    ),
    Migration(
        version=6,
        description="handling facts: cases and tasks, for work queues and rates in SQL",
        # cases written before this step get their rows on their next save
        statements=handling_tables(prefix="egovkit_", text='TEXT COLLATE "C"', dialect="postgres"),
    ),
)

__all__ = ["MIGRATIONS"]
