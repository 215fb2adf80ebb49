"""The ``DocumentExchange`` port: how one agency talks to a document exchange (liên thông).

An exchange is seen from one agency (the one it was opened for): it sends edXML messages —
envelopes (``edoc``) and status messages (``status``) — to other agencies, lists what arrived,
fetches a message, confirms it was taken (so it is no longer listed) and, where the remote
system keeps one, gives the status history of a document. The port moves bytes and small
values only; building, signing, verifying and registering documents is the service's job
(:mod:`egovkit.exchange.service`), so every adapter stays thin.

Delivery is *at least once*: a message may be listed twice, and a send retried after a lost
answer may arrive twice. The receiving service recognises duplicates by the document's
``DocumentId``.
"""

from __future__ import annotations

import abc
import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Self

import attrs

from egovkit.agencies.codes import AgencyCode
from egovkit.edxml.model import StatusMessage
from egovkit.errors import PolicyError, ValidationError


class MessageKind(enum.Enum):
    """What a message is: an envelope (công văn điện tử) or a status message (trạng thái)."""

    EDOC = "edoc"
    STATUS = "status"


def _codes(values: Iterable[AgencyCode]) -> tuple[AgencyCode, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class SendReceipt:
    """What the exchange answered to a send: its own id for the message.

    ``duplicate`` is True when the exchange recognised the message as one it already had
    (the same sender and ``DocumentId``) and kept the first one.
    """

    message_id: str
    document_id: str
    kind: MessageKind
    duplicate: bool = False


@attrs.frozen(kw_only=True)
class Delivery:
    """A message waiting for this agency, as the exchange lists it (not yet fetched).

    ``sender`` is ``None`` when the exchange did not say (or said something unreadable);
    ``document_id`` is the edXML ``DocumentId`` when the exchange knows it, else ``""``.
    """

    message_id: str
    kind: MessageKind
    sender: AgencyCode | None = None
    document_id: str = ""
    listed_at: dt.datetime | None = None


@attrs.frozen(kw_only=True)
class StatusEntry:
    """One line of a document's status history: who answered what, and when."""

    document_id: str
    status: str
    sender: AgencyCode | None = None
    description: str = ""
    at: dt.datetime | None = None


@attrs.frozen(kw_only=True)
class Capabilities:
    """What an adapter can do beyond the minimum; the contract suite tests what is claimed.

    ``status_history``: :meth:`DocumentExchange.history` works. ``deduplicates_sends``: sending
    the same ``DocumentId`` twice gives one message (``SendReceipt.duplicate``).
    """

    status_history: bool = False
    deduplicates_sends: bool = False


class DocumentExchange(abc.ABC):
    """Port: one agency's connection to a document exchange (the national axis, an iOffice-like
    system, or the in-memory exchange used in tests)."""

    #: What this adapter does beyond the minimum.
    capabilities: Capabilities = Capabilities()

    @property
    @abc.abstractmethod
    def agency(self) -> AgencyCode:
        """The agency this connection speaks for (mã định danh)."""

    @abc.abstractmethod
    def send(
        self,
        data: bytes,
        *,
        kind: MessageKind,
        to: Sequence[AgencyCode],
        document_id: str,
    ) -> SendReceipt:
        """Send one edXML message (already written, and signed when it is an envelope)."""

    @abc.abstractmethod
    def received(self, *, kind: MessageKind | None = None) -> tuple[Delivery, ...]:
        """Messages waiting for this agency (optionally of one kind), oldest first."""

    @abc.abstractmethod
    def fetch(self, message_id: str) -> bytes:
        """The bytes of a waiting message; unknown ids raise NotFoundError."""

    @abc.abstractmethod
    def confirm(self, message_id: str, *, ok: bool = True) -> None:
        """Say the message was taken (``ok``) or could not be (``ok=False``); either way the
        exchange stops listing it. Confirming twice is harmless."""

    def acknowledge(self, status: StatusMessage, *, to: AgencyCode) -> SendReceipt:
        """Send a status message (thông điệp trạng thái) about a received document to ``to``."""
        from egovkit.edxml.writer import write

        document_id = status.response_for.document_id
        if not document_id:
            raise ValidationError(
                "a status message must name the document it answers (ResponseFor/DocumentId)",
                code="exchange.status.document_id",
                where="response_for.document_id",
            )
        return self.send(write(status), kind=MessageKind.STATUS, to=[to], document_id=document_id)

    def history(self, document_id: str) -> tuple[StatusEntry, ...]:
        """Status messages the exchange holds about ``document_id`` (capability
        ``status_history``), oldest first."""
        raise PolicyError(
            f"{type(self).__name__} keeps no status history; read the service's history",
            code="exchange.capability.history",
            where="history",
        )

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections (nothing by default)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


__all__ = [
    "Capabilities",
    "Delivery",
    "DocumentExchange",
    "MessageKind",
    "SendReceipt",
    "StatusEntry",
]
