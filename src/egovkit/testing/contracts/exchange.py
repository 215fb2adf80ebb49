"""Contract suite for :class:`~egovkit.exchange.ports.DocumentExchange` adapters.

An adapter adopts it in one line, fsspec-style: a fixtures class that connects two agencies to
the same exchange, and the suite mixed in::

    from egovkit.testing.contracts.exchange import ExchangeContract, ExchangeFixtures

    class MyFixtures(ExchangeFixtures):
        status_history = True

        def connect(self, agency):
            return MyExchange(base_url=..., agency=agency)

    class TestMyExchange(ExchangeContract, MyFixtures):
        pass

Capabilities (``status_history``, ``deduplicates_sends``) are declared on the fixtures class
and must agree with the adapter's :attr:`~egovkit.exchange.ports.DocumentExchange.capabilities`;
the suite skips what is not claimed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import pytest

from egovkit.agencies.codes import AgencyCode
from egovkit.documents.model import AgencyRef, Competence, Direction, Document, Signer
from egovkit.documents.numbers import DocumentNumber
from egovkit.documents.types import DocumentType
from egovkit.edxml.mapping import envelope_from_document
from egovkit.edxml.model import Organization, ResponseFor, StatusCode, StatusMessage
from egovkit.edxml.writer import write
from egovkit.errors import NotFoundError
from egovkit.exchange.ports import DocumentExchange, MessageKind
from egovkit.ports import Store

if TYPE_CHECKING:
    from egovkit.exchange.service import ExchangeService
    from egovkit.testing.pki import FixturePKI

#: The agency that sends in the suite (a province).
SENDER = AgencyCode.parse("000.00.00.H99")
#: The agency that receives in the suite (one of the province's departments).
RECIPIENT = AgencyCode.parse("000.00.02.H99")


def sample_document(
    number: int = 15,
    *,
    sender: AgencyCode = SENDER,
    recipient: AgencyCode = RECIPIENT,
    issued_on: dt.date = dt.date(2026, 3, 2),
) -> Document:
    """A complete, numbered outgoing công văn from ``sender`` to ``recipient``."""
    return Document(
        direction=Direction.OUTGOING,
        type=DocumentType.get("official_letter"),
        issuer=AgencyRef(name="Ủy ban nhân dân tỉnh Thử Nghiệm", code=sender),
        number=DocumentNumber(number=number, notation="UBND-VP"),
        place="Thử Nghiệm",
        issued_on=issued_on,
        subject=f"V/v liên thông văn bản điện tử (lần {number})",
        content="Đề nghị các cơ quan, đơn vị phối hợp thực hiện.",
        signer=Signer(
            full_name="Nguyễn Văn An",
            position="Chủ tịch",
            competence=Competence.ON_BEHALF_OF_COLLECTIVE,
            on_behalf_of="Ủy ban nhân dân",
        ),
        recipients=(AgencyRef(name="Sở Nội vụ", code=recipient),),
    )


def agency_service(
    store: Store, exchange: DocumentExchange, pki: FixturePKI, **options: Any
) -> ExchangeService:
    """The :class:`~egovkit.exchange.service.ExchangeService` of ``exchange``'s agency on
    ``store``, trusting and signing with the fixture PKI (``options`` go to the service)."""
    from egovkit.documents.registers import Register
    from egovkit.exchange.service import ExchangeService

    settings: dict[str, Any] = {
        "trust": pki.trust_store(),
        "revocation": pki.revocation(),
        "signer": pki.agency.signer(),
        **options,
    }
    return ExchangeService(
        store=store,
        exchange=exchange,
        incoming_register=Register(agency=exchange.agency, direction=Direction.INCOMING),
        **settings,
    )


def sample_envelope(number: int = 15) -> tuple[str, bytes]:
    """``(DocumentId, edXML bytes)`` of :func:`sample_document` (unsigned)."""
    envelope = envelope_from_document(
        sample_document(number), sent_at=dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
    )
    return envelope.header.document_id, write(envelope)


def sample_status(document_id: str, code: StatusCode = StatusCode.ARRIVED) -> StatusMessage:
    """The status message :data:`RECIPIENT` sends about ``document_id``."""
    return StatusMessage(
        sender=Organization(code=RECIPIENT, name="Sở Nội vụ"),
        response_for=ResponseFor(code=SENDER, document_code="15/UBND-VP", document_id=document_id),
        status=code.wire,
        description=code.meaning,
        timestamp=dt.datetime(2026, 3, 2, 9, 0, int(code.wire), tzinfo=dt.UTC),
    )


class ExchangeFixtures:
    """Override :meth:`connect`; declare capabilities as class attributes."""

    #: ``history`` gives the status messages about a document.
    status_history: ClassVar[bool] = False
    #: Sending the same DocumentId twice gives one message.
    deduplicates_sends: ClassVar[bool] = False

    def connect(self, agency: AgencyCode) -> DocumentExchange:
        """The exchange as ``agency`` sees it; every call of one test reaches the same
        (fresh) exchange."""
        raise NotImplementedError("override connect in your fixtures class")

    @pytest.fixture
    def sender(self) -> Iterator[DocumentExchange]:
        """The sending agency's connection."""
        exchange = self.connect(SENDER)
        yield exchange
        exchange.close()

    @pytest.fixture
    def recipient(self) -> Iterator[DocumentExchange]:
        """The receiving agency's connection."""
        exchange = self.connect(RECIPIENT)
        yield exchange
        exchange.close()


class ExchangeContract(ExchangeFixtures):
    """What every DocumentExchange adapter must do."""

    def test_capabilities_are_declared_truthfully(self, sender: DocumentExchange) -> None:
        assert sender.capabilities.status_history == self.status_history
        assert sender.capabilities.deduplicates_sends == self.deduplicates_sends
        assert sender.agency == SENDER

    def test_a_sent_envelope_arrives_byte_for_byte(
        self, sender: DocumentExchange, recipient: DocumentExchange
    ) -> None:
        document_id, data = sample_envelope()
        receipt = sender.send(data, kind=MessageKind.EDOC, to=[RECIPIENT], document_id=document_id)
        assert receipt.message_id
        assert receipt.kind is MessageKind.EDOC
        waiting = recipient.received()
        assert len(waiting) == 1
        delivery = waiting[0]
        assert delivery.kind is MessageKind.EDOC
        assert delivery.sender in (SENDER, None)
        assert recipient.fetch(delivery.message_id) == data

    def test_the_sender_does_not_receive_its_own_message(
        self, sender: DocumentExchange, recipient: DocumentExchange
    ) -> None:
        document_id, data = sample_envelope()
        sender.send(data, kind=MessageKind.EDOC, to=[RECIPIENT], document_id=document_id)
        assert sender.received() == ()

    def test_confirmed_messages_are_no_longer_listed(
        self, sender: DocumentExchange, recipient: DocumentExchange
    ) -> None:
        for number in (1, 2):
            document_id, data = sample_envelope(number)
            sender.send(data, kind=MessageKind.EDOC, to=[RECIPIENT], document_id=document_id)
        first, second = recipient.received()
        recipient.confirm(first.message_id)
        recipient.confirm(first.message_id)  # twice is harmless
        assert [d.message_id for d in recipient.received()] == [second.message_id]
        recipient.confirm(second.message_id, ok=False)
        assert recipient.received() == ()

    def test_fetching_an_unknown_message_is_not_found(self, recipient: DocumentExchange) -> None:
        with pytest.raises(NotFoundError):
            recipient.fetch("no-such-message")

    def test_a_status_message_reaches_the_sender(
        self, sender: DocumentExchange, recipient: DocumentExchange
    ) -> None:
        document_id, data = sample_envelope()
        sender.send(data, kind=MessageKind.EDOC, to=[RECIPIENT], document_id=document_id)
        receipt = recipient.acknowledge(sample_status(document_id), to=SENDER)
        assert receipt.kind is MessageKind.STATUS
        waiting = sender.received(kind=MessageKind.STATUS)
        assert len(waiting) == 1
        assert sender.received(kind=MessageKind.EDOC) == ()
        assert b"<edXML:StatusCode>01</edXML:StatusCode>" in sender.fetch(waiting[0].message_id)

    def test_status_history_lists_answers_in_order(
        self, sender: DocumentExchange, recipient: DocumentExchange
    ) -> None:
        if not self.status_history:
            pytest.skip("the adapter does not claim status_history")
        document_id, data = sample_envelope()
        sender.send(data, kind=MessageKind.EDOC, to=[RECIPIENT], document_id=document_id)
        for code in (StatusCode.ARRIVED, StatusCode.REGISTERED, StatusCode.ASSIGNED):
            recipient.acknowledge(sample_status(document_id, code), to=SENDER)
        history = sender.history(document_id)
        assert [e.status for e in history] == ["01", "03", "04"]
        assert all(e.document_id == document_id for e in history)
        assert sender.history("000.00.00.H99,2026/03/02,99/UBND-VP") == ()

    def test_sending_a_document_id_twice_makes_one_message(
        self, sender: DocumentExchange, recipient: DocumentExchange
    ) -> None:
        if not self.deduplicates_sends:
            pytest.skip("the adapter does not claim deduplicates_sends")
        document_id, data = sample_envelope()
        first = sender.send(data, kind=MessageKind.EDOC, to=[RECIPIENT], document_id=document_id)
        again = sender.send(data, kind=MessageKind.EDOC, to=[RECIPIENT], document_id=document_id)
        assert again.duplicate
        assert again.message_id == first.message_id
        assert len(recipient.received()) == 1


__all__ = [
    "RECIPIENT",
    "SENDER",
    "ExchangeContract",
    "ExchangeFixtures",
    "agency_service",
    "sample_document",
    "sample_envelope",
    "sample_status",
]
