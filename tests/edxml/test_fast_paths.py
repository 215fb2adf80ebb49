"""The reader's fast paths give exactly what its general paths give (values and findings).

The fast paths exist only for speed (see benchmarks/bench_edxml.py): an agency block read in one
pass and remembered by its texts, a canonical agency code read without the general parser, the
scanner's search for payloads, the element count deferred for small messages, the prefix check
without XPath, a whole payload (or a streamed piece of one) decoded in one strict pass. Each
is compared here with the plain computation it replaces.
"""

from __future__ import annotations

import base64
import io
import unicodedata
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from egovkit.agencies import AgencyCode
from egovkit.edxml import Limits, Organization, _tree, read
from egovkit.edxml import _scanner as scanner_module
from egovkit.edxml import _wire as w
from egovkit.edxml._scanner import Scanner
from egovkit.edxml.attachments import Base64Decoder, MalformedPayloadError, MemorySink
from egovkit.edxml.model import _new_organization, _text, _trusted
from egovkit.errors import EgovkitError, ParseError, UnsafeInputError
from egovkit.text import clean

SAMPLES = Path(__file__).resolve().parent / "samples"
NS = w.NS
FOREIGN = "urn:example:other"

# -- one agency block (From, To): fast path == general path -------------------------------------

_TEXTS = st.sampled_from(
    [
        "",
        "   ",
        "UBND tỉnh Hà Giang",
        unicodedata.normalize("NFD", "Sở Nội vụ  tỉnh   Lào Cai"),
        "  vanthu@gov.vn ",
        "line\nbreak\tand tab",
        "Số 1 đường Trần Phú",
        "0912 345 678",
        "a &amp; b",
    ]
)
_CODES = st.sampled_from(
    [
        "000.00.00.H10",
        "000.00.01.H53",
        " 000.00.00.G22 ",
        "000.00.00.h41",
        "28.22.H17",
        "not a code",
        "",
        "  ",
        "000.00.00.H1",
    ]
)
_NAMES = [name for name, _ in w.ORGANIZATION]


@st.composite
def agency_blocks(draw: st.DrawFn) -> bytes:
    """An agency element: usually plain, sometimes with what the general path reports."""
    children: list[str] = []
    if draw(st.integers(min_value=0, max_value=5)):
        code = draw(st.one_of(st.sampled_from(["000.00.00.H10", "000.00.01.H53"]), _CODES))
        children.append(f"<edXML:OrganId>{code}</edXML:OrganId>")
    names = draw(
        st.one_of(
            st.lists(st.sampled_from(_NAMES), unique=True),
            st.lists(st.sampled_from(_NAMES), max_size=8),
        )
    )
    for name in names:
        children.append(f"<edXML:{name}>{draw(_TEXTS)}</edXML:{name}>")
    extra = draw(
        st.sampled_from(
            [
                *[""] * 8,
                "<edXML:OrganId>000.00.00.H11</edXML:OrganId>",  # a second code
                "<edXML:Unknown>x</edXML:Unknown>",
                f'<o:Note xmlns:o="{FOREIGN}">x</o:Note>',
                "<edXML:OrganName>a<edXML:b/></edXML:OrganName>",  # nested element
                "<edXML:OrganAdd/>",
                "<OrganName>no prefix, default namespace</OrganName>",
            ]
        )
    )
    if extra:
        children.insert(draw(st.integers(min_value=0, max_value=len(children))), extra)
    body = "".join(children)
    return (
        f'<edXML:To xmlns="{NS}" xmlns:edXML="{NS}">{body}</edXML:To>'.encode()
        if body
        else f'<edXML:To xmlns:edXML="{NS}"/>'.encode()
    )


def _walker() -> _tree.Walker:
    limits = Limits()
    sink = MemorySink()
    scanner = Scanner(feed=lambda data: None, sink=sink, limits=limits)
    return _tree.Walker(scanner=scanner, sink=sink, limits=limits)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agency_blocks())
def test_agency_block_fast_path_matches_the_general_path(block: bytes) -> None:
    element = etree.fromstring(block)
    path = "/edXML/edXML:edXMLEnvelope/edXML:edXMLHeader/edXML:MessageHeader/edXML:To[2]"
    fast, general = _walker(), _walker()
    got = fast.organization(element, path)
    expected = general.any_organization(element, path)
    assert got == expected
    # Fields outside equality (the raw code text) must agree too.
    assert got.code_text == expected.code_text
    assert repr(got) == repr(expected)
    assert fast.findings == general.findings


def test_plain_agency_block_takes_the_fast_path() -> None:
    block = (
        f'<edXML:To xmlns:edXML="{NS}"><edXML:OrganId>000.00.00.H10</edXML:OrganId>'
        "<edXML:OrganName> UBND  tỉnh </edXML:OrganName></edXML:To>"
    ).encode()
    quick = _tree._plain_organization(etree.fromstring(block))
    assert quick is not None
    assert str(quick.code) == "000.00.00.H10"
    assert quick == Organization(code=quick.code, code_text="000.00.00.H10", name="UBND tỉnh")


def test_recipients_mixing_both_paths_keep_order_and_xpaths() -> None:
    data = (SAMPLES / "edoc_three_recipients.edxml").read_bytes()
    plain = read(data)
    first = data.index(b"<edXML:To>")
    second = data.index(b"<edXML:To>", first + 1) + len(b"<edXML:To>")
    result = read(data[:second] + b"<edXML:Unknown>x</edXML:Unknown>" + data[second:])
    assert result.message.header.recipients == plain.message.header.recipients  # type: ignore[union-attr]
    new = [f for f in result.findings if f not in plain.findings]
    assert [(f.code, f.where) for f in new] == [
        (
            "edxml.unknown_element",
            "/edXML/edXML:edXMLEnvelope/edXML:edXMLHeader/edXML:MessageHeader/edXML:To[2]"
            "/edXML:Unknown",
        )
    ]


@pytest.mark.parametrize(
    "child",
    [
        "<edXML:OrganId>000.00.00.H11</edXML:OrganId>",
        "<edXML:Unknown/>",
        f'<o:Note xmlns:o="{FOREIGN}"/>',
        "<edXML:Fax><edXML:b/></edXML:Fax>",
    ],
)
def test_unusual_agency_block_leaves_the_fast_path(child: str) -> None:
    block = (
        f'<edXML:To xmlns:edXML="{NS}"><edXML:OrganId>000.00.00.H10</edXML:OrganId>{child}'
        "</edXML:To>"
    ).encode()
    assert _tree._plain_organization(etree.fromstring(block)) is None


def test_trusted_constructor_equals_the_public_one() -> None:
    values: dict[str, Any] = {
        "code": None,
        "code_text": "28.22.H17",
        "in_charge": "a",
        "name": "Sở Nội vụ",
        "address": "",
        "email": "x@y.vn",
        "telephone": "",
        "fax": "",
        "website": "",
    }
    made = _new_organization(**values)
    public = Organization(**values)
    assert made == public
    assert repr(made) == repr(public)
    assert made.code_text == public.code_text
    with pytest.raises(TypeError):  # every field must be given: a new field cannot be missed
        _new_organization(code=None)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aăâeêoôơuưdđ \t\n\u0301\u0303\u0323\u00a0\u2003AZ09")))
def test_inlined_text_cleaning_is_egovkit_text_clean(value: str) -> None:
    assert _text(value) == clean(value)


def test_trusted_constructor_refuses_a_checked_class() -> None:
    @attrs.frozen(kw_only=True)
    class Checked:
        value: int = attrs.field(validator=attrs.validators.gt(0))

    with pytest.raises(TypeError):
        _trusted(Checked)


# -- the scanner's search for payload start tags -----------------------------------------------

_PIECES = st.sampled_from(
    [
        b"<",
        b">",
        b"/",
        b"<a>",
        b"</a>",
        b"ContentTransferEncoded",
        b"<ContentTransferEncoded>",
        b"<edXML:ContentTransferEncoded>",
        b"<edXML:ContentTransferEncoded/>",
        b"</edXML:ContentTransferEncoded>",
        b'<x:ContentTransferEncoded a="1">',
        b"<x:ContentTransferEncoded\n>",
        b"<aContentTransferEncodedb:",
        b"ContentTransferEncodedX",
        b"edXML:",
        b" ",
        b"QUJD",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12), st.integers(min_value=0, max_value=40))
def test_search_start_is_the_regular_expression_search(pieces: list[bytes], at: int) -> None:
    buffer = b"".join(pieces)
    position = min(at, len(buffer))
    got = scanner_module._search_start(buffer, position)
    expected = scanner_module._START.search(buffer, position)
    assert (got and (got.span(), got.groups())) == (
        expected and (expected.span(), expected.groups())
    )


# -- the element limit, counted only once the markup is large enough ---------------------------


def _tags(data: bytes) -> int:
    return data.count(b"<") - data.count(b"</")


def test_element_limit_holds_exactly_at_its_boundary() -> None:
    data = (SAMPLES / "edoc_three_recipients.edxml").read_bytes()
    tags = _tags(data)  # payloads hold no "<", so this is what the reader counts
    assert len(data) > tags  # more bytes than the limit: the count is really taken
    read(data, limits=Limits(max_elements=tags))
    with pytest.raises(UnsafeInputError) as caught:
        read(data, limits=Limits(max_elements=tags - 1))
    assert caught.value.code == "edxml.limits.elements"


def test_small_markup_under_the_limit_is_not_refused() -> None:
    data = (SAMPLES / "edoc_three_recipients.edxml").read_bytes()
    # Fewer bytes than the limit: no count can pass it, and none is needed.
    assert read(data, limits=Limits(max_elements=len(data))).message is not None


@pytest.mark.parametrize("chunk", [64, 1 << 20])
def test_element_limit_on_dense_markup(chunk: int) -> None:
    # Four bytes an element: the count is needed soon after the limit's worth of bytes.
    data = f'<edXML xmlns="{NS}">'.encode() + b"<a/>" * 3000 + b"</edXML>"
    tags = _tags(data)
    with pytest.raises(ParseError) as passed:  # past the limit, then no envelope
        read(data, limits=Limits(max_elements=tags, chunk_bytes=chunk))
    assert passed.value.code == "edxml.missing_envelope"
    with pytest.raises(UnsafeInputError) as caught:
        read(data, limits=Limits(max_elements=tags - 1, chunk_bytes=chunk))
    assert caught.value.code == "edxml.limits.elements"


@pytest.mark.parametrize("chunk", [64, 1000, 1 << 20])
def test_element_limit_on_streamed_markup(chunk: int) -> None:
    recipients = "".join(
        f"<edXML:To><edXML:OrganId>000.00.00.H{i % 90 + 10}</edXML:OrganId></edXML:To>"
        for i in range(300)
    )
    data = (
        f'<?xml version="1.0" encoding="UTF-8"?><edXML xmlns="{NS}"><edXML:edXMLEnvelope '
        f'xmlns:edXML="{NS}"><edXML:edXMLHeader><edXML:MessageHeader>{recipients}'
        "</edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope></edXML>"
    ).encode()
    tags = _tags(data)
    result = read(data, limits=Limits(max_elements=tags, chunk_bytes=chunk))
    assert len(result.message.header.recipients) == 300  # type: ignore[union-attr]
    with pytest.raises(UnsafeInputError) as caught:
        read(data, limits=Limits(max_elements=tags - 50, chunk_bytes=chunk))
    assert caught.value.code == "edxml.limits.elements"


# -- the prefix check, without XPath ------------------------------------------------------------

_REFERENCE_XPATH = etree.XPath(
    "(descendant-or-self::*[namespace-uri() = $ns and not(starts-with(name(), $prefix))"
    " and not(ancestor-or-self::*[local-name() = 'Signature'])])[1]"
)


@pytest.mark.parametrize(
    "inner",
    [
        "<edXML:Subject>x</edXML:Subject>",
        "<Subject>default namespace</Subject>",
        f'<n:Subject xmlns:n="{NS}">other prefix</n:Subject>',
        "<edXML:Signature><Subject>inside a signature</Subject></edXML:Signature>",
        f'<s:Signature xmlns:s="{w.DSIG_NS}"><Subject>in DSig</Subject></s:Signature><Later/>',
        f'<o:X xmlns:o="{FOREIGN}"><edXML:Subject/><Y/></o:X>',
    ],
)
def test_unprefixed_finds_what_the_xpath_found(inner: str) -> None:
    document = (
        f'<edXML xmlns="{NS}"><edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader>'
        f"{inner}</edXML:edXMLHeader></edXML:edXMLEnvelope></edXML>"
    ).encode()
    envelope = etree.fromstring(document)[0]
    expected: Any = _REFERENCE_XPATH(envelope, ns=NS, prefix=w.PREFIX + ":")
    got = _tree._unprefixed(envelope)
    assert got is (expected[0] if expected else None)


def test_unprefixed_on_the_samples() -> None:
    for path in sorted(SAMPLES.glob("*.edxml")):
        root = etree.fromstring(path.read_bytes())
        for envelope in root.iter(f"{{{NS}}}edXMLEnvelope"):
            expected: Any = _REFERENCE_XPATH(envelope, ns=NS, prefix=w.PREFIX + ":")
            assert _tree._unprefixed(envelope) is (expected[0] if expected else None)


# -- a whole payload decoded in one strict pass ---------------------------------------------------

_BASE64_PIECES = st.sampled_from(
    [b"QUJD", b"QUI=", b"QQ==", b"=", b"A", b"AB", b"+/9z", b"===", b"*"]
)


def _decoded_by_feed(chars: bytes) -> tuple[bytes, str] | None:
    out = io.BytesIO()
    decoder = Base64Decoder(out, max_bytes=1 << 20)
    try:
        decoder.feed(chars)
        digest = decoder.finish()
    except MalformedPayloadError:
        return None
    return out.getvalue(), digest


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.lists(_BASE64_PIECES, max_size=8).map(b"".join),
        st.binary(max_size=64).map(base64.b64encode),
    )
)
def test_whole_payload_decodes_as_the_checked_path(chars: bytes) -> None:
    out = io.BytesIO()
    decoder = Base64Decoder(out, max_bytes=1 << 20)
    if decoder.feed_whole(chars):
        # Whatever the strict pass accepts, the checked path accepts with the same result.
        assert _decoded_by_feed(chars) == (out.getvalue(), decoder.finish())
    else:
        assert decoder.size == 0
        assert out.getvalue() == b""


def test_whole_payload_keeps_the_size_limit() -> None:
    decoder = Base64Decoder(io.BytesIO(), max_bytes=2)
    with pytest.raises(UnsafeInputError):
        decoder.feed_whole(base64.b64encode(b"abc"))


@pytest.mark.parametrize(
    "text",
    [
        "QUJD",
        "\n   QUJDREVG\n   ",
        "QUJD\nREVG",  # a line break: the checked path
        "QUJD REVG==",
        "QUI=QUJD",  # data after padding: dropped with a finding
        "QU*D",
    ],
)
def test_payload_layouts_read_alike(text: str) -> None:
    _check_payload_read(text.encode(), Limits())


def _check_payload_read(text: bytes, limits: Limits) -> None:
    """The sample envelope with ``text`` as its payload reads as the checked path decodes it."""
    data = (SAMPLES / "edoc_new.edxml").read_bytes()
    start = data.index(b"ContentTransferEncoded")
    start = data.index(b">", start) + 1
    end = data.index(b"<", start)
    result = read(data[:start] + text + data[end:], limits=limits)
    compact = text.translate(None, b" \t\r\n")
    attachment = result.message.attachments[0]  # type: ignore[union-attr]
    expected = _decoded_by_feed(compact) if b"*" not in compact else None
    if expected is None:
        assert attachment.content is None
        assert any(f.code == "edxml.attachment.base64" for f in result.findings)
    else:
        assert attachment.content is not None
        assert attachment.content.read_bytes() == expected[0]
        assert attachment.content.sha256 == expected[1]


# -- canonical agency codes read without AgencyCode.parse -----------------------------------------

_CODE_CHARS = st.sampled_from([*"0123456789.HGhg Z", "\u0660", "\u0663", "\u2168"])


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.from_regex(r"\A[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}\Z"),
        st.lists(_CODE_CHARS, max_size=15).map("".join),
        _CODES,
    )
)
def test_agency_code_fast_path_is_the_lenient_parse(text: str) -> None:
    try:
        expected = AgencyCode.parse(text, strict=False)
    except EgovkitError as exc:
        refused = exc.code
    else:
        refused = ""
    if refused:
        with pytest.raises(EgovkitError) as caught:
            _tree._parse_agency_code.__wrapped__(text)
        assert caught.value.code == refused
        return
    got = _tree._parse_agency_code.__wrapped__(text)
    assert got == expected
    assert repr(got) == repr(expected)
    assert hash(got) == hash(expected)
    assert got.findings == expected.findings
    assert str(got) == str(expected)


def test_the_trusted_agency_code_sets_every_field() -> None:
    # A new field in AgencyCode must be set by _new_agency_code too.
    made = _tree._new_agency_code("000.00.01.H53")
    assert [f.name for f in attrs.fields(AgencyCode)] == [
        "level1",
        "level2",
        "level3",
        "level4",
        "findings",
    ]
    assert attrs.asdict(made) == attrs.asdict(AgencyCode.parse("000.00.01.H53"))


# -- plain agency blocks remembered by their texts ------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(agency_blocks(), min_size=1, max_size=6))
def test_remembered_blocks_read_as_fresh_ones(blocks: list[bytes]) -> None:
    """Reading blocks twice (the second time from the memo) gives what the general path gives."""
    for _ in range(2):
        for block in blocks:
            element = etree.fromstring(block)
            fast, general = _walker(), _walker()
            got = fast.organization(element, "/x")
            expected = general.any_organization(element, "/x")
            assert got == expected
            assert repr(got) == repr(expected)
            assert got.code_text == expected.code_text
            assert fast.findings == general.findings


def test_the_block_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_tree, "_PLAIN_BLOCKS", {})
    for i in range(_tree._PLAIN_BLOCKS_SIZE + 10):
        block = (
            f'<edXML:To xmlns:edXML="{NS}"><edXML:OrganId>000.00.00.H10</edXML:OrganId>'
            f"<edXML:OrganName>Sở số {i}</edXML:OrganName></edXML:To>"
        ).encode()
        made = _tree._plain_organization(etree.fromstring(block))
        assert made is not None
        assert made.name == f"Sở số {i}"
    assert len(_tree._PLAIN_BLOCKS) <= _tree._PLAIN_BLOCKS_SIZE


# -- streamed pieces of plain base64 checked and decoded in one strict pass ------------------------

_PLAIN_PIECES = st.sampled_from([b"QUJD", b"QUI", b"Q", b"QQ", b"=", b"==", b"+/9z", b"A", b"QQ=="])


def _state(decoder: Base64Decoder, out: io.BytesIO) -> tuple[object, ...]:
    return decoder.size, decoder._pending, decoder._ended, out.getvalue()


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_PLAIN_PIECES, max_size=6).map(b"".join), max_size=6))
def test_plain_pieces_decode_as_the_checked_path(pieces: list[bytes]) -> None:
    fast_out, plain_out = io.BytesIO(), io.BytesIO()
    fast = Base64Decoder(fast_out, max_bytes=1 << 20)
    plain = Base64Decoder(plain_out, max_bytes=1 << 20)
    outcomes: list[tuple[bytes, str] | None] = []
    for decoder, out, use_fast in ((fast, fast_out, True), (plain, plain_out, False)):
        try:
            for piece in pieces:
                before = _state(decoder, out)
                if use_fast and decoder.feed_plain(piece):
                    continue
                assert _state(decoder, out) == before  # False consumed nothing
                decoder.feed(piece)
            outcomes.append((out.getvalue(), decoder.finish()))
        except MalformedPayloadError:
            outcomes.append(None)
    assert outcomes[0] == outcomes[1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from([b"QUJD", b"QUI=", b"QQ==", b"\n", b" ", b"*", b"A", b"+/9z"])).map(
        b"".join
    ),
    st.sampled_from([64, 97, 1000, 1 << 20]),
)
def test_streamed_payloads_read_alike_in_any_chunking(text: bytes, chunk: int) -> None:
    _check_payload_read(text * 40, Limits(chunk_bytes=chunk))
