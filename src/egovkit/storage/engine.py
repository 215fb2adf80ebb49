"""The toolkit the embedded stores are built from, and that third-party backends may reuse.

A backend implements two small classes — an :class:`Engine` that opens transactions and a
:class:`Session` with a dozen row-level operations — and :class:`EngineStore` turns them into a
full :class:`~egovkit.ports.Store`: versions and conflicts, typed repositories, units of work
and the audit chain (entries are buffered and appended at commit, so the chain's head is always
the last lock a transaction takes and concurrent writers cannot deadlock on it).
"""

from __future__ import annotations

import abc
import datetime
import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any, Final, NamedTuple, Protocol, TypeVar

import attrs

from egovkit.errors import ConflictError, ValidationError
from egovkit.ports import (
    AuditEntry,
    AuditHead,
    AuditLog,
    BlobStore,
    DocumentRepository,
    DossierCountQuery,
    DossierRepository,
    Record,
    RecordRepository,
    RegisterEntryRepository,
    SequenceAllocator,
    SequenceKey,
    Snapshot,
    Store,
    UnitOfWork,
    canonical_json,
    check_key,
    sha256_hex,
)
from egovkit.storage.case_file_sql import CaseFileFilter
from egovkit.storage.claims import claim_by_scan
from egovkit.storage.repositories import RecordDocuments, RecordRegisterEntries

if TYPE_CHECKING:  # pragma: no cover
    from egovkit.handling.queries import HandlingQueries
    from egovkit.handling.search import CaseSearch

T = TypeVar("T")

#: A stored row: key, version, canonical JSON body.
Row = tuple[str, int, str]

#: Records read per transaction when a store-level scan pages through a collection.
PAGE_SIZE = 1000


class Change(NamedTuple):
    """One change waiting for its audit entry at commit (``actor``: the transaction's when
    ``None``; a domain event such as a dossier's transition names its own)."""

    action: str
    collection: str
    key: str
    version: int
    before: str | None
    after: str | None
    actor: str | None = None


#: A :class:`Change` as a plain tuple, as the bulk path records it: the garbage collector stops
#: tracking tuples of plain values, not named tuples, and 100,000 tracked ones pending would set
#: off a full collection of the process's heap in the middle of an import.
ChangeRow = tuple[str, str, str, int, str | None, str | None, str | None]
_COLLECTION: Final = 1
_KEY: Final = 2
_ACTOR: Final = 6


#: The collection whose records backends may project into dossier-fact tables.
DOSSIERS = "dossiers"
#: The collection of handling cases (:mod:`egovkit.handling`), projected into handling facts.
HANDLING = "handling"

#: A dossier's facts for SQL statistics (see :mod:`egovkit.dossiers.persistence.facts`):
#: key, competent, receiving, channel, status, received_at, closed_at, closed_kind, closed_day,
#: due_at, due_day, pause_from, pause_until, then the qd766 columns (qd766_ready,
#: appointed_at, supplement_at, supplement_done, second_supplement_at, fee_listed, zero_fee,
#: paid_online_at, procedure, received_day, result_at, file_result_at, attachments), then the
#: Decree 45 paper columns (papers, reused_paper, national_paper, stored_result_at).
FactRow = tuple[
    str, str, str, int, str, int, int, int, int, int, int, int, int,
    int, int, int, int, int, int, int, int, str, int, int, int, int,
    int, int, int, int,
]  # fmt: skip
#: What a backend counts for qd766 (:func:`fetch_qd766_rows`): the groups of dossiers SQL
#: decided, and the keys of those left to Python.
Qd766Rows = tuple[list["Qd766Group"], list[str]]
#: One pause of a dossier: key, started_at, ended_at (microseconds; open: the far future).
PauseRow = tuple[str, int, int]
#: A dossier's fact row and pause rows, as the stores keep them.
TakenFacts = tuple[FactRow, list[PauseRow]]
#: An audit entry as a table row: sequence, at (ISO 8601), actor, action, collection, key,
#: version, before, after, previous, hash (the fields of :class:`~egovkit.ports.AuditEntry`).
AuditRow = tuple[int, str, str, str, str, str, int, str | None, str | None, str, str]


class Session(abc.ABC):
    """One open transaction on a backend: row-level operations only, no rules."""

    @abc.abstractmethod
    def get(self, collection: str, key: str, *, lock: bool = False) -> tuple[int, str] | None:
        """``(version, body)`` of a record, or ``None``; ``lock`` keeps others from writing it."""

    @abc.abstractmethod
    def insert(self, collection: str, rows: Sequence[Row]) -> None:
        """Insert new rows; an existing key raises ConflictError (code ``record.exists``)."""

    @abc.abstractmethod
    def replace(self, collection: str, row: Row) -> None:
        """Overwrite an existing row."""

    @abc.abstractmethod
    def remove(self, collection: str, key: str) -> None:
        """Delete a row."""

    @abc.abstractmethod
    def scan(self, collection: str, prefix: str, after: str, limit: int) -> list[Row]:
        """Up to ``limit`` rows in key order with keys starting with ``prefix``, above ``after``."""

    @abc.abstractmethod
    def count(self, collection: str) -> int:
        """Rows in ``collection``."""

    @abc.abstractmethod
    def collections(self) -> list[str]:
        """Non-empty collections, sorted."""

    def claim(
        self, collection: str, after: str, limit: int, now: int, until: int, owner: str
    ) -> list[tuple[Row, str]]:
        """Take up to ``limit`` free rows above ``after`` for ``owner`` until ``until`` (see
        :meth:`egovkit.ports.RecordRepository.claim`); each claimed row as now stored, with its
        body before. The default scans and rewrites, which is exclusive where write
        transactions are serialised (SQLite, memory); a backend with concurrent writers
        overrides it (PostgreSQL: ``FOR UPDATE SKIP LOCKED``)."""
        return claim_by_scan(
            self.scan,
            self.replace,
            collection,
            after=after,
            limit=limit,
            now=now,
            until=until,
            owner=owner,
        )

    @abc.abstractmethod
    def allocate(self, key: str) -> int:
        """Increment counter ``key`` (creating it at 1) and return it, locked to the end."""

    @abc.abstractmethod
    def current(self, key: str) -> int:
        """Counter ``key`` (0 when absent)."""

    @abc.abstractmethod
    def sequences(self) -> list[tuple[str, int]]:
        """Every counter, sorted by key."""

    @abc.abstractmethod
    def set_sequences(self, values: Sequence[tuple[str, int]]) -> None:
        """Create counters with given values (restore only)."""

    @abc.abstractmethod
    def audit_head(self, *, lock: bool = False) -> AuditHead:
        """The recorded head; ``lock`` serialises appenders until commit."""

    @abc.abstractmethod
    def append_audit(self, entries: Sequence[AuditEntry]) -> None:
        """Append entries and move the recorded head to the last one."""

    def append_audit_rows(self, rows: Iterable[AuditRow], *, at: datetime.datetime) -> None:
        """:meth:`append_audit` for entries given as rows (at least one), all made ``at``: the
        commit path. Override it to stream the rows into the database as they are hashed,
        without an :class:`~egovkit.ports.AuditEntry` per entry."""
        self.append_audit([_audit_entry(row, at) for row in rows])

    @abc.abstractmethod
    def audit_entries(self, start: int, limit: int) -> list[AuditEntry]:
        """Up to ``limit`` entries from sequence ``start`` in order."""

    @abc.abstractmethod
    def replace_audit(self, entries: Sequence[AuditEntry], head: AuditHead) -> None:
        """Hazardous: overwrite the whole log and its head unchecked (restore and tamper tests)."""

    @abc.abstractmethod
    def commit(self) -> None:
        """Make the changes durable and end the transaction."""

    @abc.abstractmethod
    def rollback(self) -> None:
        """Undo the changes and end the transaction."""

    # -- optional: dossier facts, for statistics computed by the backend (SQL)

    #: Whether this backend keeps dossier facts (:meth:`put_dossier_facts`…).
    dossier_facts: bool = False

    def put_dossier_facts(self, facts: Sequence[FactRow], pauses: Sequence[PauseRow]) -> None:
        """Insert or replace the facts (and all the pauses) of the dossiers in ``facts``."""
        raise NotImplementedError

    def remove_dossier_facts(self, keys: Sequence[str]) -> None:
        """Forget the facts and pauses of dossiers ``keys``."""
        raise NotImplementedError

    def count_dossiers(self, query: DossierCountQuery) -> dict[str, int]:
        """The counting fields of :class:`~egovkit.dossiers.statistics.DossierStatistics`."""
        raise NotImplementedError

    #: Whether this backend keeps the qd766 columns of the facts (:meth:`count_qd766`).
    qd766_facts: bool = False

    def count_qd766(self, start: int, cut: int) -> Qd766Rows:
        """The groups and keys of :func:`fetch_qd766_rows` (instants in
        microseconds)."""
        raise NotImplementedError

    # -- optional: case files (egovkit.records), queried by the backend (SQL)

    #: Whether this backend answers :meth:`select_case_files` and :meth:`case_files_holding`.
    case_file_query: bool = False

    def select_case_files(self, wanted: CaseFileFilter) -> list[Row]:
        """The ``case_files`` records ``wanted`` asks for, in any order (see
        :func:`~egovkit.storage.case_file_sql.case_file_select`)."""
        raise NotImplementedError

    def case_files_holding(self, source: str) -> list[Row]:
        """The ``case_files`` records whose ``sources`` list ``source``, in key order."""
        raise NotImplementedError

    # -- optional: handling facts (egovkit.handling), for work queues and rates counted in SQL

    #: Whether this backend keeps handling facts (:mod:`egovkit.storage.handling`).
    handling_facts: bool = False
    #: Which full-text search the backend's handling statements use: ``sqlite`` or ``postgres``.
    handling_dialect: str = "sqlite"

    def put_handling_facts(
        self,
        cases: Sequence[tuple[Any, ...]],
        tasks: Sequence[tuple[Any, ...]],
        texts: Sequence[tuple[Any, ...]],
    ) -> None:
        """Insert or replace the case rows (and all the task and text rows) of the cases in
        ``cases``."""
        raise NotImplementedError

    def remove_handling_facts(self, keys: Sequence[str]) -> None:
        """Forget the case and task rows of cases ``keys``."""
        raise NotImplementedError

    def handling_rows(self, name: str, parameters: Mapping[str, object]) -> list[tuple[Any, ...]]:
        """The rows of the handling statement ``name``
        (:func:`egovkit.storage.handling.handling_statements`) run with ``parameters``."""
        raise NotImplementedError


class Engine(abc.ABC):
    """A backend's connection handling: opens sessions; owns a blob store."""

    scheme: str = ""

    @abc.abstractmethod
    def begin(self, *, write: bool) -> Session:
        """Start a transaction (``write=False``: a consistent read-only view)."""

    @property
    @abc.abstractmethod
    def blobs(self) -> BlobStore:
        """Where this backend keeps blobs."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections."""


# Where each counted dossier stands at T, as one number (the Standing of the statistics module).
_EARLY, _ON_TIME, _LATE, _WITHDRAWN, _STOPPED, _PAUSED, _OVERDUE, _ON_TRACK, _DUE_SOON = (
    10,
    11,
    12,
    20,
    30,
    40,
    50,
    60,
    61,
)

#: The counting fields, each with the condition (over ``fresh``, ``channel``, ``state``) it counts.
_COUNTED = (
    ("carried_over", "fresh = 0"),
    ("new", "fresh = 1"),
    ("new_direct", "fresh = 1 AND channel = 0"),
    ("new_online", "fresh = 1 AND channel = 1"),
    ("new_postal", "fresh = 1 AND channel = 2"),
    ("finished_early", f"state = {_EARLY}"),
    ("finished_on_time", f"state = {_ON_TIME}"),
    ("finished_late", f"state = {_LATE}"),
    ("in_progress_on_time", f"state >= {_ON_TRACK}"),
    ("in_progress_overdue", f"state = {_OVERDUE}"),
    ("due_within_24h", f"state = {_DUE_SOON}"),
    ("paused", f"state = {_PAUSED}"),
    ("withdrawn", f"state = {_WITHDRAWN}"),
    ("stopped", f"state = {_STOPPED}"),
)


def dossier_count_sql(
    role: str, *, facts: str, pauses: str, mark: Callable[[str], str], fence: str = ""
) -> tuple[str, tuple[str, ...]]:
    """The one SQL statement (SQLite and PostgreSQL alike) that counts the figures of
    :doc:`/explanation/dossiers-statistics` over the fact table ``facts`` for the agency
    column ``role``; ``mark(name)`` writes a named parameter (``:name`` or ``%(name)s``).
    Returns the SQL and the names of the columns it yields, in order.

    The inner query decides once per dossier where it stands at T (finished early, on time or
    late, withdrawn, stopped, paused, overdue, on track, due soon) and whether it is new; the
    outer one only counts (``count(*) FILTER``), so no row is sorted or grouped. ``fence`` keeps
    the database from merging the two (SQLite: ``LIMIT -1 OFFSET 0``), which would evaluate the
    decision once per count.
    """
    if role not in ("competent", "receiving"):
        raise ValidationError(f"no agency role {role!r}", code="dossier.role", where="role")
    start, cut, soon = mark("start"), mark("cut"), mark("soon")
    counted = ",\n  ".join(f"count(*) FILTER (WHERE {rule})" for _, rule in _COUNTED)
    sql = f"""SELECT
  {counted}
FROM (
  SELECT f.channel,
    CASE WHEN f.received_at >= {start} THEN 1 ELSE 0 END AS fresh,
    CASE
      WHEN f.closed_at < {cut} THEN
        CASE f.closed_kind
          WHEN 1 THEN
            CASE WHEN f.closed_at > f.due_at THEN {_LATE}
                 WHEN f.closed_day < f.due_day THEN {_EARLY}
                 ELSE {_ON_TIME} END
          WHEN 2 THEN {_WITHDRAWN}
          ELSE {_STOPPED} END
      WHEN f.pause_from < {cut} AND f.pause_until >= {cut}
        AND EXISTS (SELECT 1 FROM {pauses} p WHERE p.key = f.key
                    AND p.started_at < {cut} AND p.ended_at >= {cut}) THEN {_PAUSED}
      WHEN f.due_at < {cut} THEN {_OVERDUE}
      WHEN f.due_at <= {soon} THEN {_DUE_SOON}
      ELSE {_ON_TRACK} END AS state
  FROM {facts} f
  WHERE f.{role} >= {mark("low")} AND f.{role} < {mark("high")} AND f.received_at < {cut}
    AND NOT (f.received_at < {start} AND f.closed_at < {start})
    AND NOT (f.closed_kind = 4 AND f.closed_at < {cut})
  {fence}
) d"""  # noqa: S608 - only constants and parameter marks are interpolated
    return sql, tuple(name for name, _ in _COUNTED)


#: The flags :func:`qd766_count_sql` decides once per dossier, in bit order (bit 0 first): on
#: time under the 2.1 rule, filed online, finished in the period, with a result, with a result
#: file, with attached papers, recording Decree 45 paper data, with a reused paper, with a paper
#: from a national database or a result kept in the data store, all fees 0, paid online.
QD766_FLAGS: Final = (
    "on_time",
    "online",
    "finished",
    "result",
    "result_file",
    "attachments",
    "papers",
    "reused",
    "data_store",
    "zero_fee",
    "paid_online",
)
#: One group of :func:`fetch_qd766_rows`: competent agency key, procedure, day of receipt
#: (proleptic ordinal; -1 for a dossier received before the period), whether the dossier lists
#: a fee, the names of its :data:`QD766_FLAGS`, and how many dossiers share all of that.
Qd766Group = tuple[str, str, int, bool, frozenset[str], int]


def _qd766_mask(start: str, cut: str) -> str:
    end = f"(CASE WHEN f.closed_at < {cut} THEN f.closed_at ELSE {cut} END)"
    on_time = f"""(CASE
      WHEN f.second_supplement_at < {end} THEN 0
      WHEN (CASE
              WHEN f.supplement_at >= {end} THEN {end}
              WHEN f.supplement_done >= {end} THEN f.supplement_at
              ELSE {end} - (f.supplement_done - f.supplement_at) END) <= f.appointed_at THEN 1
      ELSE 0 END)"""
    rules = {
        "on_time": on_time,
        "online": "(CASE WHEN f.channel = 1 THEN 1 ELSE 0 END)",
        "finished": f"(CASE WHEN f.closed_kind = 1 AND f.closed_at < {cut} THEN 1 ELSE 0 END)",
        "result": f"(CASE WHEN f.result_at < {cut} THEN 1 ELSE 0 END)",
        "result_file": f"(CASE WHEN f.file_result_at < {cut} THEN 1 ELSE 0 END)",
        "attachments": "f.attachments",
        "papers": "f.papers",
        "reused": "f.reused_paper",
        "data_store": f"(CASE WHEN f.national_paper = 1 OR f.stored_result_at < {cut} "
        "THEN 1 ELSE 0 END)",
        "zero_fee": "f.zero_fee",
        "paid_online": f"(CASE WHEN f.paid_online_at < {cut} THEN 1 ELSE 0 END)",
    }
    return "\n    + ".join(f"{rules[name]} * {1 << bit}" for bit, name in enumerate(QD766_FLAGS))


def fetch_qd766_rows(
    run: Callable[[str, Mapping[str, int]], Any],
    statements: tuple[str, str],
    start: int,
    cut: int,
    *,
    grouped: bool,
) -> Qd766Rows:
    """Run the two statements of :func:`qd766_count_sql` with ``run(sql, parameters)`` (which
    returns a cursor) and shape their rows as :meth:`Session.count_qd766` returns them.

    ``grouped``: the statement groups in SQL (PostgreSQL's hash aggregate); otherwise its rows
    are one per dossier and are tallied here — SQLite can only group by sorting, and sorting a
    million rows costs more than counting them in a dictionary.
    """
    scan, rest = statements
    params = {"start": start, "cut": cut}
    cursor = run(scan, params)
    tallied: Iterable[tuple[Any, ...]]
    if grouped:
        tallied = cursor.fetchall()
    else:
        counter: dict[tuple[Any, ...], int] = {}
        get = counter.get
        for row in cursor:
            counter[row] = get(row, 0) + 1
        tallied = [(*key, n) for key, n in counter.items()]
    names: dict[int, frozenset[str]] = {}
    groups: list[Qd766Group] = []
    for agency, procedure, day, listed, mask, n in tallied:
        flags = names.get(mask)
        if flags is None:
            bits = int(mask)
            flags = names[mask] = frozenset(
                name for bit, name in enumerate(QD766_FLAGS) if bits >> bit & 1
            )
        groups.append((str(agency), str(procedure), int(day), bool(listed), flags, int(n)))
    return groups, [str(r[0]) for r in run(rest, params).fetchall()]


def qd766_count_sql(
    *, facts: str, mark: Callable[[str], str], grouped: bool, scan: str = "", unready: str = ""
) -> tuple[str, str]:
    """The two SQL statements (SQLite and PostgreSQL alike) that count what
    :func:`~egovkit.assessment.qd766_dossiers.count_qd766` counts over the fact table
    ``facts``, for the period start ``start`` and the reporting instant ``cut``.

    The first reads every dossier of the population once (received before ``cut``, not closed
    before ``start``, with the qd766 columns: ``qd766_ready = 1``) and gives its competent
    agency key, procedure, day of receipt (-1 before the period), whether it lists a fee and
    its :data:`QD766_FLAGS` as one integer — with ``grouped``, grouped on all five with the
    count; otherwise one row per dossier. ``scan`` is put after the table name (SQLite:
    ``NOT INDEXED``: a plain scan beats any index that does not cover the columns). The second
    gives the keys of the dossiers in the population that SQL cannot decide (``qd766_ready =
    0``), to be counted in Python; ``unready`` names the partial index that finds them.
    """
    start, cut = mark("start"), mark("cut")
    population = f"f.received_at < {cut} AND f.closed_at >= {start}"
    columns = f"""f.competent, f.procedure,
  CASE WHEN f.received_at >= {start} THEN f.received_day ELSE -1 END,
  f.fee_listed,
  {_qd766_mask(start, cut)}"""
    counted = ",\n  count(*)" if grouped else ""
    main = f"""SELECT {columns}{counted}
FROM {facts} f {scan}
WHERE f.qd766_ready = 1 AND {population}"""  # noqa: S608 - only constants and parameter marks
    if grouped:
        main += "\nGROUP BY 1, 2, 3, 4, 5"
    rest = f"SELECT f.key FROM {facts} f {unready} WHERE f.qd766_ready = 0 AND {population}"  # noqa: S608
    return main, rest


def dossier_count_parameters(query: DossierCountQuery) -> dict[str, object]:
    """The named parameters of :func:`dossier_count_sql` for ``query``."""
    return {
        "start": query.start,
        "cut": query.cut,
        "soon": query.soon,
        "low": query.agency_low,
        "high": query.agency_high,
    }


def utc_now() -> datetime.datetime:
    """Now, in UTC, to the microsecond (the default audit clock)."""
    return datetime.datetime.now(datetime.UTC)


def _canonical_encoder() -> Callable[[object, int], Sequence[str]]:
    """The C encoder behind :func:`~egovkit.ports.canonical_json`, made once instead of once
    per call (that set-up is a third of the time of encoding a small record): it returns the
    text in pieces, to be joined. Falls back to canonical_json where that encoder is missing.
    Without circularity marks: on any error, encode again with canonical_json, which has them
    and raises the proper error."""

    def fallback(data: object, _level: int) -> Sequence[str]:
        return (canonical_json(data),)

    sample = {"b": [1, 2.5, None, "đ\n"], "a": True}
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return fallback
    template = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        encoder = make(
            None,
            template.default,
            json.encoder.encode_basestring,
            None,
            template.key_separator,
            template.item_separator,
            template.sort_keys,
            template.skipkeys,
            template.allow_nan,
        )
        if "".join(encoder(sample, 0)) == canonical_json(sample):
            return encoder  # type: ignore[no-any-return]
    except TypeError:  # another interpreter's private signature
        pass
    return fallback


_pieces = _canonical_encoder()


def canonical_body(data: object) -> str:
    """:func:`~egovkit.ports.canonical_json` of a record's data, the same text, faster."""
    try:
        return "".join(_pieces(data, 0))
    except Exception:
        return canonical_json(data)


def body_digest(body: str) -> str:
    """SHA-256 of a record body's UTF-8 bytes."""
    return sha256_hex(body.encode("utf-8"))


def _number_digest(number: int) -> str:
    return sha256_hex(str(number).encode("ascii"))


class EngineUnitOfWork(UnitOfWork):
    """A transaction of an :class:`EngineStore`; audit entries are appended at commit."""

    def __init__(
        self, session: Session, actor: str, clock: Callable[[], datetime.datetime]
    ) -> None:
        self.session = session
        self.actor = actor
        self._clock = clock
        self.changes: list[ChangeRow] = []
        self._records = _Records(self.run)
        self._documents = RecordDocuments(self._records)
        self._entries = RecordRegisterEntries(self._records)
        self._sequences = _Sequences(self.run)

    def run(self, work: Callable[[EngineUnitOfWork], T], *, write: bool = True) -> T:
        """Run ``work`` in this unit of work."""
        return work(self)

    @property
    def records(self) -> RecordRepository:
        return self._records

    @property
    def documents(self) -> DocumentRepository:
        return self._documents

    @property
    def register_entries(self) -> RegisterEntryRepository:
        return self._entries

    @property
    def sequences(self) -> SequenceAllocator:
        return self._sequences

    @property
    def dossiers(self) -> DossierRepository:
        from egovkit.dossiers.persistence.repository import RecordDossiers

        session = self.session
        counter = session.count_dossiers if session.dossier_facts else None
        qd766 = session.count_qd766 if session.qd766_facts else None
        return RecordDossiers(
            self._records,
            events=self,
            counter=counter,
            qd766=qd766,
            bulk=self._records.add_with_facts if session.dossier_facts else None,
        )

    def log_event(
        self,
        *,
        action: str,
        collection: str,
        key: str,
        version: int,
        digest: str,
        actor: str,
    ) -> None:
        self.changes.append((action, collection, key, version, None, digest, actor))  # ChangeRow

    def commit(self) -> None:
        if self.changes:
            head = self.session.audit_head(lock=True)
            at = self._clock()
            rows = audit_rows(head, _events_first(self.changes), at=at, actor=self.actor)
            self.session.append_audit_rows(rows, at=at)
            self.changes.clear()
        self.session.commit()


_json_text: Callable[[str], str] = json.encoder.encode_basestring


def audit_rows(
    head: AuditHead, changes: Iterable[ChangeRow], *, at: datetime.datetime, actor: str
) -> Iterator[AuditRow]:
    """The audit entries of ``changes``, chained after ``head``, as rows made one at a time:
    the hashes of :func:`~egovkit.ports.chain`, without an object per entry (a bulk import
    commits 100,000 entries at once). Each payload is the canonical JSON of the entry's
    fields (:meth:`~egovkit.ports.AuditEntry.payload`), written out directly."""
    iso = at.isoformat()
    stamp = _json_text(iso)
    common = f"{stamp},{_json_text(actor)}"
    sequence, previous = head.sequence, head.hash
    sha256 = hashlib.sha256
    last_action = last_collection = middle = ""
    for action, collection, key, version, before, after, own in changes:
        sequence += 1
        if action != last_action or collection != last_collection or not middle:
            # a bulk import repeats them: their JSON is made once per run of equal ones
            last_action, last_collection = action, collection
            middle = f"{_json_text(action)},{_json_text(collection)}"
        who = common if own is None else f"{stamp},{_json_text(own)}"
        payload = (
            f"[{sequence},{who},{middle},{_json_text(key)},{int(version)},"
            f"{'null' if before is None else _json_text(before)},"
            f"{'null' if after is None else _json_text(after)},{_json_text(previous)}]"
        )
        digest = sha256(payload.encode()).hexdigest()
        yield (
            sequence,
            iso,
            actor if own is None else own,
            action,
            collection,
            key,
            version,
            before,
            after,
            previous,
            digest,
        )
        previous = digest


def _audit_entry(row: AuditRow, at: datetime.datetime) -> AuditEntry:
    sequence, _, actor, action, collection, key, version, before, after, previous, digest = row
    return AuditEntry(
        sequence=sequence,
        at=at,
        actor=actor,
        action=action,
        collection=collection,
        key=key,
        version=version,
        before=before,
        after=after,
        previous=previous,
        hash=digest,
    )


def audit_entry_from_row(row: Sequence[Any]) -> AuditEntry:
    """An audit entry from a database row in the column order every SQL backend stores:
    sequence, at (ISO text), actor, action, collection, key, version, before, after, previous,
    hash."""
    return AuditEntry(
        sequence=row[0],
        at=datetime.datetime.fromisoformat(row[1]),
        actor=row[2],
        action=row[3],
        collection=row[4],
        key=row[5],
        version=row[6],
        before=row[7],
        after=row[8],
        previous=row[9],
        hash=row[10],
    )


def _events_first(changes: list[ChangeRow]) -> list[ChangeRow]:
    """``changes`` with each record's events (changes naming their own actor) moved just
    before the record's last write, so the last entry of every record is the write that gives
    its digest (what backups check records against)."""
    if all(change[_ACTOR] is None for change in changes):  # no events: a bulk import, say
        return changes
    events: dict[tuple[str, str], list[ChangeRow]] = {}
    last: dict[tuple[str, str], int] = {}
    for index, change in enumerate(changes):
        name = (change[_COLLECTION], change[_KEY])
        if change[_ACTOR] is None:
            last[name] = index
        else:
            events.setdefault(name, []).append(change)
    ordered: list[ChangeRow] = []
    for index, change in enumerate(changes):
        name = (change[_COLLECTION], change[_KEY])
        if change[_ACTOR] is None:
            if last[name] == index:
                ordered += events.pop(name, [])
            ordered.append(change)
        elif name not in last:
            ordered.append(change)
    return ordered


class Runner(Protocol):
    """Runs a piece of work in a unit of work (the current one, or a fresh transaction)."""

    def __call__(self, work: Callable[[EngineUnitOfWork], T], *, write: bool = True) -> T: ...


class _Records(RecordRepository):
    def __init__(self, run: Runner) -> None:
        self._call = run

    def find(self, collection: str, key: str) -> Record | None:
        def work(uow: EngineUnitOfWork) -> Record | None:
            found = uow.session.get(collection, key)
            if found is None:
                return None
            return _record(collection, key, found[0], found[1])

        return self._call(work, write=False)

    def add(self, record: Record) -> Record:
        _expect_new(record)
        body = record.body()

        def work(uow: EngineUnitOfWork) -> Record:
            uow.session.insert(record.collection, [(record.key, 1, body)])
            _project(uow.session, record.collection, [record])
            uow.changes.append(
                Change(
                    action="add",
                    collection=record.collection,
                    key=record.key,
                    version=1,
                    before=None,
                    after=body_digest(body),
                )
            )
            return attrs.evolve(record, version=1)

        return self._call(work)

    def add_many(self, records: Iterable[Record]) -> int:
        return self.add_with_facts((record, None) for record in records)

    def add_with_facts(self, items: Iterable[tuple[Record, TakenFacts | None]]) -> int:
        """:meth:`add_many`, where a dossier record may come with its facts already taken
        (:func:`~egovkit.dossiers.persistence.facts.facts_of` of the dossier itself, which
        equals facts_of_data of its JSON form), so its data is not read a second time."""
        # one tight loop: this is the import path (no attribute look-ups or keyword calls
        # per record that can be hoisted; same rows and changes as add() one by one)
        by_collection: dict[str, list[Row]] = {}
        changes: list[ChangeRow] = []
        dossiers: list[Record] = []
        handling: list[Record] = []  # handling cases, projected after the insert
        # a dossier's facts are taken at once, so that its record and JSON data are not kept
        # alive to the end (100,000 nests of dicts pending would set off full collections);
        # data that has no facts is kept, for _project to raise its error in the transaction
        fact_rows: list[FactRow] = []
        pauses: list[PauseRow] = []
        facts_of: _FactsOf | None = None
        pieces, join, sha256 = _pieces, "".join, hashlib.sha256
        add_change = changes.append
        current, rows = "", []
        for record, taken in items:
            if record.version != 0:
                _expect_new(record)
            collection, key, data = record.collection, record.key, record.data
            try:
                body = join(pieces(data, 0))  # canonical_body(data), inlined
            except Exception:
                body = canonical_json(data)
            if collection != current:
                current, rows = collection, by_collection.setdefault(collection, [])
            rows.append((key, 1, body))
            digest = sha256(body.encode()).hexdigest()
            add_change(("add", collection, key, 1, None, digest, None))  # a ChangeRow
            if collection == DOSSIERS:
                if taken is not None:
                    fact_rows.append(taken[0])
                    pauses += taken[1]
                    continue
                if facts_of is None:
                    facts_of = _facts_of()
                try:
                    fact, spans = facts_of(key, data)
                except Exception:
                    dossiers.append(record)
                else:
                    fact_rows.append(fact)
                    pauses += spans
            elif collection == HANDLING:
                handling.append(record)

        def work(uow: EngineUnitOfWork) -> int:
            for collection, rows in by_collection.items():
                uow.session.insert(collection, rows)
            if fact_rows and uow.session.dossier_facts:
                uow.session.put_dossier_facts(fact_rows, pauses)
            _project(uow.session, DOSSIERS, dossiers)
            _project(uow.session, HANDLING, handling)
            uow.changes.extend(changes)
            return len(changes)

        return self._call(work)

    def update(self, record: Record) -> Record:
        body = record.body()

        def work(uow: EngineUnitOfWork) -> Record:
            old = _current(uow.session, record)
            version = record.version + 1
            uow.session.replace(record.collection, (record.key, version, body))
            _project(uow.session, record.collection, [record])
            uow.changes.append(
                Change(
                    action="update",
                    collection=record.collection,
                    key=record.key,
                    version=version,
                    before=body_digest(old),
                    after=body_digest(body),
                )
            )
            return attrs.evolve(record, version=version)

        return self._call(work)

    def delete(self, record: Record) -> None:
        def work(uow: EngineUnitOfWork) -> None:
            old = _current(uow.session, record)
            uow.session.remove(record.collection, record.key)
            if record.collection == DOSSIERS and uow.session.dossier_facts:
                uow.session.remove_dossier_facts([record.key])
            if record.collection == HANDLING and uow.session.handling_facts:
                uow.session.remove_handling_facts([record.key])
            uow.changes.append(
                Change(
                    action="delete",
                    collection=record.collection,
                    key=record.key,
                    version=record.version,
                    before=body_digest(old),
                    after=None,
                )
            )

        self._call(work)

    def scan(
        self, collection: str, *, prefix: str = "", after: str = "", limit: int | None = None
    ) -> Iterator[Record]:
        if limit is not None and limit < 0:
            raise ValidationError("limit must be >= 0", code="record.limit", where="limit")
        left = limit
        while left is None or left > 0:
            page = PAGE_SIZE if left is None else min(PAGE_SIZE, left)
            last = after

            def work(uow: EngineUnitOfWork, last: str = last, page: int = page) -> list[Row]:
                return uow.session.scan(collection, prefix, last, page)

            rows = self._call(work, write=False)
            for key, version, body in rows:
                yield _record(collection, key, version, body)
            if len(rows) < page:
                return
            after = rows[-1][0]
            if left is not None:
                left -= len(rows)

    def count(self, collection: str) -> int:
        return self._call(lambda uow: uow.session.count(collection), write=False)

    def claim(
        self,
        collection: str,
        *,
        owner: str,
        now: int,
        until: int,
        after: str = "",
        limit: int = 100,
    ) -> list[Record]:
        if limit < 1:
            raise ValidationError("limit must be >= 1", code="record.limit", where="limit")
        check_key(owner)

        def work(uow: EngineUnitOfWork) -> list[Record]:
            taken = uow.session.claim(collection, after, limit, now, until, owner)
            for (key, version, body), before in taken:
                uow.changes.append(
                    Change(
                        action="update",
                        collection=collection,
                        key=key,
                        version=version,
                        before=body_digest(before),
                        after=body_digest(body),
                    )
                )
            return [_record(collection, *row) for row, _ in taken]

        return self._call(work)

    def collections(self) -> list[str]:
        return self._call(lambda uow: uow.session.collections(), write=False)


#: :func:`egovkit.dossiers.persistence.facts.facts_of_data`.
_FactsOf = Callable[[str, Mapping[str, Any]], tuple[FactRow, list[PauseRow]]]


def _facts_of() -> _FactsOf:
    from egovkit.dossiers.persistence.facts import facts_of_data

    return facts_of_data


def _project(session: Session, collection: str, records: Sequence[Record]) -> None:
    """Keep the backend's dossier facts in step with the dossier records just written."""
    if collection == HANDLING and records and session.handling_facts:
        from egovkit.storage.handling import project_handling

        project_handling(session, records)
        return
    if collection != DOSSIERS or not records or not session.dossier_facts:
        return
    from egovkit.dossiers.persistence.facts import facts_of_data

    facts: list[FactRow] = []
    pauses: list[PauseRow] = []
    for record in records:
        row, spans = facts_of_data(record.key, record.data)
        facts.append(row)
        pauses += spans
    session.put_dossier_facts(facts, pauses)


def _record(collection: str, key: str, version: int, body: str) -> Record:
    return Record(collection=collection, key=key, version=version, data=json.loads(body))


def _expect_new(record: Record) -> None:
    if record.version != 0:
        raise ConflictError(
            f"record {record.key!r} was already stored (version {record.version}); use update",
            code="record.not_new",
            where=record.key,
        )


def _current(session: Session, record: Record) -> str:
    found = session.get(record.collection, record.key, lock=True)
    if found is None:
        raise ConflictError(
            f"record {record.key!r} in {record.collection!r} was deleted meanwhile",
            code="record.stale",
            where=record.key,
        )
    version, body = found
    if version != record.version:
        raise ConflictError(
            f"record {record.key!r} in {record.collection!r} is at version {version}, "
            f"not {record.version}: read it again and retry",
            code="record.stale",
            where=record.key,
        )
    return body


class _Sequences(SequenceAllocator):
    def __init__(self, run: Runner) -> None:
        self._run = run

    def allocate(self, key: SequenceKey) -> int:
        name = str(key)

        def work(uow: EngineUnitOfWork) -> int:
            number = uow.session.allocate(name)
            uow.changes.append(
                Change(
                    action="allocate",
                    collection="sequence",
                    key=name,
                    version=number,
                    before=_number_digest(number - 1),
                    after=_number_digest(number),
                )
            )
            return number

        return self._run(work)

    def current(self, key: SequenceKey) -> int:
        name = str(key)

        def work(uow: EngineUnitOfWork) -> int:
            return uow.session.current(name)

        return self._run(work, write=False)


# --------------------------------------------------------------------------- the store


class _Audit(AuditLog):
    def __init__(self, store: EngineStore) -> None:
        self._store = store

    def head(self) -> AuditHead:
        return self._store.read(lambda session: session.audit_head())

    def entries(self, *, start: int = 1) -> Iterator[AuditEntry]:
        while True:
            first = start

            def page(session: Session, first: int = first) -> list[AuditEntry]:
                return session.audit_entries(first, PAGE_SIZE)

            batch = self._store.read(page)
            yield from batch
            if len(batch) < PAGE_SIZE:
                return
            start = batch[-1].sequence + 1


class EngineStore(Store):
    """A :class:`~egovkit.ports.Store` on top of an :class:`Engine`."""

    def __init__(
        self,
        engine: Engine,
        *,
        actor: str = "system",
        clock: Callable[[], datetime.datetime] = utc_now,
    ) -> None:
        self.engine = engine
        self.scheme = engine.scheme
        self.actor = actor
        self._clock = clock
        self._records = _Records(self._autocommit)
        self._documents = RecordDocuments(self._records)
        self._entries = RecordRegisterEntries(self._records)
        self._sequences = _Sequences(self._autocommit)
        self._audit = _Audit(self)
        self._local = threading.local()

    # -- transactions

    def _not_nested(self) -> None:
        if getattr(self._local, "active", False):
            raise ConflictError(
                "a transaction is already open in this thread; use its unit of work",
                code="store.nested_transaction",
            )

    @contextmanager
    def _transaction(self, actor: str | None) -> Iterator[EngineUnitOfWork]:
        self._not_nested()
        session = self.engine.begin(write=True)
        uow = EngineUnitOfWork(session, actor or self.actor, self._clock)
        self._local.active = True
        try:
            yield uow
        except BaseException:
            session.rollback()
            raise
        else:
            try:
                uow.commit()
            except BaseException:
                session.rollback()
                raise
        finally:
            self._local.active = False

    def transaction(self, *, actor: str | None = None) -> AbstractContextManager[UnitOfWork]:
        return self._transaction(actor)

    def _autocommit(self, work: Callable[[EngineUnitOfWork], T], *, write: bool = True) -> T:
        if write:
            with self._transaction(None) as uow:
                return work(uow)
        self._not_nested()
        session = self.engine.begin(write=False)
        try:
            return work(EngineUnitOfWork(session, self.actor, self._clock))
        finally:
            session.rollback()

    def read(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in a read-only transaction."""
        self._not_nested()
        session = self.engine.begin(write=False)
        try:
            return work(session)
        finally:
            session.rollback()

    # -- ports

    @property
    def records(self) -> RecordRepository:
        return self._records

    @property
    def documents(self) -> DocumentRepository:
        return self._documents

    @property
    def register_entries(self) -> RegisterEntryRepository:
        return self._entries

    @property
    def sequences(self) -> SequenceAllocator:
        return self._sequences

    @property
    def blobs(self) -> BlobStore:
        return self.engine.blobs

    @property
    def audit(self) -> AuditLog:
        return self._audit

    @property
    def dossiers(self) -> DossierRepository:
        from egovkit.dossiers.persistence.repository import TransactionalDossiers

        def read(work: Callable[[DossierRepository], T]) -> T:
            return self._autocommit(lambda uow: work(uow.dossiers), write=False)

        return TransactionalDossiers(self, read=read)

    # -- handling (egovkit.handling): queries in SQL where the backend keeps handling facts

    def handling_queries(self) -> HandlingQueries | None:
        """The backend's SQL answers to :class:`~egovkit.handling.queries.HandlingQueries`, or
        ``None`` when it keeps no handling facts (the caller then counts in Python)."""
        from egovkit.storage.handling import SqlHandlingQueries

        probe = self.engine.begin(write=False)
        try:
            kept = probe.handling_facts
        finally:
            probe.rollback()
        if not kept:
            return None

        def run(name: str, parameters: Mapping[str, object]) -> list[tuple[Any, ...]]:
            return self.read(lambda session: session.handling_rows(name, parameters))

        return SqlHandlingQueries(run)

    def handling_search(self) -> CaseSearch | None:
        """The backend's full-text answers to :class:`~egovkit.handling.search.CaseSearch`, or
        ``None`` when it keeps no handling facts."""
        from egovkit.storage.handling import SqlCaseSearch

        probe = self.engine.begin(write=False)
        try:
            kept = probe.handling_facts
            dialect = probe.handling_dialect
        finally:
            probe.rollback()
        if not kept:
            return None
        return SqlCaseSearch(
            lambda name, parameters: self.read(lambda s: s.handling_rows(name, parameters)),
            dialect=dialect,
        )

    # -- backup and restore

    @contextmanager
    def _snapshot(self) -> Iterator[Snapshot]:
        self._not_nested()
        session = self.engine.begin(write=False)
        try:
            yield Snapshot(
                records=_all_records(session),
                sequences=session.sequences(),
                audit=_all_audit(session),
                head=session.audit_head(),
            )
        finally:
            session.rollback()

    def snapshot(self) -> AbstractContextManager[Snapshot]:
        return self._snapshot()

    def load(self, snapshot: Snapshot) -> None:
        self._not_nested()
        session = self.engine.begin(write=True)
        try:
            if (
                session.collections()
                or session.sequences()
                or session.audit_head(lock=True).sequence
            ):
                raise ConflictError(
                    "a snapshot is loaded only into an empty store",
                    code="store.not_empty",
                )
            batch: dict[str, list[Row]] = {}
            size = 0
            for record in snapshot.records:
                batch.setdefault(record.collection, []).append(
                    (record.key, record.version, record.body())
                )
                size += 1
                if size >= 10_000:
                    _flush(session, batch)
                    size = 0
            _flush(session, batch)
            session.set_sequences(list(snapshot.sequences))
            session.replace_audit(list(snapshot.audit), snapshot.head)
            session.commit()
        except BaseException:
            session.rollback()
            raise

    def close(self) -> None:
        self.engine.close()


def _flush(session: Session, batch: dict[str, list[Row]]) -> None:
    for collection, rows in batch.items():
        session.insert(collection, rows)
        if collection == DOSSIERS and session.dossier_facts:
            _project(session, DOSSIERS, [_record(DOSSIERS, *row) for row in rows])
        if collection == HANDLING and session.handling_facts:
            _project(session, HANDLING, [_record(HANDLING, *row) for row in rows])
    batch.clear()


def _all_records(session: Session) -> Iterator[Record]:
    for collection in session.collections():
        after = ""
        while True:
            rows = session.scan(collection, "", after, PAGE_SIZE * 10)
            for key, version, body in rows:
                yield _record(collection, key, version, body)
            if len(rows) < PAGE_SIZE * 10:
                break
            after = rows[-1][0]


def _all_audit(session: Session) -> Iterator[AuditEntry]:
    start = 1
    while True:
        batch = session.audit_entries(start, PAGE_SIZE * 10)
        yield from batch
        if len(batch) < PAGE_SIZE * 10:
            return
        start = batch[-1].sequence + 1


def rewrite_audit(store: EngineStore, entries: Sequence[AuditEntry], head: AuditHead) -> None:
    """Hazardous, for tamper tests: overwrite the stored audit log without any check."""
    session = store.engine.begin(write=True)
    try:
        session.replace_audit(entries, head)
        session.commit()
    except BaseException:
        session.rollback()
        raise


__all__ = [
    "DOSSIERS",
    "PAGE_SIZE",
    "QD766_FLAGS",
    "AuditRow",
    "Change",
    "ChangeRow",
    "Engine",
    "EngineStore",
    "EngineUnitOfWork",
    "FactRow",
    "PauseRow",
    "Qd766Group",
    "Qd766Rows",
    "Row",
    "Runner",
    "Session",
    "audit_rows",
    "body_digest",
    "canonical_body",
    "dossier_count_parameters",
    "dossier_count_sql",
    "fetch_qd766_rows",
    "qd766_count_sql",
    "rewrite_audit",
    "utc_now",
]
