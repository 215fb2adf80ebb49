"""The axis' JSON response envelope: read(write(x)) == x, and hostile answers are refused."""

from __future__ import annotations

import contextlib

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.errors import ParseError, UnsafeInputError
from egovkit_vdxp.wire import (
    AxisAgency,
    AxisItem,
    AxisResponse,
    SentItem,
    read_response,
    write_response,
)

text = st.text(max_size=40)
items = st.builds(
    AxisItem,
    doc_id=st.text(min_size=1, max_size=20),
    service_type=text,
    message_type=st.sampled_from(["edoc", "status"]),
    sender=text,
    to=st.lists(text, max_size=3),
    status=text,
    status_desc=text,
    created_time=text,
    updated_time=text,
)
flat = st.dictionaries(
    st.text(max_size=10),
    st.one_of(st.none(), text, st.integers(-(2**40), 2**40), st.lists(text, max_size=3)),
    max_size=5,
)
sent_items = st.builds(
    SentItem,
    **dict.fromkeys(attrs.fields_dict(SentItem), text),  # every field is text
)
agencies = st.builds(
    AxisAgency,
    code=st.text(min_size=1, max_size=20),
    name=text,
    parent=text,
    id=text,
    mail=text,
    old_code=text,
    code102=text,
)
responses = st.builds(
    AxisResponse,
    ok=st.booleans(),
    error_code=st.text(min_size=1, max_size=8),
    error_desc=text,
    doc_id=text,
    count=st.one_of(st.none(), st.integers(0, 2**62)),
    data=st.one_of(st.none(), text, st.lists(flat, max_size=4).map(tuple)),
)


@settings(deadline=None)
@given(responses)
def test_response_round_trip(response: AxisResponse) -> None:
    assert read_response(write_response(response)) == response


@settings(deadline=None)
@given(items)
def test_item_round_trip(item: AxisItem) -> None:
    answer = read_response(write_response(AxisResponse(ok=True, data=(item.to_wire(),))))
    assert answer.items() == (item,)


@settings(deadline=None)
@given(sent_items)
def test_sent_item_round_trip(item: SentItem) -> None:
    answer = read_response(write_response(AxisResponse(ok=True, data=(item.to_wire(),))))
    assert answer.sent_items() == (item,)


@settings(deadline=None)
@given(agencies)
def test_agency_round_trip(agency: AxisAgency) -> None:
    answer = read_response(write_response(AxisResponse(ok=True, data=(agency.to_wire(),))))
    assert answer.agencies() == (agency,)


def test_the_sdks_sent_list_shape_is_read() -> None:
    """Keys as ``KnobstickServiceImp.getSentEdocList`` reads them (github.com/williamdunbar/SDK)."""
    raw = (
        '{"status":"OK","ErrorCode":"0","ErrorDesc":"Success","data":[{"serviceType":"eDoc",'
        '"receiverDocId":"r-1","toCode":"000.00.02.H99","receiveStatus":"done",'
        '"receiveStatusDesc":"Đã nhận","title":"V/v liên thông","messageType":"edoc",'
        '"notation":"15/UBND-VP","receivedTime":"2026-03-02 10:00:00",'
        '"sentTime":"2026-03-02 09:15:30","sendStatus":"done","sendStatusDesc":"Đã gửi",'
        '"senderDocId":"s-1","fromCode":"000.00.00.H99"}]}'
    ).encode()
    [item] = read_response(raw).sent_items()
    assert (item.sender_doc_id, item.receiver_doc_id) == ("s-1", "r-1")
    assert (item.from_code, item.to_code, item.notation) == (
        "000.00.00.H99",
        "000.00.02.H99",
        "15/UBND-VP",
    )
    assert item.receive_status_desc == "Đã nhận"


def test_the_sdks_agency_shapes_are_read() -> None:
    """``AgencyServiceImp.getAgenciesList`` / ``getAgenciesListQD20`` keys."""
    raw = (
        b'{"status":"OK","ErrorCode":"0","data":[{"code":"000.00.15.H42","id":"42",'
        b'"mail":"vt@x.vn","name":"So A","pid":"000.00.00.H42","oldCode":"000.00.15.H40"},'
        b'{"code":"000.00.16.H42","code102":"H42.16","name":"So B"}]}'
    )
    first, second = read_response(raw).agencies()
    assert (first.id, first.mail, first.old_code, first.parent) == (
        "42",
        "vt@x.vn",
        "000.00.15.H40",
        "000.00.00.H42",
    )
    assert second.code102 == "H42.16"


def test_count_is_read() -> None:
    assert read_response(b'{"status":"OK","ErrorCode":"0","count":7}').count == 7
    with pytest.raises(ParseError):
        read_response(b'{"status":"OK","count":true}')


def test_agencies_are_read() -> None:
    agencies = (AxisAgency(code="000.00.00.H99", name="UBND tỉnh Thử Nghiệm", parent=""),)
    answer = read_response(
        write_response(AxisResponse(ok=True, data=tuple(a.to_wire() for a in agencies)))
    )
    assert answer.agencies() == agencies


def test_to_may_come_as_json_text() -> None:
    raw = b'{"status":"OK","data":[{"docId":"1","to":"[\\"000.00.00.H99\\"]"}]}'
    assert read_response(raw).items()[0].to == ("000.00.00.H99",)
    bare = b'{"status":"OK","data":[{"docId":"1","to":"000.00.00.H99"}]}'
    assert read_response(bare).items()[0].to == ("000.00.00.H99",)


@pytest.mark.parametrize(
    ("raw", "error", "code"),
    [
        (b"<html>", ParseError, "vdxp.wire.syntax"),
        (b"[]", ParseError, "vdxp.wire.shape"),
        (b'{"status":"MAYBE"}', ParseError, "vdxp.wire.status"),
        (b'{"status":"OK","status":"FAIL"}', UnsafeInputError, "vdxp.wire.duplicate_key"),
        (b'{"status":"OK","ErrorCode":NaN}', ParseError, "vdxp.wire.constant"),
        (b'{"status":"OK","data":[{"docId":{"x":1}}]}', ParseError, "vdxp.wire.item"),
        (b'{"status":"OK","data":[[1]]}', ParseError, "vdxp.wire.item"),
        (b'{"status":"OK","data":{"a":1}}', ParseError, "vdxp.wire.data"),
        (b'{"status":"OK","ErrorDesc":true}', ParseError, "vdxp.wire.field"),
        (b'{"status":"OK","data":"' + b"a" * 10 + b'"}\xff', ParseError, "vdxp.wire.encoding"),
        (
            b'{"status":"OK","data":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            UnsafeInputError,
            "vdxp.wire.depth",
        ),
        (
            b'{"status":"OK","DocId":"' + b"x" * 5000 + b'"}',
            UnsafeInputError,
            "vdxp.wire.field_size",
        ),
    ],
)
def test_hostile_answers_are_refused(raw: bytes, error: type[Exception], code: str) -> None:
    with pytest.raises(error) as caught:
        read_response(raw)
    assert getattr(caught.value, "code", None) == code


def test_an_item_without_doc_id_is_refused() -> None:
    with pytest.raises(ParseError):
        read_response(b'{"status":"OK","data":[{"from":"x"}]}').items()


@settings(deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_crash_the_reader(raw: bytes) -> None:
    with contextlib.suppress(ParseError, UnsafeInputError):
        read_response(raw)
