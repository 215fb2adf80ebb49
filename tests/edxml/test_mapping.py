"""Document ↔ envelope: outgoing documents become envelopes; secret ones never do."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from egovkit.agencies import AgencyCode
from egovkit.documents import (
    AgencyRef,
    Competence,
    Direction,
    Document,
    DocumentNumber,
    DocumentType,
    Secrecy,
    Signer,
    Urgency,
)
from egovkit.edxml import Attachment, AttachmentContent, BusinessType, read, write
from egovkit.edxml.mapping import document_from_envelope, document_id, envelope_from_document
from egovkit.errors import PolicyError, ValidationError

SENT = dt.datetime(2025, 3, 5, 9, 30, tzinfo=dt.UTC)


def outgoing(**changes: Any) -> Document:
    document = Document(
        direction=Direction.OUTGOING,
        type=DocumentType.get("decision"),
        issuer=AgencyRef(
            name="Ủy ban nhân dân tỉnh Nghệ An", code=AgencyCode.parse("000.00.00.H41")
        ),
        number=DocumentNumber.parse("15/QĐ-UBND"),
        place="Nghệ An",
        issued_on=dt.date(2025, 3, 5),
        subject="Về việc phê duyệt kế hoạch",
        content="Điều 1. Phê duyệt.",
        signer=Signer(
            full_name="Nguyễn Văn A",
            position="Phó Chủ tịch",
            competence=Competence.DEPUTY,
            on_behalf_of="Chủ tịch",
        ),
        recipients=[
            AgencyRef(name="Văn phòng Chính phủ", code=AgencyCode.parse("000.00.00.G22")),
            AgencyRef(name="UBND tỉnh Cao Bằng", code=AgencyCode.parse("000.00.00.H14")),
        ],
        urgency=Urgency.VERY_URGENT,
        due_date=dt.date(2025, 3, 20),
    )
    return attrs.evolve(document, **changes)


def test_outgoing_document_becomes_an_envelope_and_back() -> None:
    document = outgoing()
    files = [
        Attachment(
            content_id="cid:1",
            name="qd.pdf",
            content_type="application/pdf",
            content=AttachmentContent.from_bytes(b"%PDF-1.7"),
        )
    ]
    envelope = envelope_from_document(document, attachments=files, sent_at=SENT)
    header = envelope.header
    assert header.document_id == "000.00.00.H41,2025/03/05,15/QĐ-UBND"
    assert header.document_id == document_id(document)
    assert (header.code.number, header.code.notation) == ("15", "QĐ-UBND")
    assert header.document_type.name == "Quyết định"
    assert header.signer is not None
    assert header.signer.competence == "KT. CHỦ TỊCH"
    assert header.other_info is not None
    assert header.other_info.priority == 2
    assert envelope.business is not None
    assert envelope.business.business_type is BusinessType.NEW
    assert [r.content_id for r in envelope.manifest] == ["cid:1"]

    incoming, findings = document_from_envelope(read(write(envelope)).message)  # type: ignore[arg-type]
    assert findings == ()
    assert incoming.direction is Direction.INCOMING
    assert incoming.type == document.type
    assert incoming.number == document.number
    assert incoming.issuer == document.issuer
    assert incoming.recipients == document.recipients
    assert (incoming.place, incoming.issued_on, incoming.subject, incoming.content) == (
        document.place,
        document.issued_on,
        document.subject,
        document.content,
    )
    assert incoming.urgency is Urgency.VERY_URGENT
    assert incoming.due_date == document.due_date
    assert incoming.signer is not None
    assert incoming.signer.competence is Competence.DEPUTY
    assert incoming.signer.full_name == "Nguyễn Văn A"
    assert [(a.name, a.size) for a in incoming.attachments] == [("qd.pdf", 8)]


@pytest.mark.parametrize("secrecy", list(Secrecy))
def test_secret_documents_are_never_enveloped(secrecy: Secrecy) -> None:
    with pytest.raises(PolicyError) as caught:
        envelope_from_document(outgoing(secrecy=secrecy))
    assert caught.value.code == "edxml.policy.secret"


def test_missing_parts_are_listed_together() -> None:
    document = outgoing(
        number=None,
        recipients=[AgencyRef(name="Sở không có mã")],
    )
    with pytest.raises(ValidationError) as caught:
        envelope_from_document(document)
    assert {f.where for f in caught.value.findings} == {"number", "recipients[0].code"}


def test_sample_maps_to_an_incoming_document(samples: object) -> None:
    from pathlib import Path

    assert isinstance(samples, Path)
    message = read(samples / "edoc_three_recipients.edxml").message
    document, findings = document_from_envelope(message)  # type: ignore[arg-type]
    assert document.type == DocumentType.get("official_letter")
    assert str(document.number) == "7816/VPCP-TTĐT"
    assert document.issuer is not None
    assert document.issuer.name == "Văn phòng Chính phủ"
    assert len(document.recipients) == 3
    assert document.signer is not None
    assert document.signer.competence is Competence.BY_ORDER
    assert findings == ()
    # The messy sample's number "74fass22" cannot be a Decree 30 number: a finding, no crash.
    messy = read(samples / "edoc_new.edxml").message
    document, findings = document_from_envelope(messy)  # type: ignore[arg-type]
    assert document.number is None
    assert [f.code for f in findings] == ["edxml.mapping.number"]
