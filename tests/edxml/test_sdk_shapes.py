"""What the VPCP SDKs really write, read in strict mode; the writer's ``xlink:href`` option.

Sources (outside the project):

- .NET SDK shape: the TypeScript client of the national axis at index id 58552972764 (a
  builder that mirrors the VPCP .NET SDK example ``20190108_net_sdk_example/CodeXamplesEdXML/
  Program.cs``, written after the national validator refused its earlier output): attributes
  ``id``, ``version``, ``mustUnderstand``, ``actor`` on ``TraceHeaderList``; an empty
  ``<edXML:DigitalSignature />`` after it; ``xmlns:xlink`` with ``xlink:href="cid:…"``,
  ``xlink:role`` and ``xlink:type="simple"`` on each manifest ``Reference``; ``xmlns:xsi`` and
  ``xmlns:xsd`` on the root; the attachment's ``ContentId`` without the ``cid:`` of the
  manifest. ``samples/vpcp_net_sdk.edxml`` is written by egovkit's authors in that shape.
- Java SDK shape: the samples of github.com/all4u1089/truclienthong-example (a client of the
  VPCP Java SDK), copied unchanged in ``samples/``: ``<Signature>`` in the edXML default
  namespace.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from lxml import etree

from egovkit.agencies import AgencyCode
from egovkit.edxml import Attachment, AttachmentContent, Envelope, TraceHeader, read, write
from egovkit.edxml.schema import schema
from egovkit.edxml.writer import XLINK_NS
from egovkit.signatures import Indication, SubIndication, sign_envelope, verify
from egovkit.testing.pki import FixturePKI

from .test_reader_writer import envelope
from .test_roundtrip import envelopes

SAMPLES = Path(__file__).resolve().parent / "samples"
NET = SAMPLES / "vpcp_net_sdk.edxml"


@pytest.fixture(scope="module")
def pki() -> FixturePKI:
    return FixturePKI.create()


def test_net_sdk_message_reads_in_strict_mode() -> None:
    result = read(NET, strict=True)
    message = result.message
    assert isinstance(message, Envelope)
    assert message.header.document_id == "000.00.00.H37,2025/03/04,125/UBND-VP"
    assert [str(t.code) for t in message.traces] == ["000.00.00.H37"]
    assert message.business is not None
    (reference,) = message.manifest
    (attachment,) = message.attachments
    assert reference.content_id == "cid:5b0e3c2a-7d41-4c55-9a0e-1f2d3c4b5a69"
    assert attachment.name == "congvan.pdf"
    assert attachment.content is not None
    assert attachment.content.read_bytes().startswith(b"%PDF-1.4")
    assert result.ok


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            b"<edXML:TraceHeaderList>",
            b'<edXML:TraceHeaderList id="a1b2c3d4" version="1.0" mustUnderstand="1" '
            b'actor="http://schemas.xmlsoap.org/soap/actor/next">',
        ),
        (b"</edXML:edXMLHeader>", b"<edXML:DigitalSignature />\n    </edXML:edXMLHeader>"),
        (
            b"<edXML:Reference>",
            b'<edXML:Reference xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="cid:1" '
            b'xlink:role="XLinkRole" xlink:type="simple">',
        ),
    ],
    ids=["trace-attributes", "empty-digital-signature", "xlink-reference"],
)
def test_each_net_sdk_quirk_alone_is_accepted_strictly(before: bytes, after: bytes) -> None:
    files = [
        Attachment(
            content_id="cid:1",
            name="a.pdf",
            content_type="application/pdf",
            content=AttachmentContent.from_bytes(b"%PDF-1.4"),
        )
    ]
    trace = TraceHeader(code=AgencyCode.parse("000.00.00.G22"), timestamp=None)
    base = write(
        envelope(traces=[trace], manifest=[f.reference() for f in files], attachments=files)
    )
    assert base.count(before) == 1
    shaped = base.replace(before, after)
    assert read(shaped, strict=True).message == read(base, strict=True).message


def test_other_attributes_on_trace_header_list_are_still_refused() -> None:
    data = NET.read_bytes().replace(b'id="3f9a0c1e"', b'mystery="x"')
    with pytest.raises(Exception, match="schema"):
        read(data, strict=True)


def test_a_digital_signature_placeholder_must_be_empty() -> None:
    data = NET.read_bytes().replace(
        b"<edXML:DigitalSignature />", b"<edXML:DigitalSignature>x</edXML:DigitalSignature>"
    )
    with pytest.raises(Exception, match="schema"):
        read(data, strict=True)


def net_like() -> Envelope:
    """The .NET sample's content with one ContentId spelling (the writer writes the manifest's
    and the attachment's ContentId as they are, and refuses them when they differ)."""
    message = read(NET).message
    assert isinstance(message, Envelope)
    (attachment,) = message.attachments
    return attrs.evolve(
        message,
        attachments=[attrs.evolve(attachment, content_id="cid:5b0e")],
        manifest=[attrs.evolve(message.manifest[0], content_id="cid:5b0e")],
    )


def test_writer_emits_xlink_href_on_request() -> None:
    message = net_like()
    plain, linked = write(message), write(message, xlink_href=True)
    assert b"xlink" not in plain
    root = etree.fromstring(linked)
    (reference,) = root.iter("{http://www.mic.gov.vn/TBT/QCVN_102_2016}Reference")
    assert reference.get(f"{{{XLINK_NS}}}href") == message.manifest[0].content_id
    assert reference.get(f"{{{XLINK_NS}}}type") == "simple"
    assert read(linked, strict=True).message == message


@settings(max_examples=30, deadline=None)
@given(envelopes())
def test_xlink_href_round_trip(message: Envelope) -> None:
    data = write(message, xlink_href=True)
    assert read(data).message == message
    assert schema().validate(etree.fromstring(data))
    hrefs = [
        r.get(f"{{{XLINK_NS}}}href")
        for r in etree.fromstring(data).iter("{http://www.mic.gov.vn/TBT/QCVN_102_2016}Reference")
    ]
    assert hrefs == [
        r.content_id if r.content_id.startswith("cid:") else f"cid:{r.content_id}"
        for r in message.manifest
    ]


@pytest.mark.parametrize("name", ["edoc_new.edxml", "edoc_three_recipients.edxml"])
def test_java_sdk_signature_namespace_is_named_in_the_report(pki: FixturePKI, name: str) -> None:
    report = verify((SAMPLES / name).read_bytes(), trust=pki.trust_store())
    assert report.indication is Indication.TOTAL_FAILED
    assert report.sub_indication is SubIndication.FORMAT_FAILURE
    (finding,) = [
        f for f in report.signatures[0].findings if f.code == "signatures.format.namespace"
    ]
    assert "VPCP Java SDK" in finding.message
    assert 'xmlns="http://www.w3.org/2000/09/xmldsig#"' in finding.message
    assert "sign the message again" in finding.message


def test_net_sdk_placeholder_is_named_as_unsigned(pki: FixturePKI) -> None:
    report = verify(NET.read_bytes(), trust=pki.trust_store())
    assert report.sub_indication is SubIndication.FORMAT_FAILURE
    (finding,) = report.findings
    assert finding.code == "signatures.no_signature"
    assert ".NET SDK" in finding.message
    assert "unsigned" in finding.message


def test_plain_unsigned_envelope_keeps_the_plain_message(pki: FixturePKI) -> None:
    report = verify(write(envelope()), trust=pki.trust_store())
    (finding,) = report.findings
    assert finding.code == "signatures.no_signature"
    assert "SDK" not in finding.message


def test_net_sdk_message_signed_properly_passes(pki: FixturePKI) -> None:
    signed = sign_envelope(NET.read_bytes(), pki.agency.signer())
    report = verify(signed, trust=pki.trust_store(), revocation=pki.revocation())
    assert report.indication is Indication.TOTAL_PASSED, report.to_text()
    assert read(signed, strict=True).ok
