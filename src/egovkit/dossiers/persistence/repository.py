"""Dossiers as records of the ``dossiers`` collection, their transitions in the audit log.

:class:`RecordDossiers` works over any :class:`~egovkit.ports.RecordRepository`; given the unit of
work (``events``) it also logs one audit entry per new transition record, so the log holds the
dossier's history (nhật ký xử lý hồ sơ) entry for entry; given a ``counter`` (a store with SQL) it
leaves the statistics to the store, otherwise it computes them in Python with
:func:`~egovkit.dossiers.statistics.compute_statistics`; given ``bulk`` (a store that keeps
dossier facts) :meth:`RecordDossiers.add_many` hands it each record with its facts already taken.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

import attrs

if TYPE_CHECKING:  # pragma: no cover - the assessment imports the dossiers, not the reverse
    from egovkit.assessment.qd766_dossiers import ProcedureFees, Qd766Counts
    from egovkit.calendar import WorkCalendar

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ
from egovkit.dossiers.model import Dossier
from egovkit.dossiers.persistence.facts import agency_range, facts_of, micros, reversed_key
from egovkit.dossiers.serialization import dossier_from_dict, dossier_to_dict
from egovkit.dossiers.statistics import (
    DUE_SOON,
    AgencyRole,
    DossierStatistics,
    compute_statistics,
)
from egovkit.dossiers.transitions import TransitionRecord
from egovkit.errors import ConflictError, ValidationError
from egovkit.ports import (
    DossierCountQuery,
    DossierRepository,
    Record,
    RecordRepository,
    Store,
    StoredDossier,
    canonical_json,
    sha256_hex,
)

#: The collection dossiers are stored in (the key is the dossier code).
DOSSIERS: Final = "dossiers"
#: The audit action of a transition is this prefix and the record's event (``dossier.receive``).
ACTION_PREFIX: Final = "dossier."

T = TypeVar("T")


class HistoryRewrittenError(ConflictError):
    """A dossier was saved with a history that does not continue the stored one (records
    dropped or changed): the audit log only ever grows (code ``dossier.history_rewritten``)."""

    default_code = "dossier.history_rewritten"


class EventLog(Protocol):
    """Where transition entries go: a unit of work's :meth:`~egovkit.ports.UnitOfWork.log_event`."""

    def log_event(
        self, *, action: str, collection: str, key: str, version: int, digest: str, actor: str
    ) -> None: ...


#: What counts dossier facts in a store (a session's ``count_dossiers``).
Counter = Callable[[DossierCountQuery], Mapping[str, int]]
#: What counts qd766 facts in a store (a session's ``count_qd766``): from the period start and
#: the reporting instant (microseconds), the groups of dossiers SQL decided and the keys of
#: those left to Python (:func:`~egovkit.storage.engine.fetch_qd766_rows`).
Qd766Counter = Callable[
    [int, int], tuple[list[tuple[str, str, int, bool, frozenset[str], int]], list[str]]
]


class Reader(Protocol):
    """Runs a read-only piece of work on a store's dossiers."""

    def __call__(self, work: Callable[[DossierRepository], T], /) -> T: ...


def transition_digest(record: TransitionRecord) -> str:
    """SHA-256 of the record's canonical JSON: what its audit entry keeps as ``after``."""
    return sha256_hex(canonical_json(record.to_dict()).encode("utf-8"))


#: The keys of a history entry in the dossier's JSON form: those of
#: :meth:`TransitionRecord.to_dict` but ``dossier``.
_ENTRY_KEYS: Final = frozenset({"event", "from", "to", "actor", "at", "reason"})
_json_string: Final[Callable[[str], str]] = json.encoder.encode_basestring


def _json_value(value: object) -> str:
    if value is None:
        return "null"
    if type(value) is not str:
        raise TypeError(value)
    return _json_string(value)


def _entry_digests(
    history: tuple[TransitionRecord, ...], entries: list[dict[str, Any]]
) -> list[tuple[str, str, str]]:
    """(action, digest, actor) of each record, the digest as :func:`transition_digest` takes it
    but from the record's entry in the dossier's JSON form (its instant already written), the
    canonical JSON written directly in sorted key order (tests/dossiers compare both)."""
    found = []
    string, value = _json_string, _json_value
    for record, entry in zip(history, entries, strict=True):
        try:
            if entry.keys() != _ENTRY_KEYS:
                raise TypeError(entry)
            text = (
                f'{{"actor":{string(entry["actor"])},"at":{string(entry["at"])},'
                f'"dossier":{string(record.dossier)},"event":{string(entry["event"])},'
                f'"from":{value(entry["from"])},"reason":{value(entry["reason"])},'
                f'"to":{string(entry["to"])}}}'
            )
        except TypeError:
            text = canonical_json({**entry, "dossier": record.dossier})
        found.append((ACTION_PREFIX + record.event, sha256_hex(text.encode()), record.actor))
    return found


def count_query(
    *,
    agency: AgencyCode,
    start: date,
    end: date,
    as_of: datetime | None = None,
    role: AgencyRole = AgencyRole.COMPETENT,
    include_subunits: bool = False,
) -> tuple[DossierCountQuery, DossierStatistics]:
    """What a store counts for these arguments, and the empty statistics the counts go into
    (checked exactly as :func:`~egovkit.dossiers.statistics.compute_statistics` checks them)."""
    empty = compute_statistics(
        (),
        agency=agency,
        start=start,
        end=end,
        as_of=as_of,
        role=role,
        include_subunits=include_subunits,
    )
    low, high = agency_range(agency, include_subunits=include_subunits)
    period_start = micros(datetime.combine(start, time(0), VIETNAM_TZ))
    query = DossierCountQuery(
        role=role.value,
        agency_low=low,
        agency_high=high,
        start=period_start,
        cut=micros(empty.as_of),
        soon=micros(empty.as_of + DUE_SOON),
    )
    return query, empty


def _stored(record: Record) -> StoredDossier:
    return StoredDossier(
        key=record.key, version=record.version, dossier=dossier_from_dict(record.data)
    )


class RecordDossiers(DossierRepository):
    """Dossiers over records; see the module docstring for ``events`` and ``counter``."""

    def __init__(
        self,
        records: RecordRepository,
        *,
        events: EventLog | None = None,
        counter: Counter | None = None,
        qd766: Qd766Counter | None = None,
        bulk: Callable[[Iterable[tuple[Record, Any]]], int] | None = None,
    ) -> None:
        self._records = records
        self._events = events
        self._counter = counter
        self._qd766 = qd766
        self._bulk = bulk

    def _log(self, key: str, version: int, records: Iterable[TransitionRecord]) -> None:
        if self._events is None:
            return
        for record in records:
            self._events.log_event(
                action=ACTION_PREFIX + record.event,
                collection=DOSSIERS,
                key=key,
                version=version,
                digest=transition_digest(record),
                actor=record.actor,
            )

    def add(self, dossier: Dossier) -> StoredDossier:
        key = str(dossier.code)
        stored = self._records.add(
            Record(collection=DOSSIERS, key=key, data=dossier_to_dict(dossier))
        )
        self._log(key, stored.version, dossier.history)
        return StoredDossier(key=key, version=stored.version, dossier=dossier)

    def add_many(self, dossiers: Iterable[Dossier]) -> int:
        # The import path: each dossier is turned into its JSON form once, and its transitions'
        # audit digests are taken from that form (see _entry_digests) instead of a second
        # to_dict per record; the entries are logged after the records, as add() logs them.
        entries: list[tuple[str, list[tuple[str, str, str]]]] = []
        logging = self._events is not None

        def records() -> Iterator[tuple[Dossier, Record]]:
            for dossier in dossiers:
                data = dossier_to_dict(dossier)
                key = data["code"]
                if logging:
                    entries.append((key, _entry_digests(dossier.history, data["history"])))
                yield dossier, Record(collection=DOSSIERS, key=key, data=data)

        if self._bulk is not None:
            # The store keeps dossier facts: taken from the dossier itself, not its JSON form.
            count = self._bulk((r, facts_of(r.key, d)) for d, r in records())
        else:
            count = self._records.add_many(record for _, record in records())
        if self._events is not None:
            log = self._events.log_event
            for key, digests in entries:
                for action, digest, actor in digests:
                    log(
                        action=action,
                        collection=DOSSIERS,
                        key=key,
                        version=1,
                        digest=digest,
                        actor=actor,
                    )
        return count

    def find(self, code: str) -> StoredDossier | None:
        record = self._records.find(DOSSIERS, code)
        return None if record is None else _stored(record)

    def update(self, stored: StoredDossier, dossier: Dossier) -> StoredDossier:
        if str(dossier.code) != stored.key:
            raise ValidationError(
                f"dossier {dossier.code} cannot replace {stored.key}",
                code="dossier.code_changed",
                where="code",
            )
        old = stored.dossier.history
        if dossier.history[: len(old)] != old:
            raise HistoryRewrittenError(
                f"the history of {stored.key} does not continue the stored one", where="history"
            )
        record = self._records.update(
            Record(
                collection=DOSSIERS,
                key=stored.key,
                version=stored.version,
                data=dossier_to_dict(dossier),
            )
        )
        self._log(stored.key, record.version, dossier.history[len(old) :])
        return StoredDossier(key=stored.key, version=record.version, dossier=dossier)

    def delete(self, stored: StoredDossier) -> None:
        self._records.delete(
            Record(
                collection=DOSSIERS,
                key=stored.key,
                version=stored.version,
                data=dossier_to_dict(stored.dossier),
            )
        )

    def all(self) -> Iterator[StoredDossier]:
        for record in self._records.scan(DOSSIERS):
            yield _stored(record)

    def statistics(
        self,
        *,
        agency: AgencyCode,
        start: date,
        end: date,
        as_of: datetime | None = None,
        role: AgencyRole | None = None,
        include_subunits: bool = False,
    ) -> DossierStatistics:
        role = role or AgencyRole.COMPETENT
        if self._counter is None:
            return compute_statistics(
                (s.dossier for s in self.all()),
                agency=agency,
                start=start,
                end=end,
                as_of=as_of,
                role=role,
                include_subunits=include_subunits,
            )
        query, empty = count_query(
            agency=agency,
            start=start,
            end=end,
            as_of=as_of,
            role=role,
            include_subunits=include_subunits,
        )
        counts: dict[str, Any] = dict(self._counter(query))
        return attrs.evolve(empty, **counts)

    def qd766_counts(
        self,
        *,
        start: date,
        end: date,
        as_of: datetime | None = None,
        agencies: Iterable[str] | None = None,
        fees: ProcedureFees | None = None,
        calendar: WorkCalendar | None = None,
    ) -> dict[str, Qd766Counts]:
        """Counted in SQL where the store keeps the qd766 facts (see the port's method).

        :meta private:
        """
        from egovkit.assessment.qd766_dossiers import (
            count_qd766,
            fee_predicate,
            merge_counted,
            qd766_window,
        )

        if self._qd766 is None:
            return super().qd766_counts(
                start=start, end=end, as_of=as_of, agencies=agencies, fees=fees, calendar=calendar
            )
        wanted = None if agencies is None else list(agencies)
        period_start, cut = qd766_window(start, end, as_of)
        groups, rest = self._qd766(micros(period_start), micros(cut))
        left = count_qd766(
            (dossier_from_dict(self._records.get(DOSSIERS, key).data) for key in rest),
            start=start,
            end=end,
            as_of=as_of,
            agencies=wanted,
            fee_bearing=fee_predicate(fees),
            calendar=calendar,
        )
        names: dict[str, str] = {}
        for group in groups:
            if group[0] not in names:
                names[group[0]] = reversed_key(group[0])
        return merge_counted(
            [(names[g[0]], *g[1:]) for g in groups], left, agencies=wanted, fees=fees
        )


class TransactionalDossiers(DossierRepository):
    """A store's dossiers, each call in its own transaction (``store.dossiers``); ``read``
    runs a read-only call (defaults to a transaction)."""

    def __init__(
        self,
        store: Store,
        *,
        read: Reader | None = None,
    ) -> None:
        self._store = store
        self._read = read

    def _write(self, work: Callable[[DossierRepository], T]) -> T:
        with self._store.transaction() as uow:
            return work(uow.dossiers)

    def _query(self, work: Callable[[DossierRepository], T]) -> T:
        return self._read(work) if self._read is not None else self._write(work)

    def add(self, dossier: Dossier) -> StoredDossier:
        return self._write(lambda repo: repo.add(dossier))

    def add_many(self, dossiers: Iterable[Dossier]) -> int:
        return self._write(lambda repo: repo.add_many(dossiers))

    def find(self, code: str) -> StoredDossier | None:
        return self._query(lambda repo: repo.find(code))

    def update(self, stored: StoredDossier, dossier: Dossier) -> StoredDossier:
        return self._write(lambda repo: repo.update(stored, dossier))

    def delete(self, stored: StoredDossier) -> None:
        self._write(lambda repo: repo.delete(stored))

    def all(self) -> Iterator[StoredDossier]:
        return RecordDossiers(self._store.records).all()

    def statistics(
        self,
        *,
        agency: AgencyCode,
        start: date,
        end: date,
        as_of: datetime | None = None,
        role: AgencyRole | None = None,
        include_subunits: bool = False,
    ) -> DossierStatistics:
        return self._query(
            lambda repo: repo.statistics(
                agency=agency,
                start=start,
                end=end,
                as_of=as_of,
                role=role,
                include_subunits=include_subunits,
            )
        )

    def qd766_counts(
        self,
        *,
        start: date,
        end: date,
        as_of: datetime | None = None,
        agencies: Iterable[str] | None = None,
        fees: ProcedureFees | None = None,
        calendar: WorkCalendar | None = None,
    ) -> dict[str, Qd766Counts]:
        """In one read-only call (see the port's method).

        :meta private:
        """
        wanted = None if agencies is None else list(agencies)
        return self._query(
            lambda repo: repo.qd766_counts(
                start=start, end=end, as_of=as_of, agencies=wanted, fees=fees, calendar=calendar
            )
        )


__all__ = [
    "ACTION_PREFIX",
    "DOSSIERS",
    "Counter",
    "EventLog",
    "HistoryRewrittenError",
    "Qd766Counter",
    "Reader",
    "RecordDossiers",
    "TransactionalDossiers",
    "count_query",
    "transition_digest",
]
