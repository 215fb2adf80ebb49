"""Every real sample is read leniently, with the findings its quirks deserve."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from egovkit.agencies import AgencyCode
from egovkit.edxml import (
    VIETNAM_TIME,
    AttachmentContent,
    BusinessType,
    Envelope,
    StatusCode,
    StatusMessage,
    read,
    write,
)
from egovkit.errors import PolicyError, ValidationError
from egovkit.findings import Severity


def codes(result: object) -> set[str]:
    return {f.code for f in result.findings}  # type: ignore[attr-defined]


def test_new_document_sample(samples: Path) -> None:
    result = read(samples / "edoc_new.edxml")
    message = result.message
    assert isinstance(message, Envelope)
    header = message.header
    assert header.sender.code == AgencyCode.parse("000.00.00.A80")
    assert header.sender.name.startswith("UBND xã Hòa Tiến")
    # The legacy three-group code is repaired, flagged and its text kept.
    (recipient,) = header.recipients
    assert recipient.code == AgencyCode.parse("000.28.22.H17")
    assert recipient.code_text == "28.22.H17"
    legacy = [f for f in result.findings if f.code == "agency_code.legacy_shape"]
    assert legacy[0].where.endswith("edXML:MessageHeader/edXML:To/edXML:OrganId")
    assert header.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert (header.code.number, header.code.notation) == ("74fass22", "VPCP-TTĐT")
    assert header.promulgation.date == dt.date(2019, 1, 16)
    assert header.document_type.name == "Công văn"
    assert header.signer is not None
    assert header.signer.competence == "TL. BO TRUONG"
    assert header.due_date == dt.date(2018, 9, 28)
    assert header.to_places == ("Cac bo va co quan ngang bo", "Uy ban nhan dan cac tinh, TP")
    assert header.other_info is not None
    assert header.other_info.page_amount == 22
    assert header.other_info.direction is False
    assert len(header.other_info.appendixes) == 1
    assert header.steering_type == "1"
    (trace,) = message.traces
    assert trace.timestamp == dt.datetime(2018, 9, 28, tzinfo=VIETNAM_TIME)
    assert message.business is not None
    assert message.business.business_type is BusinessType.NEW
    assert message.business.staff is not None
    assert message.business.staff.staff == "Nguyễn Thị Ngọc Trâm"
    assert message.signature is not None
    assert message.signature.uses_sha1
    assert [r.content_id for r in message.manifest] == ["cid:209"]
    (attachment,) = message.attachments
    assert attachment.content_type == "application/zip"
    assert attachment.content is None  # the sample's payload was elided
    assert {
        "agency_code.legacy_shape",
        "edxml.code_number",
        "edxml.document_id.date",
        "edxml.signature.sha1",
        "edxml.signature.namespace",
        "edxml.attachment.base64",
    } <= codes(result)
    assert not result.ok


def test_three_recipients_sample(samples: Path) -> None:
    result = read(samples / "edoc_three_recipients.edxml")
    message = result.message
    assert isinstance(message, Envelope)
    assert [str(r.code) for r in message.header.recipients] == [
        "000.00.00.H41",
        "000.00.00.H14",
        "000.00.00.G17",
    ]
    # Bussiness before TraceHeader is a vendor's order, accepted without a finding.
    assert message.business is not None
    assert len(message.traces) == 1
    assert "edxml.unknown_element" not in codes(result)
    # The unprefixed Signature (in the edXML namespace, as in these samples) is not a prefix fault.
    assert "edxml.prefix" not in codes(result)
    errors = {f.code for f in result.errors}
    assert errors == {"edxml.document_id.date", "edxml.attachment.base64"}


def test_status_sample(samples: Path) -> None:
    result = read(samples / "status_acceptance_03.edxml")
    message = result.message
    assert isinstance(message, StatusMessage)
    assert message.kind == "status"
    assert message.status_code is StatusCode.REGISTERED
    assert "incoming register" in StatusCode.REGISTERED.meaning
    assert message.sender.code == AgencyCode.parse("000.00.00.H41")
    assert message.response_for.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert message.response_for.document_code == "7816/VPCP-TTĐT"
    assert message.timestamp == dt.datetime(2015, 9, 20, 11, 8, 36, tzinfo=VIETNAM_TIME)
    assert message.staff is not None
    assert message.staff.department == "Phong hanh chinh"
    assert result.findings == ()
    assert read(samples / "status_acceptance_03.edxml", strict=True).ok


@pytest.mark.parametrize("name", ["edoc_new.edxml", "edoc_three_recipients.edxml"])
def test_strict_read_of_messy_samples_lists_every_error(samples: Path, name: str) -> None:
    lenient = read(samples / name)
    with pytest.raises(ValidationError) as caught:
        read(samples / name, strict=True)
    assert {f.code for f in caught.value.findings} == {f.code for f in lenient.errors}
    assert all(f.severity is Severity.ERROR for f in caught.value.findings)


@pytest.mark.parametrize("name", ["edoc_new.edxml", "edoc_three_recipients.edxml"])
def test_samples_rewrite_cleanly_once_repaired(samples: Path, name: str) -> None:
    message = read(samples / name).message
    assert isinstance(message, Envelope)
    # A SHA-1 signature is never emitted.
    with pytest.raises(PolicyError):
        write(message)
    fixed = attrs.evolve(
        message,
        signature=None,
        attachments=[
            attrs.evolve(a, content=AttachmentContent.from_bytes(b"PK"))
            for a in message.attachments
        ],
    )
    again = read(write(fixed))
    assert again.message == fixed
    # The legacy code is written in the 13-character shape.
    written = write(fixed)
    if name == "edoc_new.edxml":
        assert b">28.22.H17<" not in written
        assert b">000.28.22.H17<" in written


def test_samples_accept_any_source_kind(samples: Path) -> None:
    path = samples / "status_acceptance_03.edxml"
    data = path.read_bytes()
    with path.open("rb") as stream:
        from_stream = read(stream).message
    assert read(data).message == read(str(path)).message == from_stream
