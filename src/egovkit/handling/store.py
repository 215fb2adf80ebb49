"""Handling cases kept in a :class:`~egovkit.ports.Store`: each case is a record of collection
``handling``; each step is also an entry of the audit log (action ``handling.<action>``, made by
the step's actor, with the SHA-256 of the event's canonical JSON), written in the same
transaction as the case.

Queries go to the store's SQL when it keeps handling facts (SQLite, PostgreSQL), else they are
counted in Python over the stored cases (the memory store, other backends).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

from egovkit.errors import ConflictError, NotFoundError
from egovkit.handling.model import Case, Event
from egovkit.handling.queries import CaseQueries, HandlingQueries
from egovkit.handling.search import CaseIndex, CaseSearch
from egovkit.handling.serialization import case_from_dict, case_to_dict, event_to_dict
from egovkit.handling.transitions import INITIAL, apply, rebuilt
from egovkit.ports import Record, Store, UnitOfWork, canonical_json, sha256_hex

#: The collection handling cases are stored in.
COLLECTION = "handling"
#: The prefix of the audit actions of handling events.
ACTION_PREFIX = "handling."


@runtime_checkable
class OffersHandlingQueries(Protocol):
    """A store that can answer handling queries itself (in SQL)."""

    def handling_queries(self) -> HandlingQueries | None: ...

    def handling_search(self) -> CaseSearch | None: ...


def event_digest(event: Event) -> str:
    """SHA-256 of the event's canonical JSON (what its audit entry records)."""
    return sha256_hex(canonical_json(event_to_dict(event)).encode("utf-8"))


def _stored(store: Store) -> Iterator[Case]:
    for record in store.records.scan(COLLECTION):
        yield case_from_dict(record.data)


class _StoredCases(CaseQueries):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store

    def cases(self) -> Iterable[Case]:
        return _stored(self._store)


class _StoredIndex(CaseIndex):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store

    def cases(self) -> Iterable[Case]:
        return _stored(self._store)


class HandlingStore:
    """Opens cases, applies steps (refusing illegal ones) and answers queries over a store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def _log(self, uow: UnitOfWork, key: str, version: int, events: Iterable[Event]) -> None:
        for event in events:
            uow.log_event(
                action=ACTION_PREFIX + event.action.value,
                collection=COLLECTION,
                key=key,
                version=version,
                digest=event_digest(event),
                actor=event.actor,
            )

    def open(self, case: Case) -> Case:
        """Store a new case (in its flow's initial state, with no events yet)."""
        if case.state is not INITIAL[case.flow] or case.events:
            raise ConflictError(
                f"a new {case.flow.value} case starts {INITIAL[case.flow].value!r} with no steps",
                code="handling.not_new",
                where=case.key,
            )
        with self._store.transaction(actor=case.opened_by) as uow:
            uow.records.add(Record(collection=COLLECTION, key=case.key, data=case_to_dict(case)))
        return case

    def import_cases(self, cases: Iterable[Case]) -> int:
        """Store cases that already have steps (a migration from another system, a test
        population) in one transaction, each checked against its own events first; every
        step goes to the audit log. Returns how many."""
        kept = list(cases)
        for case in kept:
            if rebuilt(case) != case:
                raise ConflictError(
                    f"case {case.key!r} does not equal the replay of its own events",
                    code="handling.inconsistent",
                    where=case.key,
                )
        with self._store.transaction() as uow:
            uow.records.add_many(
                Record(collection=COLLECTION, key=c.key, data=case_to_dict(c)) for c in kept
            )
            for case in kept:
                self._log(uow, case.key, 1, case.events)
        return len(kept)

    def find(self, key: str) -> Case | None:
        """The case, or ``None``."""
        record = self._store.records.find(COLLECTION, key)
        return None if record is None else case_from_dict(record.data)

    def get(self, key: str) -> Case:
        """The case, or :class:`~egovkit.errors.NotFoundError`."""
        case = self.find(key)
        if case is None:
            raise NotFoundError(f"no handling case {key!r}", code="handling.not_found", where=key)
        return case

    def step(self, key: str, *events: Event) -> Case:
        """Apply ``events`` to case ``key`` in one transaction (all or none); returns the case.

        An illegal step raises :class:`~egovkit.handling.transitions.IllegalMoveError` and
        nothing is written; a concurrent writer raises :class:`~egovkit.errors.ConflictError`.
        """
        if not events:
            return self.get(key)
        with self._store.transaction(actor=events[0].actor) as uow:
            record = uow.records.get(COLLECTION, key)
            case = case_from_dict(record.data)
            for event in events:
                case = apply(case, event)
            stored = uow.records.update(
                Record(
                    collection=COLLECTION,
                    key=key,
                    data=case_to_dict(case),
                    version=record.version,
                )
            )
            self._log(uow, key, stored.version, events)
        return case

    def all(self) -> Iterator[Case]:
        """Every stored case, in key order."""
        return _stored(self._store)

    @property
    def queries(self) -> HandlingQueries:
        """The store's SQL queries when it has them, else the same questions in Python."""
        if isinstance(self._store, OffersHandlingQueries):
            found = self._store.handling_queries()
            if found is not None:
                return found
        return _StoredCases(self._store)

    @property
    def search(self) -> CaseSearch:
        """The store's full-text search when it has one, else the same search in Python."""
        if isinstance(self._store, OffersHandlingQueries):
            found = self._store.handling_search()
            if found is not None:
                return found
        return _StoredIndex(self._store)


__all__ = ["ACTION_PREFIX", "COLLECTION", "HandlingStore", "OffersHandlingQueries", "event_digest"]
