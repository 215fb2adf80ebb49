"""The in-memory exchange: an axis in a dictionary, for tests, demos and the contract suite.

One :class:`MemoryAxis` stands for the national axis; :meth:`MemoryAxis.connect` gives each
agency its :class:`MemoryExchange`. It keeps status history, recognises a second send of the
same message (the same ``DocumentId`` and bytes: a retry), and can misbehave on purpose
(``duplicate_listings`` lists every message twice under two ids, as a real axis may after a
retry).
"""

from __future__ import annotations

import datetime
import hashlib
import threading
import uuid
from collections.abc import Callable, Sequence

import attrs

from egovkit.agencies.codes import AgencyCode
from egovkit.edxml.model import StatusMessage
from egovkit.errors import EgovkitError, NotFoundError, ValidationError
from egovkit.exchange.ports import (
    Capabilities,
    Delivery,
    DocumentExchange,
    MessageKind,
    SendReceipt,
    StatusEntry,
)


@attrs.frozen(kw_only=True)
class _Message:
    message_id: str
    kind: MessageKind
    sender: AgencyCode
    recipient: AgencyCode
    document_id: str
    data: bytes
    at: datetime.datetime


class MemoryAxis:
    """A thread-safe exchange shared by the agencies connected to it."""

    def __init__(
        self,
        *,
        duplicate_listings: bool = False,
        clock: Callable[[], datetime.datetime] | None = None,
    ) -> None:
        self.duplicate_listings = duplicate_listings
        self._clock = clock or (lambda: datetime.datetime.now(datetime.UTC))
        self._lock = threading.Lock()
        self._waiting: dict[AgencyCode, dict[str, _Message]] = {}
        self._sent: dict[tuple[AgencyCode, MessageKind, str, str], SendReceipt] = {}
        self._statuses: list[tuple[AgencyCode, StatusEntry]] = []
        #: Every message ever accepted (sender, kind, DocumentId), for tests and benchmarks.
        self.accepted: list[tuple[AgencyCode, MessageKind, str]] = []

    def connect(self, agency: AgencyCode) -> MemoryExchange:
        """The exchange as ``agency`` sees it."""
        return MemoryExchange(self, agency)

    def _send(
        self,
        sender: AgencyCode,
        data: bytes,
        kind: MessageKind,
        to: Sequence[AgencyCode],
        document_id: str,
    ) -> SendReceipt:
        if not to:
            raise ValidationError(
                "a message needs at least one recipient", code="exchange.to", where="to"
            )
        digest = hashlib.sha256(data).hexdigest()  # a retry sends the same bytes again
        with self._lock:
            key = (sender, kind, document_id, digest)
            if key in self._sent:
                return attrs.evolve(self._sent[key], duplicate=True)
            message_id = uuid.uuid4().hex
            now = self._clock()
            copies = 2 if self.duplicate_listings else 1
            for recipient in to:
                for copy in range(copies):
                    delivered = message_id if copy == 0 else uuid.uuid4().hex
                    self._waiting.setdefault(recipient, {})[delivered] = _Message(
                        message_id=delivered,
                        kind=kind,
                        sender=sender,
                        recipient=recipient,
                        document_id=document_id,
                        data=bytes(data),
                        at=now,
                    )
            if kind is MessageKind.STATUS:
                self._record_status(sender, to, data, document_id, now)
            receipt = SendReceipt(message_id=message_id, document_id=document_id, kind=kind)
            self._sent[key] = receipt
            self.accepted.append((sender, kind, document_id))
            return receipt

    def _record_status(
        self,
        sender: AgencyCode,
        to: Sequence[AgencyCode],
        data: bytes,
        document_id: str,
        now: datetime.datetime,
    ) -> None:
        from egovkit.edxml.reader import read

        try:
            message = read(data).message
        except EgovkitError:
            return  # the axis passes unreadable messages on; it just cannot index them
        if not isinstance(message, StatusMessage):
            return
        entry = StatusEntry(
            document_id=document_id,
            status=message.status,
            sender=sender,
            description=message.description,
            at=message.timestamp or now,
        )
        for recipient in to:
            self._statuses.append((recipient, entry))
        self._statuses.append((sender, entry))

    def _received(self, agency: AgencyCode, kind: MessageKind | None) -> tuple[Delivery, ...]:
        with self._lock:
            waiting = list(self._waiting.get(agency, {}).values())
        return tuple(
            Delivery(
                message_id=m.message_id,
                kind=m.kind,
                sender=m.sender,
                document_id=m.document_id,
                listed_at=m.at,
            )
            for m in waiting
            if kind is None or m.kind is kind
        )

    def _fetch(self, agency: AgencyCode, message_id: str) -> bytes:
        with self._lock:
            message = self._waiting.get(agency, {}).get(message_id)
        if message is None:
            raise NotFoundError(
                f"no message {message_id!r} waits for {agency}",
                code="exchange.not_found",
                where=message_id,
            )
        return message.data

    def _confirm(self, agency: AgencyCode, message_id: str) -> None:
        with self._lock:
            self._waiting.get(agency, {}).pop(message_id, None)

    def _history(self, agency: AgencyCode, document_id: str) -> tuple[StatusEntry, ...]:
        with self._lock:
            found = [e for a, e in self._statuses if a == agency and e.document_id == document_id]
        return tuple(found)


class MemoryExchange(DocumentExchange):
    """One agency's connection to a :class:`MemoryAxis`."""

    capabilities = Capabilities(status_history=True, deduplicates_sends=True)

    def __init__(self, axis: MemoryAxis, agency: AgencyCode) -> None:
        self._axis = axis
        self._agency = agency

    @property
    def agency(self) -> AgencyCode:
        return self._agency

    def send(
        self,
        data: bytes,
        *,
        kind: MessageKind,
        to: Sequence[AgencyCode],
        document_id: str,
    ) -> SendReceipt:
        return self._axis._send(self._agency, data, kind, to, document_id)

    def received(self, *, kind: MessageKind | None = None) -> tuple[Delivery, ...]:
        return self._axis._received(self._agency, kind)

    def fetch(self, message_id: str) -> bytes:
        return self._axis._fetch(self._agency, message_id)

    def confirm(self, message_id: str, *, ok: bool = True) -> None:
        self._axis._confirm(self._agency, message_id)

    def history(self, document_id: str) -> tuple[StatusEntry, ...]:
        return self._axis._history(self._agency, document_id)


__all__ = ["MemoryAxis", "MemoryExchange"]
