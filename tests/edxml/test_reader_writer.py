"""Details of reading (layouts, codes, quirks) and writing (targets, refusals)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import attrs
import pytest

from egovkit.agencies import AgencyCode
from egovkit.edxml import (
    VIETNAM_TIME,
    Attachment,
    AttachmentContent,
    BusinessType,
    Envelope,
    MessageHeader,
    Organization,
    Promulgation,
    SignatureBlock,
    StatusCode,
    StatusMessage,
    read,
    write,
)
from egovkit.edxml.dates import format_timestamp, read_date, read_timestamp
from egovkit.errors import ParseError, PolicyError, ValidationError
from egovkit.findings import Severity

HOSTILE = Path(__file__).resolve().parent / "hostile"


def status_bytes(code: str = "03", stamp: str = "2015/09/20 11:08:36") -> bytes:
    path = Path(__file__).resolve().parent / "samples" / "status_acceptance_03.edxml"
    data = path.read_bytes()
    data = data.replace(b"<edXML:StatusCode>03<", f"<edXML:StatusCode>{code}<".encode())
    return data.replace(b"2015/09/20 11:08:36", stamp.encode())


def test_both_date_layouts_are_read() -> None:
    assert read_date("2015/09/30").value == read_date("30/09/2015").value == dt.date(2015, 9, 30)
    assert read_date("2015-09-30").layout == "yyyy-MM-dd"
    assert read_timestamp("20/09/2015 11:08:36").value == dt.datetime(
        2015, 9, 20, 11, 8, 36, tzinfo=VIETNAM_TIME
    )
    assert read_date("2014/02/30").value is None
    assert read_date("hôm qua").problem
    assert format_timestamp(dt.datetime(2025, 1, 1, 17, 0, tzinfo=dt.UTC)) == "2025/01/02 00:00:00"


def test_bkav_timestamp_layout_is_accepted_with_a_note() -> None:
    result = read(status_bytes(stamp="20/09/2015 11:08:36"))
    assert isinstance(result.message, StatusMessage)
    assert result.message.timestamp == dt.datetime(2015, 9, 20, 11, 8, 36, tzinfo=VIETNAM_TIME)
    (note,) = result.findings
    assert (note.code, note.severity) == ("edxml.date.layout", Severity.INFO)
    assert result.ok


def test_impossible_timestamp_is_a_finding_and_kept_as_text() -> None:
    result = read(status_bytes(stamp="2015/02/30 11:08:36"))
    assert isinstance(result.message, StatusMessage)
    assert result.message.timestamp is None
    assert result.message.timestamp_text == "2015/02/30 11:08:36"
    assert [f.code for f in result.errors] == ["edxml.date.invalid"]
    with pytest.raises(ValidationError):
        write(result.message)


@pytest.mark.parametrize("code", ["01", "02", "04", "05", "06", "13", "15", "16", "3"])
def test_known_status_codes(code: str) -> None:
    result = read(status_bytes(code))
    assert isinstance(result.message, StatusMessage)
    assert result.message.status_code is StatusCode.from_wire(code)
    assert result.message.status_code is not None
    assert result.findings == ()


def test_unknown_status_code_is_kept_and_flagged() -> None:
    result = read(status_bytes("09"))
    assert isinstance(result.message, StatusMessage)
    assert result.message.status == "09"
    assert result.message.status_code is None
    assert [(f.code, f.severity) for f in result.findings] == [
        ("edxml.status.unknown_code", Severity.WARNING)
    ]
    assert read(write(result.message)).message == result.message
    bad = read(status_bytes("OK"))
    assert [f.code for f in bad.errors] == ["edxml.status.code"]


def test_unprefixed_envelope_children_are_flagged() -> None:
    data = status_bytes().replace(b"edXML:Description", b"Description")
    result = read(data)
    assert [f.code for f in result.findings] == ["edxml.prefix"]
    assert result.findings[0].severity is Severity.WARNING


def test_unknown_and_foreign_elements_are_warnings() -> None:
    data = status_bytes().replace(
        b"<edXML:StatusCode>",
        b'<edXML:Mystery>?</edXML:Mystery><x:Other xmlns:x="urn:x"/><edXML:StatusCode>',
    )
    result = read(data)
    assert {f.code for f in result.findings} == {"edxml.unknown_element", "edxml.foreign_element"}
    assert result.ok


def test_missing_parts_and_wrong_business_type() -> None:
    data = (HOSTILE / "attachment_not_in_manifest.edxml").read_bytes()
    data = data.replace(b"<edXML:Subject>V/v th\xe1\xbb\xad</edXML:Subject>", b"")
    result = read(data)
    assert "edxml.missing" in {f.code for f in result.errors}
    with pytest.raises(ValidationError) as caught:
        read(data, strict=True)
    assert "edxml.schema" in {f.code for f in caught.value.findings}


def envelope(**changes: Any) -> Envelope:
    base = Envelope(
        header=MessageHeader(
            sender=Organization(code=AgencyCode.parse("000.00.00.G22"), name="Văn phòng Chính phủ"),
            recipients=[Organization(code=AgencyCode.parse("000.00.00.H41"))],
            document_id="000.00.00.G22,2025/01/02,01/VPCP",
            subject="Thử",
            promulgation=Promulgation(date=dt.date(2025, 1, 2)),
        )
    )
    return attrs.evolve(base, **changes)


def test_write_targets(tmp_path: Path) -> None:
    message = envelope()
    data = write(message)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns=')
    target = tmp_path / "out.edxml"
    assert write(message, target) is None
    assert target.read_bytes() == data
    stream = io.BytesIO()
    write(message, stream)
    assert stream.getvalue() == data
    assert [p.name for p in tmp_path.iterdir()] == ["out.edxml"]


def test_fixed_element_order() -> None:
    text = write(envelope()).decode()
    order = [
        "<edXML:From>",
        "<edXML:To>",
        "<edXML:DocumentId>",
        "<edXML:Code>",
        "<edXML:PromulgationInfo>",
        "<edXML:DocumentType>",
        "<edXML:Subject>",
    ]
    positions = [text.index(tag) for tag in order]
    assert positions == sorted(positions)


def test_writer_refuses_what_it_cannot_write_exactly() -> None:
    garbage = Organization(code=None, code_text="not a code")
    message = envelope(
        header=attrs.evolve(
            envelope().header,
            recipients=[garbage],
            due_date=None,
            due_date_text="2014/02/30",
        ),
        attachments=[Attachment(content_id="cid:1", content=None)],
    )
    with pytest.raises(ValidationError) as caught:
        write(message)
    codes = {f.code for f in caught.value.findings}
    assert codes == {
        "edxml.write.agency_code",
        "edxml.write.date",
        "edxml.write.attachment_content",
        "edxml.write.extra_content",
    }


def test_writer_refuses_characters_xml_cannot_hold() -> None:
    with pytest.raises(ValidationError) as caught:
        write(envelope(header=attrs.evolve(envelope().header, subject="a\x01b")))
    assert caught.value.code == "edxml.write.character"


def test_writer_never_emits_sha1() -> None:
    sha1 = SignatureBlock(
        xml='<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"></Signature>',
        signature_method="http://www.w3.org/2000/09/xmldsig#rsa-sha1",
    )
    with pytest.raises(PolicyError) as caught:
        write(envelope(signature=sha1))
    assert caught.value.code == "edxml.policy.sha1"


def test_business_type_from_wire_and_round_trip() -> None:
    from egovkit.edxml import Business, Replacement

    message = envelope(
        business=Business(
            document_id="000.00.00.G22,2025/01/02,01/VPCP",
            business_type=BusinessType.REPLACE,
            replacements=[
                Replacement(
                    document_id="000.00.00.G22,2024/12/30,99/VPCP",
                    codes=[AgencyCode.parse("000.00.00.H41")],
                )
            ],
        ),
        attachments=[Attachment(content_id="cid:a", content=AttachmentContent.from_bytes(b"1"))],
    )
    message = attrs.evolve(message, manifest=[message.attachments[0].reference()])
    data = write(message)
    assert b"<edXML:BussinessDocType>3</edXML:BussinessDocType>" in data
    assert b"<edXML:ReplacementInfoList>" in data
    assert read(data, strict=True).message == message
    broken = read(data.replace(b"<edXML:BussinessDocType>3<", b"<edXML:BussinessDocType>7<"))
    assert broken.message.business.business_type is None  # type: ignore[union-attr]
    assert "edxml.business.type" in {f.code for f in broken.errors}


def test_payload_with_form_feed_is_a_syntax_error_not_a_crash() -> None:
    files = [Attachment(content_id="cid:1", content=AttachmentContent.from_bytes(b"abc"))]
    data = write(envelope(attachments=files, manifest=[files[0].reference()]))
    data = data.replace(b"YWJj", b"YW\x0cJj")
    with pytest.raises(ParseError):
        read(data)


def test_signature_with_relative_namespace_is_kept_with_a_warning() -> None:
    from egovkit.edxml import Envelope

    data = write(envelope()).replace(
        b"</edXML:edXMLHeader>",
        b'<Signature xmlns="http://www.w3.org/2000/09/xmldsig#" xmlns:r="relative">'
        b"<r:x/></Signature></edXML:edXMLHeader>",
    )
    result = read(data)
    assert isinstance(result.message, Envelope)
    assert result.message.signature is not None
    assert "edxml.signature.c14n" in {f.code for f in result.findings}


def test_text_streams_and_missing_files_are_parse_errors(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as caught:
        read(io.StringIO("<edXML/>"))  # type: ignore[arg-type]
    assert caught.value.code == "edxml.source"
    with pytest.raises(ParseError) as caught:
        read(tmp_path / "missing.edxml")
    assert caught.value.code == "io.read"
