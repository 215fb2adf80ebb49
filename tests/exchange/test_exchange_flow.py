"""The end-to-end flow between two agencies on SQLite stores, through the in-memory axis."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs
import pytest

import egovkit
from egovkit.agencies import AgencyCode
from egovkit.documents import Direction, Register, Secrecy
from egovkit.edxml import Envelope, StatusCode, read
from egovkit.errors import PolicyError, RemoteError
from egovkit.exchange import (
    DocumentExchange,
    ExchangeService,
    MemoryAxis,
    MemoryExchange,
    MessageKind,
    SendReceipt,
)
from egovkit.exchange.service import INBOX, OUTBOX, STATUSES
from egovkit.ports import Record, Store
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER, sample_document
from egovkit.testing.pki import FixturePKI


@pytest.fixture(scope="module")
def pki() -> FixturePKI:
    return FixturePKI.create()


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    a = egovkit.open(f"sqlite:///{tmp_path / 'a.db'}")
    b = egovkit.open(f"sqlite:///{tmp_path / 'b.db'}")
    yield a, b
    a.close()
    b.close()


def service(
    store: Store, exchange: DocumentExchange, pki: FixturePKI, *, signer: bool = True
) -> ExchangeService:
    return ExchangeService(
        store=store,
        exchange=exchange,
        incoming_register=Register(agency=exchange.agency, direction=Direction.INCOMING),
        trust=pki.trust_store(),
        revocation=pki.revocation(),
        signer=pki.agency.signer() if signer else None,
        actor=f"văn thư {exchange.agency}",
    )


def test_two_agencies_end_to_end(stores: tuple[Store, Store], pki: FixturePKI) -> None:
    store_a, store_b = stores
    axis = MemoryAxis()
    a = service(store_a, axis.connect(SENDER), pki)
    b = service(store_b, axis.connect(RECIPIENT), pki)

    sent = a.send(sample_document())
    assert sent.state == "sent"
    assert sent.message_id

    [result] = b.receive()
    assert result.outcome == "registered", result
    assert result.arrival_number == 1
    assert result.indication == "TOTAL_PASSED"
    [entry] = store_b.register_entries.entries(b.incoming_register, _year(b), secret=False)
    assert entry.document.number is not None
    assert str(entry.document.number) == "15/UBND-VP"
    assert entry.document.direction is Direction.INCOMING

    for code in (StatusCode.ASSIGNED, StatusCode.COMPLETED):
        assert b.report_status(sent.document_id, code).state == "sent"
    statuses = a.receive()
    assert [r.outcome for r in statuses] == ["status"] * 4
    history = a.history(sent.document_id)
    assert [e.status for e in history] == ["01", "03", "04", "06"]
    assert all(e.sender == RECIPIENT for e in history)

    audit_a = {(e.collection, e.action) for e in store_a.audit.entries()}
    assert {(OUTBOX, "add"), (OUTBOX, "update"), (STATUSES, "add")} <= audit_a
    audit_b = {(e.collection, e.action) for e in store_b.audit.entries()}
    assert {(INBOX, "add"), (INBOX, "update"), ("documents", "add")} <= audit_b
    assert {("register_entries", "add"), (OUTBOX, "update")} <= audit_b
    store_a.audit.verify()
    store_b.audit.verify()


def _year(svc: ExchangeService) -> int:
    from egovkit.edxml import VIETNAM_TIME

    return svc.clock().astimezone(VIETNAM_TIME).year


def test_sending_twice_and_duplicate_delivery_register_once(
    stores: tuple[Store, Store], pki: FixturePKI
) -> None:
    store_a, store_b = stores
    axis = MemoryAxis(duplicate_listings=True)
    a = service(store_a, axis.connect(SENDER), pki)
    b = service(store_b, axis.connect(RECIPIENT), pki)
    first = a.send(sample_document())
    again = a.send(sample_document())
    assert again.key == first.key
    assert len(list(a.outbox(state=None))) == 1
    results = b.receive()
    assert sorted(r.outcome for r in results) == ["duplicate", "registered"]
    assert len(list(store_b.documents.all())) == 1
    assert b.receive() == []
    # The duplicate is remembered, not lost.
    [inbox] = b.inbox()
    assert len(inbox["duplicates"]) == 1


def test_an_unsigned_envelope_is_refused_with_status_02(
    stores: tuple[Store, Store], pki: FixturePKI
) -> None:
    store_a, store_b = stores
    axis = MemoryAxis()
    a = service(store_a, axis.connect(SENDER), pki, signer=False)
    b = service(store_b, axis.connect(RECIPIENT), pki)
    a.send(sample_document())
    [result] = b.receive()
    assert result.outcome == "refused"
    assert result.indication.startswith(("TOTAL_FAILED", "INDETERMINATE"))
    assert list(store_b.documents.all()) == []
    a.receive()
    [status] = a.history(result.document_id)[-1:]
    assert status.status == "02"
    assert "chữ ký số" in status.description


def test_an_indeterminate_signature_is_refused(
    stores: tuple[Store, Store], pki: FixturePKI
) -> None:
    store_a, store_b = stores
    axis = MemoryAxis()
    a = service(store_a, axis.connect(SENDER), pki)
    receiver = ExchangeService(
        store=store_b,
        exchange=axis.connect(RECIPIENT),
        incoming_register=Register(agency=RECIPIENT, direction=Direction.INCOMING),
        trust=pki.trust_store(),
        revocation=None,  # no CRL or OCSP answer: INDETERMINATE / TRY_LATER
    )
    a.send(sample_document())
    [result] = receiver.receive()
    assert result.outcome == "refused"
    assert result.indication == "INDETERMINATE/TRY_LATER"
    assert (
        list(
            store_b.register_entries.entries(
                receiver.incoming_register, _year(receiver), secret=False
            )
        )
        == []
    )


def test_a_tampered_envelope_is_refused(stores: tuple[Store, Store], pki: FixturePKI) -> None:
    store_a, store_b = stores
    axis = MemoryAxis()
    a = service(store_a, axis.connect(SENDER), pki)
    b = service(store_b, axis.connect(RECIPIENT), pki)
    item = a.submit(sample_document())
    data = store_a.blobs.get(item.sha256).replace(
        "Thử Nghiệm</edXML:Place>".encode(), "Hà Nội</edXML:Place>".encode()
    )
    axis.connect(SENDER).send(
        data, kind=MessageKind.EDOC, to=[RECIPIENT], document_id=item.document_id
    )
    [result] = b.receive()
    assert result.outcome == "refused"
    assert result.indication == "TOTAL_FAILED/HASH_FAILURE"


def test_secret_documents_never_leave(stores: tuple[Store, Store], pki: FixturePKI) -> None:
    store_a, _ = stores
    axis = MemoryAxis()
    a = service(store_a, axis.connect(SENDER), pki)
    secret = attrs.evolve(sample_document(), secrecy=Secrecy.SECRET)
    with pytest.raises(PolicyError) as caught:
        a.send(secret)
    assert caught.value.code == "exchange.policy.secret"
    assert list(a.outbox()) == []
    assert axis.accepted == []


def test_a_failed_send_stays_in_the_outbox(stores: tuple[Store, Store], pki: FixturePKI) -> None:
    store_a, store_b = stores
    axis = MemoryAxis()

    class Down(MemoryExchange):
        def send(
            self, data: bytes, *, kind: MessageKind, to: Sequence[AgencyCode], document_id: str
        ) -> SendReceipt:
            raise RemoteError("axis down", code="test.down", retryable=True)

    a = service(store_a, Down(axis, SENDER), pki)
    item = a.send(sample_document())
    assert item.state == "pending"
    assert item.attempts == 1
    assert "axis down" in item.last_error
    a2 = service(store_a, axis.connect(SENDER), pki)
    [sent] = a2.flush()
    assert sent.key == item.key
    b = service(store_b, axis.connect(RECIPIENT), pki)
    assert [r.outcome for r in b.receive()] == ["registered"]


def test_attachments_travel_and_are_kept(stores: tuple[Store, Store], pki: FixturePKI) -> None:
    from egovkit.edxml import Attachment, AttachmentContent

    store_a, store_b = stores
    axis = MemoryAxis()
    a = service(store_a, axis.connect(SENDER), pki)
    b = service(store_b, axis.connect(RECIPIENT), pki)
    payload = "Công văn số 15 (tệp đính kèm)".encode() * 50
    content = AttachmentContent.from_bytes(payload)
    a.send(
        sample_document(),
        attachments=[
            Attachment(
                content_id="cid:1",
                name="15-UBND-VP.pdf",
                content_type="application/pdf",
                content=content,
            )
        ],
    )
    [result] = b.receive()
    assert result.outcome == "registered"
    [stored] = store_b.documents.all()
    [attachment] = stored.document.attachments
    assert attachment.sha256 == content.sha256
    assert store_b.blobs.get(attachment.sha256) == payload


def test_a_refused_forgery_does_not_block_the_genuine_delivery(
    stores: tuple[Store, Store], pki: FixturePKI
) -> None:
    """Anyone can put a DocumentId on a message: a refused one must not make the genuine
    delivery of that DocumentId look like a duplicate."""
    store_a, store_b = stores
    axis = MemoryAxis()
    a = service(store_a, axis.connect(SENDER), pki)
    b = service(store_b, axis.connect(RECIPIENT), pki)
    item = a.submit(sample_document())
    genuine = store_a.blobs.get(item.sha256)
    forged = genuine.replace("Thử Nghiệm</edXML:Place>".encode(), "Hà Nội</edXML:Place>".encode())
    attacker = axis.connect(AgencyCode.parse("000.00.09.H99"))
    attacker.send(forged, kind=MessageKind.EDOC, to=[RECIPIENT], document_id=item.document_id)
    [first] = b.receive()
    assert first.outcome == "refused"

    sender = axis.connect(SENDER)
    sender.send(genuine, kind=MessageKind.EDOC, to=[RECIPIENT], document_id=item.document_id)
    [second] = b.receive()
    assert second.outcome == "registered", second
    assert second.arrival_number == 1
    inbox = store_b.records.get(INBOX, item.document_id)
    assert [r["indication"] for r in inbox.data["refusals"]] == ["TOTAL_FAILED/HASH_FAILURE"]


def test_a_document_id_must_name_its_signed_sender(
    stores: tuple[Store, Store], pki: FixturePKI
) -> None:
    store_a, _ = stores
    a = service(store_a, MemoryAxis().connect(SENDER), pki)
    item = a.submit(sample_document())
    envelope = read(store_a.blobs.get(item.sha256)).message
    assert isinstance(envelope, Envelope)
    claimed = "000.00.00.G22," + envelope.header.document_id.split(",", 1)[1]
    forged = attrs.evolve(envelope, header=attrs.evolve(envelope.header, document_id=claimed))
    record = Record(
        collection=INBOX, key=claimed, data={"sender": str(SENDER), "listed_sender": ""}
    )
    assert "another agency" in ExchangeService._mismatch(record, forged)
    honest = Record(
        collection=INBOX,
        key=envelope.header.document_id,
        data={"sender": str(SENDER), "listed_sender": ""},
    )
    assert ExchangeService._mismatch(honest, envelope) == ""
