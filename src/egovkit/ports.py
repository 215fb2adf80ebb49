"""The abstract interfaces (ports) that storage and external-system adapters implement.

The domain depends only on these; adapters in ``egovkit.storage`` and in the ``adapters/``
distributions implement them. A :class:`Store` bundles every storage port; its
:meth:`Store.transaction` is the unit of work that groups changes so they all happen or none do.
Records carry a ``version`` (optimistic concurrency): writing a stale version raises
:class:`~egovkit.errors.ConflictError`.
"""

from __future__ import annotations

import abc
import datetime
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, TypeVar

import attrs

from egovkit.errors import NotFoundError, PolicyError, StorageError, ValidationError

if TYPE_CHECKING:  # pragma: no cover - the domain imports this module, not the other way round
    from egovkit.agencies import AgencyCode
    from egovkit.assessment.qd766_dossiers import ProcedureFees, Qd766Counts
    from egovkit.calendar import WorkCalendar
    from egovkit.documents.model import Document
    from egovkit.documents.registers import Register, RegisterEntry
    from egovkit.dossiers.model import Dossier
    from egovkit.dossiers.statistics import AgencyRole, DossierStatistics


T = TypeVar("T")


def _parts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class SequenceKey:
    """Names one gap-free counter, e.g. ``register/000.00.00.H41/outgoing/main/2026/ordinary``."""

    namespace: str
    parts: tuple[str, ...] = attrs.field(converter=_parts)

    def __attrs_post_init__(self) -> None:
        if not self.namespace or any(not p or "/" in p for p in (self.namespace, *self.parts)):
            raise ValidationError(
                f"sequence key parts must be non-empty and free of '/': {self!r}",
                code="sequence_key.part",
                where="sequence_key",
            )

    def __str__(self) -> str:
        return "/".join((self.namespace, *self.parts))

    @classmethod
    def parse(cls, text: str) -> SequenceKey:
        """Read the ``str()`` form back (``namespace/part/part…``)."""
        namespace, *parts = text.split("/")
        return cls(namespace, parts)


class SequenceAllocator(abc.ABC):
    """Hands out gap-free numbers: 1, 2, 3, … per key, never the same number twice."""

    @abc.abstractmethod
    def allocate(self, key: SequenceKey) -> int:
        """Reserve and return the next number of ``key`` (1 for a new key)."""

    @abc.abstractmethod
    def current(self, key: SequenceKey) -> int:
        """The last number handed out for ``key`` (0 when none was)."""


# --------------------------------------------------------------------------- integrity


class IntegrityError(ValidationError):
    """Stored or archived data does not match its digests or its audit chain (tampering,
    corruption or truncation). Readable input that failed a check, hence a ValidationError."""

    default_code = "integrity"


def sha256_hex(data: bytes) -> str:
    """The lower-case hexadecimal SHA-256 digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


_DIGEST = re.compile(r"[0-9a-f]{64}")


def check_digest(value: object, *, where: str = "sha256") -> str:
    """``value`` if it is a lower-case hexadecimal SHA-256 digest, else a ValidationError."""
    if not isinstance(value, str) or not _DIGEST.fullmatch(value):
        raise ValidationError(
            f"not a SHA-256 digest: {value!r}", code="storage.digest", where=where
        )
    return value


# --------------------------------------------------------------------------- records

_COLLECTION = re.compile(r"[a-z][a-z0-9_.-]{0,62}")
MAX_KEY_LENGTH = 512
_KEY_FORBIDDEN = re.compile("[\x00-\x1f\x7f\U0010ffff]")


def _check_collection(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not _COLLECTION.fullmatch(value):
        raise ValidationError(
            f"collection names are 1-63 lower-case ASCII letters, digits, '_', '.', '-': {value!r}",
            code="record.collection",
            where="collection",
        )


def check_key(value: object) -> str:
    """``value`` if it is a usable record key: 1-512 characters, no control characters."""
    if (
        not isinstance(value, str)
        or not value
        or len(value) > MAX_KEY_LENGTH
        or _KEY_FORBIDDEN.search(value)
    ):
        raise ValidationError(
            f"record keys are 1-{MAX_KEY_LENGTH} printable characters: {value!r}",
            code="record.key",
            where="key",
        )
    return value


def _check_key(_instance: object, _attribute: object, value: Any) -> None:
    check_key(value)


def _check_version(_instance: object, _attribute: object, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            f"a record version is a whole number >= 0: {value!r}",
            code="record.version",
            where="version",
        )


_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_json(data: object) -> str:
    """The one text form of JSON-ready ``data`` that digests are taken over (sorted keys)."""
    return _CANONICAL.encode(data)


@attrs.frozen(kw_only=True)
class Record:
    """One stored JSON document of a collection, under a key, at a version.

    ``version`` is 0 for a record not stored yet, then 1, 2, … after each write. Pass the record
    you read back to :meth:`RecordRepository.update`; if someone wrote in between, the update
    raises :class:`~egovkit.errors.ConflictError`.
    """

    collection: str = attrs.field(validator=_check_collection)
    key: str = attrs.field(validator=_check_key)
    data: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    version: int = attrs.field(default=0, validator=_check_version)

    def body(self) -> str:
        """The canonical JSON text of ``data``."""
        return canonical_json(self.data)

    def digest(self) -> str:
        """SHA-256 of :meth:`body`: what the audit log records as before/after."""
        return sha256_hex(self.body().encode("utf-8"))


class RecordRepository(abc.ABC):
    """Versioned JSON records by collection and key: the generic persistence every typed
    repository (documents, register entries, dossiers…) builds on."""

    @abc.abstractmethod
    def find(self, collection: str, key: str) -> Record | None:
        """The record, or ``None`` when there is none."""

    def get(self, collection: str, key: str) -> Record:
        """The record, or :class:`~egovkit.errors.NotFoundError`."""
        record = self.find(collection, key)
        if record is None:
            raise NotFoundError(
                f"no record {key!r} in {collection!r}", code="record.not_found", where=key
            )
        return record

    @abc.abstractmethod
    def add(self, record: Record) -> Record:
        """Store a new record (its version must be 0); returns it at version 1.

        A key already present raises :class:`~egovkit.errors.ConflictError`.
        """

    @abc.abstractmethod
    def add_many(self, records: Iterable[Record]) -> int:
        """Store many new records at once (fast path for imports); returns how many."""

    @abc.abstractmethod
    def update(self, record: Record) -> Record:
        """Replace the stored record whose version is ``record.version``; returns the next version.

        A stale version raises :class:`~egovkit.errors.ConflictError` (read again and retry).
        """

    @abc.abstractmethod
    def delete(self, record: Record) -> None:
        """Remove the stored record whose version is ``record.version`` (stale: ConflictError)."""

    @abc.abstractmethod
    def scan(
        self, collection: str, *, prefix: str = "", after: str = "", limit: int | None = None
    ) -> Iterator[Record]:
        """Records of ``collection`` in key order (code-point order), optionally only keys
        starting with ``prefix`` and greater than ``after``."""

    @abc.abstractmethod
    def count(self, collection: str) -> int:
        """How many records ``collection`` holds."""

    @abc.abstractmethod
    def collections(self) -> list[str]:
        """The names of the non-empty collections, sorted."""

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
        """Take up to ``limit`` records of ``collection`` (keys above ``after``, in key order)
        that nobody else holds, for ``owner`` until ``until``; returns them as now stored.

        A work queue for several workers (see :mod:`egovkit.storage.claims`): a record is free
        when its ``lease_until`` field (microseconds since the Unix epoch; absent: 0) is at
        most ``now``, or its ``lease_owner`` is ``owner`` (a worker restarted under its name
        takes its claims back at once). Taking sets both fields. Records another transaction
        is claiming at that moment are skipped, never waited for or taken twice.
        """
        raise PolicyError(
            f"{type(self).__name__} cannot claim records", code="record.claim", where=collection
        )


# --------------------------------------------------------------------------- typed repositories


@attrs.frozen(kw_only=True)
class StoredDocument:
    """A document as stored: its key, its version (for optimistic concurrency) and the value."""

    key: str
    version: int
    document: Document


class DocumentRepository(abc.ABC):
    """Administrative documents (văn bản) by key."""

    @abc.abstractmethod
    def add(self, document: Document, *, key: str | None = None) -> StoredDocument:
        """Store a new document under ``key`` (a fresh UUID when ``None``)."""

    @abc.abstractmethod
    def get(self, key: str) -> StoredDocument:
        """The stored document, or :class:`~egovkit.errors.NotFoundError`."""

    @abc.abstractmethod
    def update(self, stored: StoredDocument, document: Document) -> StoredDocument:
        """Replace ``stored`` (at its version) by ``document``; stale: ConflictError."""

    @abc.abstractmethod
    def all(self) -> Iterator[StoredDocument]:
        """Every stored document, in key order."""


class RegisterEntryRepository(abc.ABC):
    """Lines of registers (sổ đăng ký văn bản đi/đến), found by register, year and number."""

    @abc.abstractmethod
    def record(self, entry: RegisterEntry) -> RegisterEntry:
        """Store ``entry``; the same register, year, secrecy and number twice: ConflictError."""

    @abc.abstractmethod
    def get(self, register: Register, year: int, number: int, *, secret: bool) -> RegisterEntry:
        """One entry, or :class:`~egovkit.errors.NotFoundError`."""

    @abc.abstractmethod
    def entries(self, register: Register, year: int, *, secret: bool) -> Iterator[RegisterEntry]:
        """A register's entries of ``year`` in number order."""


@attrs.frozen(kw_only=True)
class StoredDossier:
    """A dossier as stored: its key (the dossier code), its version and the value."""

    key: str
    version: int
    dossier: Dossier


class DossierRepository(abc.ABC):
    """One-stop dossiers (hồ sơ một cửa) by code, and their statistics.

    Every save also writes one audit entry per new
    :class:`~egovkit.dossiers.transitions.TransitionRecord` of the dossier's history, in the same
    transaction; :meth:`statistics` is computed by the store (SQL where it has SQL).
    """

    @abc.abstractmethod
    def add(self, dossier: Dossier) -> StoredDossier:
        """Store a new dossier under its code; the same code twice: ConflictError."""

    @abc.abstractmethod
    def add_many(self, dossiers: Iterable[Dossier]) -> int:
        """Store many new dossiers at once (imports); returns how many."""

    @abc.abstractmethod
    def find(self, code: str) -> StoredDossier | None:
        """The stored dossier, or ``None``."""

    def get(self, code: str) -> StoredDossier:
        """The stored dossier, or :class:`~egovkit.errors.NotFoundError`."""
        found = self.find(code)
        if found is None:
            raise NotFoundError(f"no dossier {code!r}", code="dossier.not_found", where=code)
        return found

    @abc.abstractmethod
    def update(self, stored: StoredDossier, dossier: Dossier) -> StoredDossier:
        """Replace ``stored`` (at its version) by ``dossier``, whose history must continue the
        stored one; stale: ConflictError."""

    @abc.abstractmethod
    def delete(self, stored: StoredDossier) -> None:
        """Remove ``stored`` (at its version); stale: ConflictError."""

    @abc.abstractmethod
    def all(self) -> Iterator[StoredDossier]:
        """Every stored dossier, in code order."""

    @abc.abstractmethod
    def statistics(
        self,
        *,
        agency: AgencyCode,
        start: datetime.date,
        end: datetime.date,
        as_of: datetime.datetime | None = None,
        role: AgencyRole | None = None,
        include_subunits: bool = False,
    ) -> DossierStatistics:
        """The figures of :func:`~egovkit.dossiers.statistics.compute_statistics` for the
        stored dossiers (same arguments, same result; ``role`` defaults to competent)."""

    def qd766_counts(
        self,
        *,
        start: datetime.date,
        end: datetime.date,
        as_of: datetime.datetime | None = None,
        agencies: Iterable[str] | None = None,
        fees: ProcedureFees | None = None,
        calendar: WorkCalendar | None = None,
    ) -> dict[str, Qd766Counts]:
        """:func:`~egovkit.assessment.qd766_dossiers.count_qd766` of the stored dossiers (same
        arguments; ``fees`` decides fee-bearing from the procedure code, the day of receipt and
        whether the dossier lists a fee). This default reads every dossier; a store with SQL
        counts there."""
        from egovkit.assessment.qd766_dossiers import count_qd766, fee_predicate

        return count_qd766(
            (s.dossier for s in self.all()),
            start=start,
            end=end,
            as_of=as_of,
            agencies=agencies,
            fee_bearing=fee_predicate(fees),
            calendar=calendar,
        )


@attrs.frozen(kw_only=True)
class DossierCountQuery:
    """What a backend counts for dossier statistics, as plain values: the role's agency column
    between ``agency_low`` (included) and ``agency_high`` (excluded) — agency codes written
    level 1 first, see :func:`~egovkit.dossiers.persistence.facts.agency_key` — and the
    instants S (``start``), T (``cut``) and T + 24 h (``soon``) in microseconds since the epoch."""

    role: str
    agency_low: str
    agency_high: str
    start: int
    cut: int
    soon: int


# --------------------------------------------------------------------------- blobs


@attrs.frozen(kw_only=True)
class BlobRef:
    """A stored file, named only by its content: SHA-256 digest and size in bytes."""

    sha256: str = attrs.field(validator=lambda _i, _a, v: check_digest(v))
    size: int


BlobSource = bytes | IO[bytes] | Iterable[bytes]

#: Bytes read or yielded at a time when streaming blobs.
CHUNK_SIZE = 1024 * 1024


def iter_chunks(source: BlobSource, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The bytes of ``source`` (bytes, a binary file, or an iterable of bytes) in chunks."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        for start in range(0, len(data), chunk_size):
            yield data[start : start + chunk_size]
        return
    read = getattr(source, "read", None)
    if read is not None:
        while chunk := read(chunk_size):
            yield bytes(chunk)
        return
    for chunk in source:
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise ValidationError(
                "a blob source yields bytes only", code="blob.source", where="source"
            )
        if chunk:
            yield bytes(chunk)


class BlobStore(abc.ABC):
    """Content-addressed files (signed PDFs, attachments): put returns the SHA-256 that names
    the content; the same content is stored once. Blobs are never changed in place."""

    @abc.abstractmethod
    def put(self, source: BlobSource, *, expected: str | None = None) -> BlobRef:
        """Store the bytes of ``source`` (streamed); if ``expected`` is given and the content's
        digest differs, nothing is stored and :class:`~egovkit.ports.IntegrityError` is raised."""

    @abc.abstractmethod
    def open(self, sha256: str) -> Iterator[bytes]:
        """The content in chunks; verified against its digest as it is read (a mismatch raises
        :class:`~egovkit.ports.IntegrityError` at the end). Unknown digest: NotFoundError."""

    def get(self, sha256: str) -> bytes:
        """The whole content (for small blobs; stream big ones with :meth:`open`)."""
        return b"".join(self.open(sha256))

    @abc.abstractmethod
    def stat(self, sha256: str) -> BlobRef | None:
        """The blob's reference when it is stored, else ``None``."""

    def exists(self, sha256: str) -> bool:
        """Whether a blob with this digest is stored."""
        return self.stat(sha256) is not None

    @abc.abstractmethod
    def digests(self) -> Iterator[str]:
        """Every stored digest, sorted."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (nothing by default)."""


# --------------------------------------------------------------------------- audit

GENESIS = "0" * 64


@attrs.frozen(kw_only=True)
class AuditHead:
    """Where the audit chain ends: the last entry's sequence number and hash. Keep it somewhere
    else (a report, a backup manifest) to detect a later truncation or rewrite."""

    sequence: int
    hash: str


@attrs.frozen(kw_only=True)
class AuditEntry:
    """One change (nhật ký): who, when, what, the record's digests before and after, chained to
    the previous entry by SHA-256 so that no entry can be changed, dropped or moved unnoticed."""

    sequence: int
    at: dt.datetime
    actor: str
    action: str
    collection: str
    key: str
    version: int
    before: str | None
    after: str | None
    previous: str
    hash: str

    def payload(self) -> bytes:
        """The bytes the hash is taken over (everything but the hash itself)."""
        return _payload(
            self.sequence,
            self.at.isoformat(),
            self.actor,
            self.action,
            self.collection,
            self.key,
            self.version,
            self.before,
            self.after,
            self.previous,
        )

    def expected_hash(self) -> str:
        """What ``hash`` must be for this entry's content."""
        return sha256_hex(self.payload())

    @classmethod
    def chained(
        cls,
        head: AuditHead,
        *,
        at: dt.datetime,
        actor: str,
        action: str,
        collection: str,
        key: str,
        version: int,
        before: str | None,
        after: str | None,
    ) -> AuditEntry:
        """The entry that follows ``head``, with its hash computed."""
        return chain(head, [(action, collection, key, version, before, after)], at=at, actor=actor)[
            0
        ]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (for archives and the CLI)."""
        return {
            "sequence": self.sequence,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "collection": self.collection,
            "key": self.key,
            "version": self.version,
            "before": self.before,
            "after": self.after,
            "previous": self.previous,
            "hash": self.hash,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuditEntry:
        """Read :meth:`to_dict` output; wrong shapes raise IntegrityError (code audit.shape)."""
        try:
            at = dt.datetime.fromisoformat(data["at"])
            entry = cls(
                sequence=_int(data["sequence"]),
                at=at,
                actor=_text(data["actor"]),
                action=_text(data["action"]),
                collection=_text(data["collection"]),
                key=_text(data["key"]),
                version=_int(data["version"]),
                before=_optional_text(data["before"]),
                after=_optional_text(data["after"]),
                previous=_text(data["previous"]),
                hash=_text(data["hash"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise IntegrityError(
                f"not an audit entry: {exc}", code="audit.shape", where="audit"
            ) from exc
        return entry


def chain(
    head: AuditHead,
    changes: Iterable[tuple[str, str, str, int, str | None, str | None]],
    *,
    at: dt.datetime,
    actor: str,
    actors: Sequence[str | None] | None = None,
) -> list[AuditEntry]:
    """Entries for ``changes`` — ``(action, collection, key, version, before, after)`` — made
    by ``actor`` at ``at``, chained after ``head`` (one call per committed transaction).
    ``actors``, parallel to ``changes``, names another actor for some of them (``None``: keep
    ``actor``), e.g. the officer of each transition of a dossier.

    The payload is assembled directly, field by field, in exactly the form
    :meth:`AuditEntry.payload` gives (a bulk import hashes 100,000 entries here).
    """
    stamp = f'"{at.isoformat()}"'
    common = f"{stamp},{_text_json(actor)}"
    sequence, previous = head.sequence, head.hash
    entries = []
    for index, (action, collection, key, version, before, after) in enumerate(changes):
        sequence += 1
        own = None if actors is None else actors[index]
        who = common if own is None else f"{stamp},{_text_json(own)}"
        payload = (
            f"[{int(sequence)},{who},{_text_json(action)},{_text_json(collection)},"
            f"{_text_json(key)},{int(version)},{_optional_json(before)},"
            f"{_optional_json(after)},{_text_json(previous)}]"
        )
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        entries.append(
            AuditEntry(
                sequence=sequence,
                at=at,
                actor=actor if own is None else own,
                action=action,
                collection=collection,
                key=key,
                version=version,
                before=before,
                after=after,
                previous=previous,
                hash=digest,
            )
        )
        previous = digest
    return entries


_text_json: Callable[[str], str] = json.encoder.encode_basestring


def _optional_json(value: str | None) -> str:
    return "null" if value is None else _text_json(value)


def _payload(*fields: object) -> bytes:
    return _CANONICAL.encode(fields).encode("utf-8")


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{value!r} is not a whole number")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def verify_chain(entries: Iterable[AuditEntry], head: AuditHead | None = None) -> AuditHead:
    """Check a whole chain from its first entry; returns its last head.

    Raises :class:`~egovkit.ports.IntegrityError` with code ``audit.modified`` (an entry's
    content does not match its hash), ``audit.gap`` (an entry is missing), ``audit.order``
    (entries are out of order), ``audit.link`` (an entry does not follow the previous one) or
    ``audit.truncated`` (the chain ends before ``head``).
    """
    current = AuditHead(sequence=0, hash=GENESIS)
    for entry in entries:
        where = f"audit[{entry.sequence}]"
        if entry.expected_hash() != entry.hash:
            raise IntegrityError(
                f"audit entry {entry.sequence} was modified", code="audit.modified", where=where
            )
        if entry.sequence > current.sequence + 1:
            raise IntegrityError(
                f"audit entries {current.sequence + 1}..{entry.sequence - 1} are missing",
                code="audit.gap",
                where=where,
            )
        if entry.sequence <= current.sequence:
            raise IntegrityError(
                f"audit entry {entry.sequence} comes after {current.sequence}",
                code="audit.order",
                where=where,
            )
        if entry.previous != current.hash:
            raise IntegrityError(
                f"audit entry {entry.sequence} does not follow entry {current.sequence}",
                code="audit.link",
                where=where,
            )
        current = AuditHead(sequence=entry.sequence, hash=entry.hash)
    if head is not None and head != current:
        code = "audit.truncated" if head.sequence > current.sequence else "audit.head"
        raise IntegrityError(
            f"the audit chain ends at {current.sequence} but its head says {head.sequence}",
            code=code,
            where="audit.head",
        )
    return current


class AuditLog(abc.ABC):
    """The append-only log of every change. Entries are appended by the store itself, in the
    same transaction as the change they describe; this port reads and verifies them."""

    @abc.abstractmethod
    def head(self) -> AuditHead:
        """The recorded end of the chain (sequence 0 and the genesis hash when empty)."""

    @abc.abstractmethod
    def entries(self, *, start: int = 1) -> Iterator[AuditEntry]:
        """Entries in sequence order from ``start``."""

    def verify(self, *, anchor: AuditHead | None = None) -> AuditHead:
        """Check every link of the chain and its recorded head; returns the head.

        ``anchor`` is a head known from elsewhere (an older backup manifest, a printed report):
        the chain must still contain it, which also catches a rewrite of the recorded head.
        Raises :class:`~egovkit.ports.IntegrityError` (codes as :func:`verify_chain`, plus
        ``audit.anchor``).
        """
        head = self.head()
        entries = self.entries()
        if anchor is None:
            return verify_chain(entries, head)
        seen: list[AuditEntry] = []

        def watch() -> Iterator[AuditEntry]:
            for entry in entries:
                if entry.sequence == anchor.sequence:
                    seen.append(entry)
                yield entry

        result = verify_chain(watch(), head)
        if anchor.sequence and (not seen or seen[0].hash != anchor.hash):
            raise IntegrityError(
                f"the audit chain no longer contains entry {anchor.sequence} as anchored",
                code="audit.anchor",
                where=f"audit[{anchor.sequence}]",
            )
        return result


# --------------------------------------------------------------------------- unit of work


class UnitOfWork(abc.ABC):
    """The changes of one transaction: all are kept at commit, none after an exception."""

    @property
    @abc.abstractmethod
    def records(self) -> RecordRepository:
        """Generic versioned records."""

    @property
    @abc.abstractmethod
    def documents(self) -> DocumentRepository:
        """Administrative documents."""

    @property
    @abc.abstractmethod
    def register_entries(self) -> RegisterEntryRepository:
        """Register lines."""

    @property
    @abc.abstractmethod
    def sequences(self) -> SequenceAllocator:
        """Gap-free counters: a number taken in a transaction that rolls back is not used up."""

    def repository(self, kind: Callable[[RecordRepository], T]) -> T:
        """A typed repository over this unit's records — the extension point for new kinds of
        objects (``uow.repository(RecordDossiers)``) without a new port method."""
        return kind(self.records)

    @property
    def dossiers(self) -> DossierRepository:
        """One-stop dossiers. By default a typed repository over :attr:`records` whose
        statistics are computed in Python; stores with SQL override it."""
        from egovkit.dossiers.persistence.repository import RecordDossiers

        return RecordDossiers(self.records, events=self)

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
        """Append a domain event (a dossier's transition) to the audit log at commit, made by
        ``actor``; ``digest`` is the SHA-256 of the event's canonical JSON. Stores without an
        audit log of their own raise :class:`~egovkit.errors.StorageError`."""
        raise StorageError(
            f"{type(self).__name__} cannot log events", code="audit.events", where=collection
        )


@attrs.frozen(kw_only=True)
class Snapshot:
    """Everything a store holds at one instant, as backup writes it and restore reads it."""

    records: Iterable[Record]
    sequences: Iterable[tuple[str, int]]
    audit: Iterable[AuditEntry]
    head: AuditHead


class Store(abc.ABC):
    """One backend: records, documents, register entries, counters, blobs and the audit log.

    Each method used directly on the store runs in its own short transaction; group changes
    with ``with store.transaction(actor=…) as uow:``. ``with open_store(url) as store:`` closes
    the store at the end.
    """

    #: The URL scheme the store was opened with (``memory``, ``sqlite``, ``postgresql``…).
    scheme: str = ""

    @abc.abstractmethod
    def transaction(self, *, actor: str | None = None) -> AbstractContextManager[UnitOfWork]:
        """A unit of work; it commits when the ``with`` block ends normally."""

    @property
    @abc.abstractmethod
    def records(self) -> RecordRepository:
        """Generic records, each call in its own transaction."""

    @property
    @abc.abstractmethod
    def documents(self) -> DocumentRepository:
        """Documents, each call in its own transaction."""

    @property
    @abc.abstractmethod
    def register_entries(self) -> RegisterEntryRepository:
        """Register lines, each call in its own transaction."""

    @property
    @abc.abstractmethod
    def sequences(self) -> SequenceAllocator:
        """Counters, each allocation committed at once."""

    def repository(self, kind: Callable[[RecordRepository], T]) -> T:
        """A typed repository over the store's records, each call in its own transaction."""
        return kind(self.records)

    @property
    def dossiers(self) -> DossierRepository:
        """Dossiers, each call in its own transaction (see
        :attr:`~egovkit.ports.UnitOfWork.dossiers`)."""
        from egovkit.dossiers.persistence.repository import TransactionalDossiers

        return TransactionalDossiers(self)

    @property
    @abc.abstractmethod
    def blobs(self) -> BlobStore:
        """Content-addressed files (outside transactions: storing content is idempotent)."""

    @property
    @abc.abstractmethod
    def audit(self) -> AuditLog:
        """The audit log."""

    @abc.abstractmethod
    def snapshot(self) -> AbstractContextManager[Snapshot]:
        """A consistent read-only view of everything but blobs (for backups)."""

    @abc.abstractmethod
    def load(self, snapshot: Snapshot) -> None:
        """Fill an empty store from ``snapshot`` as it is (versions, counters, audit chain);
        a store that holds anything raises :class:`~egovkit.errors.ConflictError`."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections and files."""

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


__all__ = [
    "CHUNK_SIZE",
    "GENESIS",
    "MAX_KEY_LENGTH",
    "AuditEntry",
    "AuditHead",
    "AuditLog",
    "BlobRef",
    "BlobSource",
    "BlobStore",
    "DocumentRepository",
    "DossierCountQuery",
    "DossierRepository",
    "IntegrityError",
    "Record",
    "RecordRepository",
    "RegisterEntryRepository",
    "SequenceAllocator",
    "SequenceKey",
    "Snapshot",
    "Store",
    "StoredDocument",
    "StoredDossier",
    "UnitOfWork",
    "canonical_json",
    "chain",
    "check_digest",
    "check_key",
    "iter_chunks",
    "sha256_hex",
    "verify_chain",
]
