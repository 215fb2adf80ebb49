"""Documents held until their remote signature comes: a pending-signature record per document
in a :class:`~egovkit.ports.Store`, and :meth:`SignatureHold.resume` to move it on.

The record is written *before* the request goes out, with the attempt's own reference, so a
crash between the two repeats the same attempt (services that take the caller's transaction id
recognise it) instead of starting a second one. A record moves only forward::

    prepared → submitted → signed            (the document is finished and released)
                         → refused | expired | failed → (retry: a new attempt) prepared …

``signed`` is final: a signed document is never submitted again, and a late answer to an
attempt that was given up is never used. The document itself (the prepared bytes, then the
signed ones) is kept in the store's blobs; an outbox is handed the signed document by the
``on_signed`` callback only — until then it holds nothing to send.
"""

from __future__ import annotations

import base64
import datetime
import enum
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from egovkit.errors import ConflictError, EgovkitError, NotFoundError, RemoteError
from egovkit.ports import Record, Store
from egovkit.signatures.algorithms import DigestAlgorithm
from egovkit.signatures.deferred import (
    DeferredSigner,
    Outcome,
    PreparedDocument,
    SigningStatus,
)

#: The collection pending-signature records are kept in.
COLLECTION = "pending_signatures"

#: Finishes a prepared document of one kind with a signature value (checked by the finisher).
Finisher = Callable[[PreparedDocument, DeferredSigner, bytes], bytes]


class HoldState(enum.Enum):
    """Where a held document stands."""

    PREPARED = "prepared"  # recorded; the request is (about to be) sent
    SUBMITTED = "submitted"  # the service has it: waiting for the official
    SIGNED = "signed"  # finished and released
    REFUSED = "refused"  # the official refused
    EXPIRED = "expired"  # no answer in time (the service's or ours)
    FAILED = "failed"  # an answer that could not be used (a signature that does not verify)


_OPEN = frozenset({HoldState.PREPARED, HoldState.SUBMITTED})


@attrs.frozen(kw_only=True)
class PendingSignature:
    """One held document, as stored."""

    key: str
    kind: str
    digest: DigestAlgorithm
    document: str  # SHA-256 of the prepared document's blob
    to_sign: bytes = attrs.field(repr=False)
    description: str
    attempt: int
    state: HoldState
    transaction: str = ""
    submitted_at: datetime.datetime | None = None
    deadline: datetime.datetime | None = None
    message: str = ""
    signed: str = ""  # SHA-256 of the signed document's blob
    history: tuple[tuple[str, str], ...] = ()  # (ISO instant, state) of every move
    version: int = 0

    @property
    def reference(self) -> str:
        """The caller's id of the current attempt (``key#attempt``)."""
        return f"{self.key}#{self.attempt}"

    @property
    def waiting(self) -> bool:
        """Whether a signature may still come for the current attempt."""
        return self.state in _OPEN


def _time(value: datetime.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _to_data(p: PendingSignature) -> dict[str, Any]:
    return {
        "kind": p.kind,
        "digest": p.digest.value,
        "document": p.document,
        "to_sign": base64.b64encode(p.to_sign).decode("ascii"),
        "description": p.description,
        "attempt": p.attempt,
        "state": p.state.value,
        "transaction": p.transaction,
        "submitted_at": _time(p.submitted_at),
        "deadline": _time(p.deadline),
        "message": p.message,
        "signed": p.signed,
        "history": [list(h) for h in p.history],
    }


def _from_record(record: Record) -> PendingSignature:
    d = record.data

    def when(name: str) -> datetime.datetime | None:
        return None if d[name] is None else datetime.datetime.fromisoformat(d[name])

    return PendingSignature(
        key=record.key,
        kind=d["kind"],
        digest=DigestAlgorithm(d["digest"]),
        document=d["document"],
        to_sign=base64.b64decode(d["to_sign"]),
        description=d["description"],
        attempt=d["attempt"],
        state=HoldState(d["state"]),
        transaction=d["transaction"],
        submitted_at=when("submitted_at"),
        deadline=when("deadline"),
        message=d["message"],
        signed=d["signed"],
        history=tuple((str(a), str(b)) for a, b in d["history"]),
        version=record.version,
    )


def _utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class SignatureHold:
    """Holds documents for one deferred signer until their signatures come.

    ``finishers`` maps a prepared document's kind to the function that puts the signature in;
    ``patience`` is how long an attempt may stay unanswered before it is given up here, whatever
    the service says (the service's own expiry, when it gives one, is used when earlier);
    ``on_signed(key, document)`` receives each signed document once, after it is stored.
    """

    def __init__(
        self,
        store: Store,
        signer: DeferredSigner,
        finishers: Mapping[str, Finisher],
        *,
        patience: datetime.timedelta = datetime.timedelta(minutes=5),
        clock: Callable[[], datetime.datetime] = _utc_now,
        on_signed: Callable[[str, bytes], None] | None = None,
    ) -> None:
        self._store = store
        self._signer = signer
        self._finishers = dict(finishers)
        self._patience = patience
        self._clock = clock
        self._on_signed = on_signed

    # -- reading

    def find(self, key: str) -> PendingSignature | None:
        """The record of ``key``, or ``None``."""
        record = self._store.records.find(COLLECTION, key)
        return None if record is None else _from_record(record)

    def get(self, key: str) -> PendingSignature:
        """The record of ``key``, or :class:`~egovkit.errors.NotFoundError`."""
        found = self.find(key)
        if found is None:
            raise NotFoundError(
                f"no document held for signing as {key!r}", code="holding.not_found", where=key
            )
        return found

    def waiting(self) -> Iterator[PendingSignature]:
        """The records still waiting for a signature (what a worker resumes)."""
        for record in self._store.records.scan(COLLECTION):
            pending = _from_record(record)
            if pending.waiting:
                yield pending

    def document(self, key: str) -> bytes:
        """The held document: the signed one once signed, else the prepared one (never lost)."""
        pending = self.get(key)
        return self._store.blobs.get(pending.signed or pending.document)

    # -- moving

    def _write(self, pending: PendingSignature, **changes: Any) -> PendingSignature:
        state = changes.get("state", pending.state)
        moved = attrs.evolve(
            pending,
            **changes,
            history=(*pending.history, (self._clock().isoformat(), state.value)),
        )
        data = _to_data(moved)
        if pending.version == 0:
            stored = self._store.records.add(
                Record(collection=COLLECTION, key=moved.key, data=data)
            )
        else:
            stored = self._store.records.update(
                Record(collection=COLLECTION, key=moved.key, data=data, version=pending.version)
            )
        return attrs.evolve(moved, version=stored.version)

    def hold(
        self, key: str, prepared: PreparedDocument, *, description: str = ""
    ) -> PendingSignature:
        """Keep ``prepared`` and send its request. Holding a key already held changes nothing
        and sends nothing (the stored record is returned)."""
        found = self.find(key)
        if found is not None:
            return found
        if prepared.kind not in self._finishers:
            raise ConflictError(
                f"no finisher for documents of kind {prepared.kind!r}",
                code="holding.kind",
                where=key,
            )
        blob = self._store.blobs.put(prepared.document)
        pending = PendingSignature(
            key=key,
            kind=prepared.kind,
            digest=prepared.digest,
            document=blob.sha256,
            to_sign=prepared.to_sign,
            description=description,
            attempt=1,
            state=HoldState.PREPARED,
        )
        try:
            pending = self._write(pending)
        except ConflictError:  # another worker held it first
            return self.get(key)
        return self._submit(pending)

    def _prepared(self, pending: PendingSignature) -> PreparedDocument:
        return PreparedDocument(
            kind=pending.kind,
            document=self._store.blobs.get(pending.document),
            to_sign=pending.to_sign,
            digest=pending.digest,
        )

    def _submit(self, pending: PendingSignature) -> PendingSignature:
        request = self._prepared(pending).request(pending.reference, pending.description)
        try:
            submission = self._signer.submit(request)
        except RemoteError as error:  # stays prepared: resume sends the same attempt again
            return attrs.evolve(pending, message=str(error))
        now = self._clock()
        deadline = now + self._patience
        if submission.expires_at is not None and submission.expires_at < deadline:
            deadline = submission.expires_at
        return self._write(
            pending,
            state=HoldState.SUBMITTED,
            transaction=submission.transaction,
            submitted_at=now,
            deadline=deadline,
            message="",
        )

    def resume(self, key: str) -> PendingSignature:
        """Move ``key`` on by one question to the service: send a request not yet sent, or ask
        once about the submitted one; finish and release the document when it is signed. A
        record in a final state is returned as it is."""
        pending = self.get(key)
        if pending.state is HoldState.PREPARED:
            return self._submit(pending)
        if pending.state is not HoldState.SUBMITTED:
            return pending
        try:
            outcome = self._signer.poll(pending.transaction)
        except RemoteError as error:
            outcome = Outcome(status=SigningStatus.PENDING, message=str(error))
        return self._answer(pending, outcome)

    def deliver(self, key: str, transaction: str, outcome: Outcome) -> PendingSignature:
        """Take an answer the service pushed (a callback, a webhook) instead of polling for it.
        An answer for another transaction than the current attempt's — a late one for an attempt
        given up, a forged one — changes nothing."""
        pending = self.get(key)
        if pending.state is not HoldState.SUBMITTED or transaction != pending.transaction:
            return pending
        return self._answer(pending, outcome)

    def _answer(self, pending: PendingSignature, outcome: Outcome) -> PendingSignature:
        if outcome.status is SigningStatus.PENDING:
            if pending.deadline is not None and self._clock() >= pending.deadline:
                return self._settle(pending, HoldState.EXPIRED, "no answer before the deadline")
            return pending
        if outcome.status is SigningStatus.SIGNED:
            return self._finish(pending, outcome.signature)
        state = HoldState.REFUSED if outcome.status is SigningStatus.REFUSED else HoldState.EXPIRED
        return self._settle(pending, state, outcome.message)

    def _settle(
        self, pending: PendingSignature, state: HoldState, message: str
    ) -> PendingSignature:
        try:
            return self._write(pending, state=state, message=message)
        except ConflictError:  # another worker moved it: its word stands
            return self.get(pending.key)

    def _finish(self, pending: PendingSignature, signature: bytes) -> PendingSignature:
        finisher = self._finishers[pending.kind]
        try:
            signed = finisher(self._prepared(pending), self._signer, signature)
        except EgovkitError as error:
            return self._settle(pending, HoldState.FAILED, f"{error.code}: {error}")
        blob = self._store.blobs.put(signed)
        try:
            done = self._write(pending, state=HoldState.SIGNED, signed=blob.sha256, message="")
        except ConflictError:  # another worker finished it first and released it
            return self.get(pending.key)
        if self._on_signed is not None:
            self._on_signed(done.key, signed)
        return done

    def retry(self, key: str) -> PendingSignature:
        """Start a new attempt for a refused, expired or failed document (the old attempt's
        answers are never used after this)."""
        pending = self.get(key)
        if pending.state is HoldState.SIGNED or pending.waiting:
            raise ConflictError(
                f"{key!r} is {pending.state.value}: only a refused, expired or failed document "
                "is sent again",
                code="holding.not_retryable",
                where=key,
            )
        fresh = self._write(
            pending,
            state=HoldState.PREPARED,
            attempt=pending.attempt + 1,
            transaction="",
            submitted_at=None,
            deadline=None,
            message="",
        )
        return self._submit(fresh)


__all__ = ["COLLECTION", "Finisher", "HoldState", "PendingSignature", "SignatureHold"]
