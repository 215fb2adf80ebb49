from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.errors import ParseError, UnsafeInputError
from egovkit_dvcqg.hostile import MAX_DEPTH, MAX_ITEMS, MAX_TEXT, Obj, load_json


def test_limits() -> None:
    with pytest.raises(UnsafeInputError) as caught:
        load_json(b"[" + b"0," * 10 + b"0]", limit=8)
    assert caught.value.code == "dvcqg.json.too_large"
    with pytest.raises(UnsafeInputError) as caught:
        load_json(json.dumps([0] * (MAX_ITEMS + 1)).encode())
    assert caught.value.code == "dvcqg.json.items"
    with pytest.raises(UnsafeInputError) as caught:
        load_json(json.dumps({"a": "x" * (MAX_TEXT + 1)}).encode())
    assert caught.value.code == "dvcqg.json.text"
    with pytest.raises(UnsafeInputError) as caught:
        load_json(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1))
    assert caught.value.code == "dvcqg.json.depth"
    assert load_json(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH) is not None


@pytest.mark.parametrize("body", [b"", b"{", b"\xff\xfe", b"NaN-ish", b"<html/>"])
def test_not_json(body: bytes) -> None:
    with pytest.raises(ParseError) as caught:
        load_json(body)
    assert caught.value.code == "dvcqg.json.syntax"


def test_a_bom_is_accepted() -> None:
    assert load_json('\ufeff{"error_code": "0"}'.encode()) == {"error_code": "0"}


def test_reads_name_their_path() -> None:
    obj = Obj({"a": {"b": [{"c": 1.5}]}}, "data[0]")
    inner = Obj(obj.data["a"], obj.path("a")).items("b")[0]
    with pytest.raises(ParseError) as caught:
        inner.text("c")
    assert caught.value.where == "data[0].a.b[0].c"
    with pytest.raises(ParseError) as caught:
        Obj({"n": "12a"}, "").integer("n")
    assert caught.value.where == "n"
    with pytest.raises(ParseError) as caught:
        Obj({"n": "9" * 30}, "").integer("n")
    assert caught.value.code == "dvcqg.json.number"
    assert Obj({"n": 7}, "").text("n") == "7"


@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_escape_the_error_tree(body: bytes) -> None:
    try:
        load_json(body)
    except (ParseError, UnsafeInputError):
        return
