"""The national axis as a :class:`~egovkit.exchange.ports.DocumentExchange`.

The axis keeps no status history of its own that a client can query (status messages are
delivered like envelopes, ``messagetype: status``), so this adapter does not claim
``status_history``; :class:`~egovkit.exchange.service.ExchangeService` keeps it in the store.
Nor does it recognise a second send: a retried ``sendEdoc`` may be delivered twice, and the
receiving service registers it once by ``DocumentId``.
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
from egovkit_vdxp.client import VdxpClient
from egovkit_vdxp.wire import AxisItem


class VdxpExchange(DocumentExchange):
    """One agency's connection to the axis, through a :class:`~egovkit_vdxp.client.VdxpClient`."""

    capabilities = Capabilities(status_history=False, deduplicates_sends=False)

    def __init__(self, client: VdxpClient) -> None:
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
        doc_id = self.client.send_edoc(data, to=to, message_type=kind.value)
        return SendReceipt(message_id=doc_id, document_id=document_id, kind=kind)

    def received(self, *, kind: MessageKind | None = None) -> tuple[Delivery, ...]:
        kinds = [kind] if kind is not None else [MessageKind.EDOC, MessageKind.STATUS]
        found: list[Delivery] = []
        seen: set[str] = set()
        for wanted in kinds:
            for item in self.client.received(message_type=wanted.value):
                if item.doc_id not in seen:  # the same id listed twice is one message
                    seen.add(item.doc_id)
                    found.append(_delivery(item, wanted))
        return tuple(found)

    def fetch(self, message_id: str) -> bytes:
        return self.client.get_edoc(message_id)

    def confirm(self, message_id: str, *, ok: bool = True) -> None:
        self.client.update_status(message_id, "done" if ok else "fail")

    def close(self) -> None:
        self.client.close()


def _delivery(item: AxisItem, kind: MessageKind) -> Delivery:
    try:
        sender: AgencyCode | None = AgencyCode.parse(item.sender) if item.sender else None
    except EgovkitError:
        sender = None
    listed: dt.datetime | None = None
    for text in (item.created_time, item.updated_time):
        try:
            listed = dt.datetime.fromisoformat(text) if text else None
        except ValueError:
            listed = None
        if listed is not None:
            break
    return Delivery(message_id=item.doc_id, kind=kind, sender=sender, listed_at=listed)


__all__ = ["VdxpExchange"]
