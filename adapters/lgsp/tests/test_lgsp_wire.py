"""The gateway's JSON: read(write(x)) == x, the Quảng Nam sample's shapes, hostile answers.

Shapes from the sample client of Quảng Nam's LGSP (``com/lgsp/cmon/Main.java``, index id
14179630682): list items ``serviceType, messageType, statusDesc, docId, from, to, status,
createdTime``; units ``id, code, name, pid``; answers ``status, errorCode, errorDesc, data``
and ``docId`` for a send; statuses INITIAL, PROCESSING, DONE, FAIL.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.errors import ParseError, UnsafeInputError
from egovkit_lgsp.wire import (
    STATUS_VALUES,
    Answer,
    Message,
    Token,
    Unit,
    read_answer,
    read_token,
    write_answer,
    write_token,
)

text = st.text(max_size=30)
messages = st.builds(
    Message,
    doc_id=st.text(min_size=1, max_size=20),
    service_type=text,
    message_type=st.sampled_from(["edoc", "status"]),
    sender=text,
    to=st.lists(st.text(min_size=1, max_size=15), max_size=3).map(tuple),
    status=st.sampled_from(STATUS_VALUES),
    status_desc=text,
    created_time=text,
)
units = st.builds(Unit, code=st.text(min_size=1, max_size=15), id=text, name=text, parent=text)


@settings(deadline=None)
@given(st.lists(messages, max_size=4))
def test_message_lists_round_trip(items: list[Message]) -> None:
    answer = Answer(ok=True, data=tuple(m.to_wire() for m in items))
    assert read_answer(write_answer(answer)).messages() == tuple(items)


@settings(deadline=None)
@given(st.lists(units, max_size=4))
def test_unit_lists_round_trip(items: list[Unit]) -> None:
    answer = Answer(ok=True, data=tuple(u.to_wire() for u in items))
    assert read_answer(write_answer(answer)).units() == tuple(items)


@given(
    st.builds(
        Answer,
        ok=st.booleans(),
        error_code=st.text(min_size=1, max_size=6),
        error_desc=text,
        doc_id=text,
        data=st.one_of(st.none(), text),
    )
)
def test_answers_round_trip(answer: Answer) -> None:
    assert read_answer(write_answer(answer)) == answer


@given(st.text(min_size=1, max_size=64), st.one_of(st.none(), st.integers(0, 10**6)))
def test_tokens_round_trip(value: str, lifetime: int | None) -> None:
    token = Token(access_token=value, expires_in=lifetime)
    assert read_token(write_token(token)) == token


def test_the_samples_list_shape_is_read() -> None:
    raw = (
        '{"status":"OK","errorCode":"0","errorDesc":"Thành công","data":[{"serviceType":"eDoc",'
        '"messageType":"edoc","statusDesc":"Khởi tạo",'
        '"docId":"5b8209a7-f5f8-4ada-b766-27c30a2eaf8b",'
        '"from":"000.00.00.H47","to":"[\\"001.00.10.H47\\"]","status":"INITIAL",'
        '"createdTime":"2019-10-01 08:00:00"}]}'
    ).encode()
    [item] = read_answer(raw).messages()
    assert item.doc_id == "5b8209a7-f5f8-4ada-b766-27c30a2eaf8b"
    assert (item.sender, item.to, item.status) == ("000.00.00.H47", ("001.00.10.H47",), "INITIAL")


def test_a_token_must_be_bearer() -> None:
    with pytest.raises(ParseError):
        read_token(b'{"access_token":"x","token_type":"mac"}')
    with pytest.raises(ParseError):
        read_token(b'{"access_token":"x","expires_in":-5}')
    assert read_token(b'{"access_token":"x","expires_in":"3600"}').expires_in == 3600


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"<html>", ParseError),
        (b'{"status":"OK","status":"OK"}', UnsafeInputError),
        (b'{"status":"OK","errorCode":NaN}', ParseError),
        (b'{"status":"MAYBE"}', ParseError),
        (b'{"status":"OK","data":[1]}', ParseError),
        (b'{"status":"OK","data":' + b"[" * 50_000 + b"]" * 50_000 + b"}", UnsafeInputError),
        (b'{"status":"OK","docId":"' + b"x" * 5000 + b'"}', UnsafeInputError),
    ],
)
def test_hostile_answers_are_refused(raw: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        read_answer(raw)


@settings(deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_crash_the_reader(raw: bytes) -> None:
    with contextlib.suppress(ParseError, UnsafeInputError):
        read_answer(raw)
