"""The end-to-end flow of document exchange (liên thông văn bản) for one agency, on a store.

Outgoing: a numbered outgoing document becomes an edXML envelope, is signed, and waits in the
*outbox* (a store collection) before it is sent, so a crash between storing and sending loses
nothing; :meth:`ExchangeService.flush` sends what waits and marks it sent. Incoming: each
message is fetched, recorded as arrived (status 01 queued), confirmed to the exchange, then
verified; only a TOTAL_PASSED envelope, read from the bytes the signature covers, is entered in
the incoming register (status 03). Anything else — a failed or INDETERMINATE signature, an
unreadable or incomplete document — is returned with status 02 and never registered.

Every step is a unit of work on the agency's store, so it is in the store's audit log, and a
crash mid-batch resumes where it stopped: an arrival recorded but not processed is processed
on the next :meth:`ExchangeService.receive`; a second delivery of the same ``DocumentId`` is
recognised and registered once.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

import egovkit.signatures.signer
from egovkit.agencies.codes import AgencyCode
from egovkit.documents.model import Document
from egovkit.documents.registers import Register, Registrar
from egovkit.edxml.mapping import document_from_envelope, envelope_from_document
from egovkit.edxml.mapping import document_id as edxml_document_id
from egovkit.edxml.model import (
    VIETNAM_TIME,
    Attachment,
    Business,
    BusinessType,
    Envelope,
    Organization,
    Replacement,
    ResponseFor,
    StaffInfo,
    StatusCode,
    StatusMessage,
    UpdateInfo,
)
from egovkit.edxml.reader import read
from egovkit.edxml.writer import write
from egovkit.errors import (
    ConflictError,
    EgovkitError,
    NotFoundError,
    ParseError,
    PolicyError,
    RemoteError,
    UnsafeInputError,
    ValidationError,
)
from egovkit.exchange import changes as _changes
from egovkit.exchange._collections import (
    INBOX,
    INBOX_ARRIVED,
    OUTBOX,
    OUTBOX_PENDING,
    STATUSES,
)
from egovkit.exchange._collections import drop as _drop
from egovkit.exchange.changes import DocumentChange
from egovkit.exchange.ports import Delivery, DocumentExchange, MessageKind, StatusEntry
from egovkit.ports import Record, SequenceKey, Store, UnitOfWork
from egovkit.signatures import RevocationSources, TrustStore, sign_envelope, verify
from egovkit.signatures.policy import ValidationPolicy
from egovkit.storage.claims import LEASE_OWNER, LEASE_UNTIL, is_free

_log = logging.getLogger(__name__)

#: Store collections the service writes (see :mod:`egovkit.exchange._collections`).
_META = "exchange.meta"
_INDEXED = "pending-index"
_STATUS_COUNTER = SequenceKey("exchange", ["statuses"])
_OUTBOX_COUNTER = SequenceKey("exchange", ["outbox"])


@attrs.frozen(kw_only=True)
class OutboxItem:
    """A message waiting to be sent (``pending``) or sent (``sent``, with the exchange's id)."""

    key: str
    kind: MessageKind
    document_id: str
    to: tuple[AgencyCode, ...]
    sha256: str
    state: str = "pending"
    message_id: str = ""
    attempts: int = 0
    last_error: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {
            "kind": self.kind.value,
            "document_id": self.document_id,
            "to": [str(c) for c in self.to],
            "sha256": self.sha256,
            "state": self.state,
            "message_id": self.message_id,
            "attempts": self.attempts,
            "last_error": self.last_error,
        }

    @classmethod
    def from_record(cls, record: Record) -> OutboxItem:
        """Read the stored form back."""
        data = record.data
        return cls(
            key=record.key,
            kind=MessageKind(data["kind"]),
            document_id=data["document_id"],
            to=tuple(AgencyCode.parse(c) for c in data["to"]),
            sha256=data["sha256"],
            state=data["state"],
            message_id=data["message_id"],
            attempts=data["attempts"],
            last_error=data["last_error"],
        )


@attrs.frozen(kw_only=True)
class IncomingResult:
    """What became of one received message.

    ``outcome``: ``registered`` (entered with ``arrival_number``), ``refused`` (returned with
    status 02; ``reason`` says why), ``duplicate`` (the same ``DocumentId`` was already taken),
    ``status`` (a status message about one of our documents), ``unreadable`` (dropped: not even
    its sender could be read, so no answer is possible), ``recalled`` and ``updated`` (a recall
    or update applied to the registered ``document_id``, see :mod:`egovkit.exchange.changes`;
    refused ones are ``refused``, answered 16).
    """

    message_id: str
    document_id: str
    outcome: str
    arrival_number: int | None = None
    indication: str = ""
    reason: str = ""


def _utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class ExchangeService:
    """Send, receive, verify, register and acknowledge documents for one agency.

    ``exchange`` is the agency's :class:`~egovkit.exchange.ports.DocumentExchange`; ``store``
    its egovkit store; ``incoming_register`` where received documents are entered; ``trust``
    (and ``revocation``, ``policy``) decide which signatures pass; ``signer`` signs outgoing
    envelopes (``None`` sends them unsigned, which receivers following this flow refuse).

    Several services (in several processes) may work on one store at once: each claims the
    pending work it takes for ``lease`` (``batch`` items at a time), so an item is sent by one
    of them; the claims of a worker that dies end with their lease. ``worker`` names this one
    (default: host, process and a random part); a worker restarted under the same name takes
    its unfinished claims back at once. ``lease_clock`` gives seconds since the epoch (the
    wall clock: leases are compared between processes). ``xlink_href`` writes manifest
    references with ``xlink:href`` for receivers built on the VPCP .NET SDK's shape (see
    :func:`egovkit.edxml.writer.write`).
    """

    def __init__(
        self,
        *,
        store: Store,
        exchange: DocumentExchange,
        incoming_register: Register,
        trust: TrustStore,
        signer: egovkit.signatures.signer.Signer | None = None,
        revocation: RevocationSources | None = None,
        policy: ValidationPolicy | None = None,
        organization: Organization | None = None,
        staff: StaffInfo | None = None,
        actor: str = "exchange",
        clock: Callable[[], datetime.datetime] = _utc_now,
        worker: str | None = None,
        lease: datetime.timedelta = datetime.timedelta(minutes=5),
        batch: int = 20,
        lease_clock: Callable[[], float] = time.time,
        xlink_href: bool = False,
    ) -> None:
        self.store = store
        self.exchange = exchange
        self.incoming_register = incoming_register
        self.trust = trust
        self.signer = signer
        self.revocation = revocation
        self.policy = policy
        self.organization = organization or Organization(code=exchange.agency)
        self.staff = staff
        self.actor = actor
        self.clock = clock
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        if lease <= datetime.timedelta(0) or batch < 1:
            raise ValidationError(
                "the lease must be positive and the batch at least 1",
                code="exchange.workers",
                where="lease" if batch >= 1 else "batch",
            )
        self.lease = lease
        self.batch = batch
        self.lease_clock = lease_clock
        self.xlink_href = xlink_href
        self._indexed = False

    # -- outgoing ---------------------------------------------------------------------------

    def submit(
        self,
        document: Document,
        *,
        attachments: Iterable[Attachment] = (),
        business: Business | None = None,
    ) -> OutboxItem:
        """Put ``document`` (numbered, dated, with coded recipients) in the outbox, signed.

        Idempotent: a document whose ``DocumentId`` is already in the outbox is not added
        again (a recall, update or replacement: the same message is not). ``business`` sends
        it as a recall, update or replacement (see :meth:`revoke`, :meth:`update`,
        :meth:`replace`). A secret document raises :class:`~egovkit.errors.PolicyError` (it
        never leaves electronically).
        """
        if document.is_secret:
            raise PolicyError(
                "a secret document (văn bản mật) never leaves through an exchange",
                code="exchange.policy.secret",
                where="secrecy",
            )
        envelope = envelope_from_document(
            document,
            attachments=attachments,
            sender=self.organization,
            staff=self.staff,
            sent_at=self.clock(),
        )
        if business is not None:
            envelope = attrs.evolve(envelope, business=business)
        data = write(envelope, xlink_href=self.xlink_href)
        if self.signer is not None:
            data = sign_envelope(data, self.signer)
        to = tuple(r.code for r in envelope.header.recipients if r.code is not None)
        document_id = envelope.header.document_id
        kind = envelope.business.business_type if envelope.business else BusinessType.NEW
        key = f"edoc|{document_id}"
        if kind not in (BusinessType.NEW, None):
            key = f"{kind.label}|{document_id}|{hashlib.sha256(data).hexdigest()[:16]}"
        return self._enqueue(key, MessageKind.EDOC, document_id, to, data)

    def revoke(self, document: Document, *, reason: str) -> OutboxItem:
        """Recall (thu hồi, business type 1) a document sent before; receivers mark it
        recalled and answer 15 (or 16 with their reason)."""
        return self.submit(document, business=self._business(document, BusinessType.REVOKE, reason))

    def update(
        self,
        document: Document,
        *,
        reason: str,
        attachments: Iterable[Attachment] = (),
        info: UpdateInfo | None = None,
    ) -> OutboxItem:
        """Send a corrected version (cập nhật, type 2) of a document sent before, under its
        DocumentId; receivers keep the earlier version and make this one current."""
        business = attrs.evolve(self._business(document, BusinessType.UPDATE, reason), update=info)
        return self.submit(document, attachments=attachments, business=business)

    def replace(
        self,
        document: Document,
        *,
        replaces: Sequence[str],
        reason: str,
        attachments: Iterable[Attachment] = (),
    ) -> OutboxItem:
        """Send a new document that replaces (thay thế, type 3) the documents whose
        DocumentIds are ``replaces``; receivers register it and mark those replaced."""
        codes = tuple(r.code for r in document.recipients if r.code is not None)
        business = attrs.evolve(
            self._business(document, BusinessType.REPLACE, reason),
            replacements=[Replacement(document_id=old, codes=codes) for old in replaces],
        )
        return self.submit(document, attachments=attachments, business=business)

    def _business(self, document: Document, kind: BusinessType, reason: str) -> Business:
        if not reason.strip():
            raise ValidationError(
                f"a {kind.label} needs a reason (lý do)",
                code="exchange.business.reason",
                where="reason",
            )
        return Business(
            document_id=edxml_document_id(document),
            business_type=kind,
            reason=reason,
            paper="0",
            staff=self.staff,
        )

    def send(self, document: Document, *, attachments: Iterable[Attachment] = ()) -> OutboxItem:
        """:meth:`submit` then :meth:`flush`; the item as it stands afterwards."""
        item = self.submit(document, attachments=attachments)
        self.flush()
        return self._outbox_item(item.key)

    def flush(self, *, limit: int | None = None) -> list[OutboxItem]:
        """Send what waits in the outbox, oldest first; returns the items sent now.

        Items are claimed ``batch`` at a time, so other workers flushing the same store send
        other items. A remote failure (after the adapter's own retries) is recorded on the
        item, which stays pending for the next flush.
        """
        self._ensure_index()
        sent: list[OutboxItem] = []
        after = ""
        while limit is None or len(sent) < limit:
            want = self.batch if limit is None else min(self.batch, limit - len(sent))
            claims = self._claim(OUTBOX_PENDING, after=after, limit=want)
            if not claims:
                break
            for claim in claims:
                after = claim.key
                done = self._send_claimed(claim)
                if done is not None:
                    sent.append(done)
        return sent

    def _send_claimed(self, claim: Record) -> OutboxItem | None:
        record = self.store.records.find(OUTBOX, claim.data["key"])
        if record is None or record.data["state"] != "pending":
            with self.store.transaction(actor=self.actor) as uow:
                _drop(uow, OUTBOX_PENDING, claim.key)
            return None
        item = OutboxItem.from_record(record)
        data = self.store.blobs.get(item.sha256)
        try:
            receipt = self.exchange.send(
                data, kind=item.kind, to=item.to, document_id=item.document_id
            )
        except RemoteError as exc:
            _log.warning("sending %s failed: %s", item.key, exc.code)
            with self.store.transaction(actor=self.actor) as uow:
                self._update_outbox(
                    uow, item, attempts=item.attempts + 1, last_error=f"{exc.code}: {exc.message}"
                )
                self._release(uow, OUTBOX_PENDING, claim.key)
            return None
        with self.store.transaction(actor=self.actor) as uow:
            _drop(uow, OUTBOX_PENDING, claim.key)
            return self._update_outbox(
                uow,
                item,
                state="sent",
                message_id=receipt.message_id,
                attempts=item.attempts + 1,
                last_error="",
            )

    def _now_us(self) -> int:
        return int(self.lease_clock() * 1_000_000)

    def _claim(self, collection: str, *, after: str, limit: int) -> list[Record]:
        now = self._now_us()
        until = now + int(self.lease.total_seconds() * 1_000_000)
        return self.store.records.claim(
            collection, owner=self.worker, now=now, until=until, after=after, limit=limit
        )

    def _release(self, uow: UnitOfWork, collection: str, key: str) -> None:
        """Give a claim back (the item stays pending, free for any worker)."""
        row = uow.records.find(collection, key)
        if row is not None and row.data.get(LEASE_OWNER) == self.worker:
            uow.records.update(
                attrs.evolve(row, data={**row.data, LEASE_UNTIL: 0, LEASE_OWNER: ""})
            )

    def _ensure_index(self) -> None:
        """Index the pending work of a store written before the index existed (once)."""
        if self._indexed:
            return
        try:
            with self.store.transaction(actor=self.actor) as uow:
                if uow.records.find(_META, _INDEXED) is None:
                    indexed = {r.data["key"] for r in uow.records.scan(OUTBOX_PENDING)}
                    for record in uow.records.scan(OUTBOX):
                        if record.data["state"] == "pending" and record.key not in indexed:
                            uow.records.add(_pending_row(int(record.data["queued"]), record.key))
                    for record in uow.records.scan(INBOX):
                        if (
                            record.data["state"] == "arrived"
                            and uow.records.find(INBOX_ARRIVED, record.key) is None
                        ):
                            uow.records.add(_arrival_row(record.key))
                    uow.records.add(Record(collection=_META, key=_INDEXED, data={"version": 1}))
        except ConflictError:
            pass  # another worker indexed the store at the same moment
        self._indexed = True

    def pending(self) -> int:
        """How many outbox items wait to be sent (read from the pending index)."""
        self._ensure_index()
        return self.store.records.count(OUTBOX_PENDING)

    def outbox(self, *, state: str | None = None) -> Iterator[OutboxItem]:
        """Outbox items in the order they were queued (optionally only in ``state``); the
        pending ones are read from the pending index, not from the whole history."""
        if state == "pending":
            self._ensure_index()
            for row in self.store.records.scan(OUTBOX_PENDING):
                record = self.store.records.find(OUTBOX, row.data["key"])
                if record is not None and record.data["state"] == "pending":
                    yield OutboxItem.from_record(record)
            return
        records = sorted(self.store.records.scan(OUTBOX), key=lambda r: int(r.data["queued"]))
        for record in records:
            item = OutboxItem.from_record(record)
            if state is None or item.state == state:
                yield item

    def _outbox_item(self, key: str) -> OutboxItem:
        return OutboxItem.from_record(self.store.records.get(OUTBOX, key))

    def _enqueue(
        self,
        key: str,
        kind: MessageKind,
        document_id: str,
        to: Sequence[AgencyCode],
        data: bytes,
        uow: UnitOfWork | None = None,
    ) -> OutboxItem:
        ref = self.store.blobs.put(data)
        item = OutboxItem(
            key=key, kind=kind, document_id=document_id, to=tuple(to), sha256=ref.sha256
        )
        if uow is not None:
            return self._add_outbox(uow, item)
        with self.store.transaction(actor=self.actor) as work:
            return self._add_outbox(work, item)

    def _add_outbox(self, uow: UnitOfWork, item: OutboxItem) -> OutboxItem:
        existing = uow.records.find(OUTBOX, item.key)
        if existing is not None:
            return OutboxItem.from_record(existing)
        queued = uow.sequences.allocate(_OUTBOX_COUNTER)
        uow.records.add(
            Record(collection=OUTBOX, key=item.key, data={**item.to_dict(), "queued": queued})
        )
        uow.records.add(_pending_row(queued, item.key))
        return item

    @staticmethod
    def _update_outbox(uow: UnitOfWork, item: OutboxItem, **changes: Any) -> OutboxItem:
        new = attrs.evolve(item, **changes)
        record = uow.records.get(OUTBOX, item.key)
        uow.records.update(attrs.evolve(record, data={**record.data, **new.to_dict()}))
        return new

    # -- incoming ---------------------------------------------------------------------------

    def receive(self) -> list[IncomingResult]:
        """Take every waiting message, finish arrivals a crash left half done, then send the
        answers (status messages) that were queued.

        A message that cannot be fetched now stays listed for the next call; an exchange that
        cannot even list raises :class:`~egovkit.errors.RemoteError` (run again later: nothing
        is lost).
        """
        self._ensure_index()
        results = list(self._resume_arrivals())
        for delivery in self.exchange.received():
            try:
                results.append(self._take(delivery))
            except RemoteError as exc:
                _log.warning("taking message %s failed: %s", delivery.message_id, exc.code)
        self.flush()
        return results

    def _resume_arrivals(self) -> Iterator[IncomingResult]:
        """Arrivals recorded but not finished (a crash, or a worker that died): claimed from the
        pending index, ``batch`` at a time."""
        after = ""
        while claims := self._claim(INBOX_ARRIVED, after=after, limit=self.batch):
            for claim in claims:
                after = claim.key
                if claim.key.startswith(_changes.CHANGE_ARRIVAL):
                    change = self.store.records.find(
                        _changes.CHANGES, claim.key.removeprefix(_changes.CHANGE_ARRIVAL)
                    )
                    if change is None:
                        with self.store.transaction(actor=self.actor) as uow:
                            _drop(uow, INBOX_ARRIVED, claim.key)
                    else:
                        yield _changes.resume(self, change)
                    continue
                record = self.store.records.find(INBOX, claim.key)
                if record is None or record.data["state"] != "arrived":
                    with self.store.transaction(actor=self.actor) as uow:
                        _drop(uow, INBOX_ARRIVED, claim.key)
                    continue
                yield self._resume(record)

    def _hold_arrival(self, uow: UnitOfWork, key: str) -> None:
        """Index an arrival as pending, claimed by this worker (which takes it next)."""
        _drop(uow, INBOX_ARRIVED, key)
        until = self._now_us() + int(self.lease.total_seconds() * 1_000_000)
        uow.records.add(_arrival_row(key, owner=self.worker, until=until))

    def _claim_arrival(self, document_id: str) -> bool:
        """Take one arrival for this worker, unless another one holds it."""
        now = self._now_us()
        until = now + int(self.lease.total_seconds() * 1_000_000)
        try:
            with self.store.transaction(actor=self.actor) as uow:
                row = uow.records.find(INBOX_ARRIVED, document_id)
                if row is None:
                    uow.records.add(_arrival_row(document_id, owner=self.worker, until=until))
                    return True
                if not is_free(row.data, owner=self.worker, now=now):
                    return False
                data = {**row.data, LEASE_UNTIL: until, LEASE_OWNER: self.worker}
                uow.records.update(attrs.evolve(row, data=data))
                return True
        except ConflictError:
            return False  # another worker took it at the same moment

    def _take(self, delivery: Delivery) -> IncomingResult:
        try:
            data = self.exchange.fetch(delivery.message_id)
        except (ParseError, UnsafeInputError) as exc:  # hostile content: refuse it, once
            return self._unreadable(delivery, str(exc))
        except NotFoundError:
            return IncomingResult(
                message_id=delivery.message_id,
                document_id="",
                outcome="unreadable",
                reason="the exchange no longer has the message",
            )
        if delivery.kind is MessageKind.STATUS:
            return self._take_status(delivery, data)
        return self._take_envelope(delivery, data)

    def _take_status(self, delivery: Delivery, data: bytes) -> IncomingResult:
        try:
            message = read(data).message
        except EgovkitError as exc:
            return self._unreadable(delivery, str(exc))
        if not isinstance(message, StatusMessage):
            return self._unreadable(delivery, "a status delivery that is not a status message")
        document_id = message.response_for.document_id
        if not _usable_id(document_id):
            return self._unreadable(delivery, "a status message without a usable DocumentId")
        entry = StatusEntry(
            document_id=document_id,
            status=message.status,
            sender=message.sender.code,
            description=message.description,
            at=message.timestamp,
        )
        data_entry = _status_to_dict(entry)
        with self.store.transaction(actor=self.actor) as uow:
            seen = [r.data for r in uow.records.scan(STATUSES, prefix=f"{document_id}|")]
            if data_entry not in [{k: v for k, v in d.items() if k != "n"} for d in seen]:
                n = uow.sequences.allocate(_STATUS_COUNTER)
                uow.records.add(
                    Record(
                        collection=STATUSES,
                        key=f"{document_id}|{n:012d}",
                        data={**data_entry, "n": n},
                    )
                )
        self.exchange.confirm(delivery.message_id)
        return IncomingResult(
            message_id=delivery.message_id,
            document_id=document_id,
            outcome="status",
            reason=message.status,
        )

    def _unreadable(self, delivery: Delivery, reason: str) -> IncomingResult:
        """Refuse a message that cannot even be answered (confirmed as not taken)."""
        self.exchange.confirm(delivery.message_id, ok=False)
        return IncomingResult(
            message_id=delivery.message_id, document_id="", outcome="unreadable", reason=reason
        )

    def _take_envelope(self, delivery: Delivery, data: bytes) -> IncomingResult:
        try:
            message = read(data).message
        except EgovkitError as exc:
            return self._unreadable(delivery, str(exc))
        if (
            not isinstance(message, Envelope)
            or message.header.sender.code is None
            or not _usable_id(message.header.document_id)
        ):
            return self._unreadable(
                delivery, "not an envelope with a readable sender code and DocumentId"
            )
        if _changes.is_change(message):
            if not _usable_id(_changes.target_of(message)):
                return self._unreadable(delivery, "a recall or update without a usable DocumentId")
            return _changes.take(self, delivery, data, message)
        header = message.header
        document_id = header.document_id
        ref = self.store.blobs.put(data)
        arrival: dict[str, Any] = {
            "state": "arrived",
            "duplicates": [],
            **arrival_fields(delivery, message, ref.sha256),
            "arrival_number": None,
            "indication": "",
            "reason": "",
        }
        for attempt in range(3):  # concurrent workers may insert the same key first
            try:
                existing, record = self._record_arrival(delivery, document_id, arrival)
                break
            except ConflictError:
                if attempt == 2:
                    raise
        self.exchange.confirm(delivery.message_id)
        if existing is not None and existing.data["state"] != "arrived":
            return IncomingResult(
                message_id=delivery.message_id,
                document_id=document_id,
                outcome="duplicate",
                arrival_number=existing.data["arrival_number"],
            )
        if existing is not None and not self._claim_arrival(document_id):
            return IncomingResult(
                message_id=delivery.message_id,
                document_id=document_id,
                outcome="duplicate",
                reason="another worker is taking this document",
            )
        return self._resume(record)

    def _record_arrival(
        self, delivery: Delivery, document_id: str, arrival: dict[str, Any]
    ) -> tuple[Record | None, Record]:
        """Record an arrival (or a second delivery of one); the record found before, if any,
        and the record as stored now."""
        with self.store.transaction(actor=self.actor) as uow:
            existing = uow.records.find(INBOX, document_id)
            if existing is None:
                record = uow.records.add(Record(collection=INBOX, key=document_id, data=arrival))
                self._hold_arrival(uow, document_id)
                self._queue_status(uow, record, StatusCode.ARRIVED, "")
            elif existing.data["state"] == "refused":
                # A refused delivery proves nothing about the DocumentId (anyone can forge one),
                # so it must not make the genuine delivery look like a duplicate: start afresh
                # and keep the refusal on record.
                refusals = [*existing.data.get("refusals", []), _refusal(existing)]
                record = uow.records.update(
                    attrs.evolve(existing, data={**arrival, "refusals": refusals})
                )
                existing = None
                self._hold_arrival(uow, document_id)
                self._queue_status(uow, record, StatusCode.ARRIVED, "")
            elif delivery.message_id in (
                existing.data["message_id"],
                *existing.data["duplicates"],
            ):
                record = existing  # the same listing seen again (a retry, another worker)
            else:
                duplicates = [*existing.data["duplicates"], delivery.message_id]
                record = uow.records.update(
                    attrs.evolve(existing, data={**existing.data, "duplicates": duplicates})
                )
        return existing, record

    def _resume(self, record: Record) -> IncomingResult:
        """Verify and register (or refuse) an arrival recorded earlier."""
        indication, signed, reason = self._signed_envelope(record.data["sha256"])
        document: Document | None = None
        if signed is not None:
            reason = self._mismatch(record, signed)
            if not reason:
                document, _ = document_from_envelope(signed)
                self._keep_files(signed)
        if document is not None and signed is not None:
            try:
                return self._register(record, document, indication, signed)
            except ValidationError as exc:
                reason = f"văn bản không hợp lệ (the document failed checks): {exc.message}"
        return self._refuse(record, indication, reason)

    def _signed_envelope(self, sha256: str) -> tuple[str, Envelope | None, str]:
        """Verify a stored message: its indication, the envelope read from the bytes the
        signature covers (``None`` unless TOTAL_PASSED), and why not."""
        report = verify(
            self.store.blobs.get(sha256),
            trust=self.trust,
            policy=self.policy,
            revocation=self.revocation,
            at=self.clock(),
        )
        indication = report.indication.value + (
            f"/{report.sub_indication.value}" if report.sub_indication else ""
        )
        if not report.passed or report.signed_content is None:
            return indication, None, f"chữ ký số không hợp lệ (signature {indication})"
        try:
            signed = read(report.signed_content).message
        except EgovkitError as exc:
            return indication, None, f"signed content unreadable: {exc.message}"
        if not isinstance(signed, Envelope):
            return indication, None, "the signed content is not an envelope"
        return indication, signed, ""

    def _keep_files(self, envelope: Envelope) -> None:
        """Store the signed attachments, so the registered document's digests name kept files."""
        for attachment in envelope.attachments:
            if attachment.content is not None:
                with attachment.content.open() as stream:
                    self.store.blobs.put(stream, expected=attachment.content.sha256)

    @staticmethod
    def _mismatch(record: Record, envelope: Envelope) -> str:
        header = envelope.header
        if header.document_id != record.key:
            return "the signed DocumentId differs from the one outside the signature"
        if not _names_sender(header.document_id, header.sender.code):
            return "the DocumentId names another agency than the signed sender"
        listed = record.data["listed_sender"]
        if str(header.sender.code) != record.data["sender"] or (
            listed and listed != record.data["sender"]
        ):
            return "the sender named by the exchange differs from the signed sender"
        return ""

    def _register(
        self, record: Record, document: Document, indication: str, signed: Envelope
    ) -> IncomingResult:
        today = self.clock().astimezone(VIETNAM_TIME).date()
        with self.store.transaction(actor=self.actor) as uow:
            current = uow.records.get(INBOX, record.key)
            if current.data["state"] != "arrived":
                return _result(current, "duplicate")
            entry = Registrar(uow.sequences).register_incoming(
                self.incoming_register, document, received_on=today
            )
            stored = uow.documents.add(entry.document)
            uow.register_entries.record(entry)
            done = uow.records.update(
                attrs.evolve(
                    current,
                    data={
                        **current.data,
                        "state": "registered",
                        "arrival_number": entry.number,
                        "year": entry.year,
                        "document_key": stored.key,
                        "indication": indication,
                    },
                )
            )
            self._queue_status(uow, done, StatusCode.REGISTERED, f"Số đến {entry.number}")
            _drop(uow, INBOX_ARRIVED, record.key)
            replaced = _changes.apply_replacement(self, uow, done, signed)
        return attrs.evolve(_result(done, "registered"), reason=replaced)

    def _refuse(self, record: Record, indication: str, reason: str) -> IncomingResult:
        with self.store.transaction(actor=self.actor) as uow:
            current = uow.records.get(INBOX, record.key)
            if current.data["state"] != "arrived":
                return _result(current, "duplicate")
            done = uow.records.update(
                attrs.evolve(
                    current,
                    data={
                        **current.data,
                        "state": "refused",
                        "indication": indication,
                        "reason": reason,
                    },
                )
            )
            self._queue_status(uow, done, StatusCode.REFUSED, reason)
            _drop(uow, INBOX_ARRIVED, record.key)
        return _result(done, "refused")

    def _queue_status(
        self, uow: UnitOfWork, inbox: Record, code: StatusCode, description: str
    ) -> OutboxItem:
        data = inbox.data
        date_text = data["promulgation_date"]
        status = StatusMessage(
            sender=self.organization,
            response_for=ResponseFor(
                code=AgencyCode.parse(data["sender"]),
                document_code=data["code"],
                promulgation_date=datetime.date.fromisoformat(date_text) if date_text else None,
                document_id=inbox.key,
            ),
            status=code.wire,
            staff=self.staff,
            description=description or code.meaning,
            timestamp=self.clock(),
        )
        taken = [k.key for k in uow.records.scan(OUTBOX, prefix=f"status|{inbox.key}|{code.wire}|")]
        return self._enqueue(
            f"status|{inbox.key}|{code.wire}|{len(taken) + 1}",
            MessageKind.STATUS,
            inbox.key,
            [AgencyCode.parse(data["sender"])],
            write(status),
            uow,
        )

    def report_status(
        self, document_id: str, code: StatusCode, *, description: str = ""
    ) -> OutboxItem:
        """Tell the sender how handling goes (04 assigned, 05 in progress, 06 completed, …) for
        a registered document, and send it at once (or at the next flush if the exchange fails).
        """
        with self.store.transaction(actor=self.actor) as uow:
            record = uow.records.get(INBOX, document_id)
            if record.data["state"] != "registered":
                raise ConflictError(
                    f"{document_id!r} is {record.data['state']}, not registered",
                    code="exchange.status.state",
                    where=document_id,
                )
            item = self._queue_status(uow, record, code, description)
        self.flush()
        return self._outbox_item(item.key)

    def inbox(self, *, state: str | None = None) -> list[Mapping[str, Any]]:
        """Received documents as stored (``state``: arrived, registered, refused)."""
        return [{"document_id": r.key, **r.data} for r in self._inbox_records(state=state)]

    def _inbox_records(self, *, state: str | None) -> list[Record]:
        if state == "arrived":  # from the pending index, not the whole history
            self._ensure_index()
            found = (
                self.store.records.find(INBOX, row.key)
                for row in self.store.records.scan(INBOX_ARRIVED)
                if not row.key.startswith(_changes.CHANGE_ARRIVAL)
            )
            return [r for r in found if r is not None and r.data["state"] == "arrived"]
        return [
            r for r in self.store.records.scan(INBOX) if state is None or r.data["state"] == state
        ]

    def changes(self, document_id: str) -> tuple[DocumentChange, ...]:
        """What was applied to a registered document since: recalled, updated, replaced
        (oldest first; the document and its register entry are never deleted)."""
        return _changes.history(self, document_id)

    def history(self, document_id: str) -> tuple[StatusEntry, ...]:
        """The status messages received about one of our documents, in arrival order."""
        records = list(self.store.records.scan(STATUSES, prefix=f"{document_id}|"))
        return tuple(_status_from_dict(r.data) for r in records)


def arrival_fields(delivery: Delivery, envelope: Envelope, sha256: str) -> dict[str, Any]:
    """What an arrival record keeps of a delivery before it is verified (the stored bytes,
    the senders named inside and outside, what the answers will quote)."""
    header = envelope.header
    date = header.promulgation.date
    return {
        "message_id": delivery.message_id,
        "sha256": sha256,
        "sender": str(header.sender.code),
        "listed_sender": str(delivery.sender) if delivery.sender else "",
        "code": str(header.code),
        "promulgation_date": date.isoformat() if date else "",
    }


def _pending_row(queued: int, key: str) -> Record:
    """The pending-index row of outbox item ``key`` (free: no lease)."""
    return Record(
        collection=OUTBOX_PENDING,
        key=f"{queued:012d}",
        data={"key": key, LEASE_UNTIL: 0, LEASE_OWNER: ""},
    )


def _arrival_row(document_id: str, *, owner: str = "", until: int = 0) -> Record:
    """The pending-index row of an arrival (claimed at once by the worker that recorded it)."""
    return Record(
        collection=INBOX_ARRIVED,
        key=document_id,
        data={LEASE_UNTIL: until, LEASE_OWNER: owner},
    )


def _names_sender(document_id: str, sender: AgencyCode | None) -> bool:
    """True when the DocumentId (``<OrganId>,<yyyy/MM/dd>,<number>/<notation>``) starts with the
    sender's own code, so one agency cannot claim another's DocumentId."""
    organ = document_id.split(",", 1)[0].strip()
    try:
        return sender is not None and AgencyCode.parse(organ, strict=False) == sender
    except ParseError:
        return False


def _refusal(record: Record) -> dict[str, Any]:
    """What is kept of a refused delivery when the same DocumentId arrives again."""
    keep = ("message_id", "sha256", "sender", "indication", "reason")
    return {name: record.data.get(name) for name in keep}


def _usable_id(document_id: str) -> bool:
    """A DocumentId that can key a record (checked before it is trusted as one)."""
    return 0 < len(document_id) <= 300 and document_id.isprintable()


def _result(record: Record, outcome: str) -> IncomingResult:
    data = record.data
    return IncomingResult(
        message_id=data["message_id"],
        document_id=record.key,
        outcome=outcome,
        arrival_number=data["arrival_number"],
        indication=data["indication"],
        reason=data["reason"],
    )


def _status_to_dict(entry: StatusEntry) -> dict[str, Any]:
    return {
        "document_id": entry.document_id,
        "status": entry.status,
        "sender": str(entry.sender) if entry.sender else "",
        "description": entry.description,
        "at": entry.at.isoformat() if entry.at else "",
    }


def _status_from_dict(data: Mapping[str, Any]) -> StatusEntry:
    return StatusEntry(
        document_id=data["document_id"],
        status=data["status"],
        sender=AgencyCode.parse(data["sender"]) if data["sender"] else None,
        description=data["description"],
        at=datetime.datetime.fromisoformat(data["at"]) if data["at"] else None,
    )


__all__ = [
    "INBOX",
    "INBOX_ARRIVED",
    "OUTBOX",
    "OUTBOX_PENDING",
    "STATUSES",
    "DocumentChange",
    "ExchangeService",
    "IncomingResult",
    "OutboxItem",
]
