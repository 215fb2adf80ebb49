"""Send a document as an edXML envelope, receive it, and answer with a status message.

Run: python examples/edxml_send_receive.py
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from egovkit.agencies import AgencyCode
from egovkit.documents import AgencyRef, Direction, Document, DocumentNumber, DocumentType
from egovkit.edxml import (
    Attachment,
    Organization,
    ResponseFor,
    StatusCode,
    StatusMessage,
    document_from_envelope,
    envelope_from_document,
    read,
    write,
)
from egovkit.edxml.zipwrap import ZIP_MEDIA_TYPE, unwrap, wrap


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        letter = work / "7816-VPCP.pdf"
        letter.write_bytes(b"%PDF-1.7 " + "Công văn về kết nối liên thông".encode() * 100)

        document = Document(
            direction=Direction.OUTGOING,
            type=DocumentType.get("official_letter"),
            issuer=AgencyRef(name="Văn phòng Chính phủ", code=AgencyCode.parse("000.00.00.G22")),
            number=DocumentNumber.parse("7816/VPCP-TTĐT"),
            place="Hà Nội",
            issued_on=dt.date(2025, 9, 30),
            subject="V/v kết nối, liên thông phần mềm quản lý văn bản",
            recipients=[
                AgencyRef(name="UBND tỉnh Nghệ An", code=AgencyCode.parse("000.00.00.H41")),
                AgencyRef(name="UBND tỉnh Cao Bằng", code=AgencyCode.parse("000.00.00.H14")),
            ],
        )
        # The national axis sends each file as a ZIP holding it.
        attachment = Attachment(
            content_id="cid:1",
            name=letter.name,
            description="Công văn 7816",
            content_type=ZIP_MEDIA_TYPE,
            content=wrap(letter),
        )
        envelope = envelope_from_document(document, attachments=[attachment])
        outgoing = work / "7816.edxml"
        write(envelope, outgoing)
        print(f"sent {envelope.header.document_id} ({outgoing.stat().st_size} bytes)")

        # The receiver reads it leniently and safely, with attachments decoded into a folder.
        result = read(outgoing, attachments_to=work / "payloads")
        print(f"received: ok={result.ok}, findings={len(result.findings)}")
        received = result.message
        assert not isinstance(received, StatusMessage)
        incoming, notes = document_from_envelope(received)
        issuer = incoming.issuer.name if incoming.issuer else "?"
        print(f"incoming register: {incoming.number} from {issuer}, notes={len(notes)}")
        content = received.attachments[0].content
        assert content is not None
        files = unwrap(content, work / "inbox")
        print(f"attachment unwrapped: {[p.name for p in files]}")

        answer = StatusMessage(
            sender=Organization(code=AgencyCode.parse("000.00.00.H41"), name="UBND tỉnh Nghệ An"),
            response_for=ResponseFor(
                code=AgencyCode.parse("000.00.00.G22"),
                document_code="7816/VPCP-TTĐT",
                document_id=received.header.document_id,
            ),
            status=StatusCode.REGISTERED.wire,
            description="Đã vào sổ văn bản đến",
            timestamp=dt.datetime.now(dt.UTC),
        )
        status = read(write(answer)).message
        assert isinstance(status, StatusMessage)
        assert status.status_code is not None
        print(f"status {status.status}: {status.status_code.meaning}")


if __name__ == "__main__":
    main()
