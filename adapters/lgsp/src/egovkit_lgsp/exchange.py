"""A provincial gateway as a :class:`~egovkit.exchange.ports.DocumentExchange`.

The gateway keeps no status history a client can query, and a second send of the same
document is a second message; :class:`~egovkit.exchange.service.ExchangeService` keeps the
history and the receiver registers a document once by ``DocumentId``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from egovkit.agencies.codes import AgencyCode
from egovkit.errors import EgovkitError
from egovkit.exchange.ports import (
    Capabilities,
    Delivery,
    DocumentExchange,
    MessageKind,
    SendReceipt,
)
from egovkit_lgsp.client import LgspClient
from egovkit_lgsp.wire import Message


class LgspExchange(DocumentExchange):
    """One unit's connection to a gateway, through an :class:`~egovkit_lgsp.client.LgspClient`."""

    capabilities = Capabilities(status_history=False, deduplicates_sends=False)

    def __init__(self, client: LgspClient) -> None:
        self.client = client

    @property
    def agency(self) -> AgencyCode:
        return self.client.agency

    def send(
        self,
        data: bytes,
        *,
        kind: MessageKind,
        to: Sequence[AgencyCode],
        document_id: str,
    ) -> SendReceipt:
        doc_id = self.client.send(data, kind=kind.value, to=to)
        return SendReceipt(message_id=doc_id, document_id=document_id, kind=kind)

    def received(self, *, kind: MessageKind | None = None) -> tuple[Delivery, ...]:
        found: dict[str, Delivery] = {}
        for message in self.client.received(kind=kind.value if kind else None):
            try:
                message_kind = MessageKind(message.message_type)
            except ValueError:
                continue  # a kind egovkit does not handle
            found.setdefault(message.doc_id, _delivery(message, message_kind))
        return tuple(found.values())

    def fetch(self, message_id: str) -> bytes:
        return self.client.fetch(message_id)

    def confirm(self, message_id: str, *, ok: bool = True) -> None:
        self.client.update_status(message_id, "DONE" if ok else "FAIL")

    def close(self) -> None:
        self.client.close()


def _delivery(message: Message, kind: MessageKind) -> Delivery:
    try:
        sender: AgencyCode | None = AgencyCode.parse(message.sender) if message.sender else None
    except EgovkitError:
        sender = None
    try:
        listed = dt.datetime.fromisoformat(message.created_time) if message.created_time else None
    except ValueError:
        listed = None
    return Delivery(message_id=message.doc_id, kind=kind, sender=sender, listed_at=listed)


__all__ = ["LgspExchange"]
