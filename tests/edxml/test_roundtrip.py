"""Property: ``read(write(m)) == m`` for every writable message, and what is written is exact."""

from __future__ import annotations

import datetime as dt
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from egovkit.agencies import AgencyCode
from egovkit.edxml import (
    VIETNAM_TIME,
    Attachment,
    AttachmentContent,
    Business,
    BusinessType,
    DocumentCode,
    DocumentTypeInfo,
    Envelope,
    Limits,
    MessageHeader,
    Organization,
    OtherInfo,
    Promulgation,
    Receiver,
    Replacement,
    ResponseFor,
    SignatureBlock,
    SignerInfo,
    StaffInfo,
    StatusMessage,
    TraceHeader,
    UpdateInfo,
    read,
    write,
)
from egovkit.edxml.schema import schema

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

letters = st.characters(
    categories=("L", "M", "N", "P", "S", "Zs"), exclude_characters="\ufffe\uffff"
)
short = st.text(letters, max_size=12)
long_text = st.text(st.one_of(letters, st.sampled_from("\r\n\t ")), max_size=40)
codes = st.builds(
    AgencyCode,
    level1=st.from_regex(r"[A-Z][0-9]{2}", fullmatch=True),
    level2=st.from_regex(r"[0-9]{2}", fullmatch=True),
    level3=st.from_regex(r"[0-9]{2}", fullmatch=True),
    level4=st.from_regex(r"[0-9]{3}", fullmatch=True),
)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
stamps = st.datetimes(min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(2100, 12, 30)).map(
    lambda d: d.replace(tzinfo=VIETNAM_TIME)
)
numbers = st.integers(min_value=0, max_value=999_999)

organizations = st.builds(
    Organization,
    code=codes,
    in_charge=short,
    name=short,
    address=short,
    email=short,
    telephone=short,
    fax=short,
    website=short,
)
staff = st.builds(StaffInfo, department=short, staff=short, email=short, mobile=short)
response_for = st.builds(
    ResponseFor,
    code=codes,
    document_code=short,
    promulgation_date=st.none() | dates,
    document_id=short,
)
headers = st.builds(
    MessageHeader,
    sender=organizations,
    recipients=st.lists(organizations, min_size=1, max_size=3),
    document_id=short.filter(lambda s: s.strip() != ""),
    code=st.builds(DocumentCode, number=short, notation=short),
    promulgation=st.builds(Promulgation, place=short, date=dates),
    document_type=st.builds(DocumentTypeInfo, type_code=short, detail=short, name=short),
    subject=short.filter(lambda s: s.strip() != ""),
    content=long_text,
    signer=st.none() | st.builds(SignerInfo, competence=short, position=short, full_name=short),
    due_date=st.none() | dates,
    to_places=st.lists(short, max_size=3),
    other_info=st.none()
    | st.builds(
        OtherInfo,
        priority=st.none() | numbers,
        sphere_of_promulgation=short,
        typer_notation=short,
        promulgation_amount=st.none() | numbers,
        page_amount=st.none() | numbers,
        direction=st.none() | st.booleans(),
        appendixes=st.lists(short, max_size=3),
    ),
    steering_type=short,
    response_for=st.none() | response_for,
)
business = st.builds(
    Business,
    document_id=short,
    business_type=st.sampled_from(BusinessType),
    reason=short,
    paper=short,
    staff=st.none() | staff,
    update=st.none()
    | st.builds(
        UpdateInfo,
        document_info=short,
        document_receiver=short,
        receivers=st.lists(st.builds(Receiver, code=codes, receiver_type=short), max_size=2),
    ),
    replacements=st.lists(
        st.builds(
            Replacement,
            document_id=short.filter(lambda s: s.strip() != ""),
            codes=st.lists(codes, max_size=2),
        ),
        max_size=2,
    ),
)
SIGNATURE = SignatureBlock(
    xml=(
        '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>'
        '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256">'
        '</SignatureMethod><Reference URI="">'
        '<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"></DigestMethod>'
        "<DigestValue>AAAA</DigestValue></Reference></SignedInfo>"
        "<SignatureValue>AAAA</SignatureValue></Signature>"
    ),
    signature_method="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    digest_methods=("http://www.w3.org/2001/04/xmlenc#sha256",),
)


@st.composite
def attachment_lists(draw: st.DrawFn) -> list[Attachment]:
    ids = draw(
        st.lists(st.from_regex(r"cid:[a-z0-9]{1,6}", fullmatch=True), unique=True, max_size=3)
    )
    return [
        Attachment(
            content_id=content_id,
            name=draw(short),
            description=draw(short),
            content_type=draw(st.sampled_from(["application/zip", "application/pdf"])),
            content=AttachmentContent.from_bytes(draw(st.binary(max_size=300))),
        )
        for content_id in ids
    ]


@st.composite
def envelopes(draw: st.DrawFn) -> Envelope:
    files = draw(attachment_lists())
    return Envelope(
        header=draw(headers),
        traces=draw(
            st.lists(st.builds(TraceHeader, code=codes, timestamp=st.none() | stamps), max_size=2)
        ),
        business=draw(st.none() | business),
        signature=draw(st.sampled_from([None, SIGNATURE])),
        manifest=[a.reference() for a in files],
        attachments=files,
    )


statuses = st.builds(
    StatusMessage,
    sender=organizations,
    response_for=response_for,
    status=st.sampled_from(["01", "02", "03", "04", "05", "06", "13", "15", "16", "07", "99"]),
    staff=st.none() | staff,
    description=short,
    timestamp=stamps,
)


@SETTINGS
@given(envelopes())
def test_envelope_round_trip(envelope: Envelope) -> None:
    data = write(envelope)
    assert read(data).message == envelope


@SETTINGS
@given(statuses)
def test_status_round_trip(status: StatusMessage) -> None:
    assert read(write(status)).message == status


@settings(max_examples=25, deadline=None)
@given(envelopes(), st.integers(min_value=5, max_value=64))
def test_round_trip_with_tiny_read_chunks(envelope: Envelope, chunk: int) -> None:
    """Chunk boundaries may fall anywhere: inside tags, markers and base64 quanta."""
    limits = Limits(chunk_bytes=chunk)
    assert read(io.BytesIO(write(envelope)), limits=limits).message == envelope


@settings(max_examples=30, deadline=None)
@given(st.one_of(envelopes(), statuses))
def test_written_messages_are_schema_valid_and_prefixed(message: Envelope | StatusMessage) -> None:
    root = etree.fromstring(write(message))
    assert schema().validate(root), schema().error_log
    envelope = root.find(f"{{{NS}}}edXMLEnvelope")
    assert envelope is not None
    for element in envelope.iter():
        in_signature = any("xmldsig" in (a.tag or "") for a in element.iterancestors()) or (
            "xmldsig" in element.tag
        )
        if not in_signature:
            assert element.prefix == "edXML", element.tag
    encoded = root.find(f"{{{NS}}}AttachmentEncoded")
    if encoded is not None:
        assert not encoded.prefix
        for attachment in encoded:
            assert not attachment.prefix


@settings(max_examples=30, deadline=None)
@given(envelopes())
def test_written_messages_read_without_findings(envelope: Envelope) -> None:
    result = read(write(envelope))
    bad = [f for f in result.findings if f.code.startswith(("edxml.unknown", "edxml.prefix"))]
    assert bad == []
