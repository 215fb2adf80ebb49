"""pybase64 (the ``egovkit[speed]`` extra) and binascii give the reader and the writer the same
results, valid input or not.

The reference for what is valid is RFC 4648 §4 as Python's own ``base64.b64decode(...,
validate=True)`` reads it; the decoder's rules on top (padding only at the very end, no data
after it) are checked by tests/edxml/test_fast_paths.py.
"""

from __future__ import annotations

import base64
import binascii
import io
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.edxml import _base64
from egovkit.edxml.attachments import (
    ENCODE_CHUNK,
    AttachmentContent,
    Base64Decoder,
    MalformedPayloadError,
    encode_to,
)
from egovkit.errors import StorageError

# Without pybase64 (the speed extra) only binascii is left to check against the references.
BACKENDS = [b for b in (_base64.BINASCII, _base64.PYBASE64) if b is not None]

# Base64 pieces, padding in and out of place, white space and characters outside the alphabet.
_PIECES = st.sampled_from(
    [
        *(b"QUJD", b"QUI=", b"QQ==", b"QR==", b"=", b"==", b"A", b"AB", b"+/9z", b" ", b"\n"),
        *(b"-_", b"*", b"\xff", b"\x00", b"QQ=A", b"===="),
    ]
)
_TEXTS = st.one_of(
    st.lists(_PIECES, max_size=10).map(b"".join),
    st.binary(max_size=200).map(base64.b64encode),
    st.binary(max_size=20),
)


def _outcome(function: object, chars: bytes) -> bytes | None:
    try:
        return function(chars)  # type: ignore[operator, no-any-return]
    except binascii.Error:
        return None


@settings(max_examples=500, deadline=None)
@given(_TEXTS)
def test_strict_decoding_accepts_and_refuses_alike(chars: bytes) -> None:
    outcomes = {_outcome(b.strict, chars) for b in BACKENDS}
    # Python's own strict reading agrees wherever the decoder uses the strict pass (whole quanta,
    # padding only in the last two places).
    if len(chars) % 4 == 0 and chars.find(b"=", 0, len(chars) - 2) == -1:
        try:
            expected: bytes | None = base64.b64decode(chars, validate=True)
        except binascii.Error:
            expected = None
        assert outcomes == {expected}
    else:
        assert len({o is None for o in outcomes}) == 1 or b"=" in chars


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_encoding_is_the_same(data: bytes) -> None:
    assert {b.encode(data) for b in BACKENDS} == {base64.b64encode(data)}


def _decode_in_pieces(backend: _base64.Backend, chars: bytes, cuts: list[int]) -> object:
    out = io.BytesIO()
    decoder = Base64Decoder(out, max_bytes=1 << 20, backend=backend)
    try:
        if not cuts and decoder.feed_whole(chars):
            return out.getvalue(), decoder.finish()
        start = 0
        for cut in [*sorted(c % (len(chars) + 1) for c in cuts), len(chars)]:
            decoder.feed_text(chars[start:cut].decode("latin-1"))
            start = cut
        return out.getvalue(), decoder.finish()
    except MalformedPayloadError:
        return "malformed"


@settings(max_examples=500, deadline=None)
@given(_TEXTS, st.lists(st.integers(min_value=0, max_value=400), max_size=4))
def test_the_decoder_gives_the_same_bytes_with_either(chars: bytes, cuts: list[int]) -> None:
    results = [_decode_in_pieces(b, chars, cuts) for b in BACKENDS]
    assert all(result == results[0] for result in results)
    cleaned = chars.translate(None, b" \t\r\n")
    if results[0] != "malformed":
        assert results[0][0] == base64.b64decode(cleaned, validate=True)  # type: ignore[index]


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=5000))
def test_encode_to_streams_the_same_text(data: bytes) -> None:
    content = AttachmentContent.from_bytes(data)
    texts = []
    for backend in BACKENDS:
        pieces: list[bytes] = []
        encode_to(content, pieces.append, backend=backend)
        texts.append(b"".join(pieces))
    assert texts == [base64.b64encode(data)] * len(BACKENDS)


def test_a_large_content_is_digested_alongside_and_still_checked() -> None:
    """Past a few chunks the digest is taken in a worker thread: same text, same check."""
    data = bytes(range(256)) * (5 * ENCODE_CHUNK // 256 + 7)
    content = AttachmentContent.from_bytes(data)
    pieces: list[bytes] = []
    encode_to(content, pieces.append)
    assert b"".join(pieces) == base64.b64encode(data)
    changed = AttachmentContent(
        size=content.size,
        sha256=content.sha256,
        opener=lambda: io.BytesIO(data[:-1] + b"\x00"),
    )
    with pytest.raises(StorageError) as caught:
        encode_to(changed, pieces.append)
    assert caught.value.code == "edxml.attachment.changed"


def test_a_failing_source_fails_the_encoding_without_leaving_a_thread() -> None:
    class Broken(io.RawIOBase):
        def __init__(self) -> None:
            self.calls = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            self.calls += 1
            if self.calls > 3:
                raise OSError("disk gone")
            buffer[: len(buffer)] = b"\x01" * len(buffer)
            return len(buffer)

    content = AttachmentContent(
        size=10 * ENCODE_CHUNK, sha256="0" * 64, opener=lambda: io.BufferedReader(Broken())
    )
    before = {t.name for t in threading.enumerate()}
    with pytest.raises(OSError, match="disk gone"):
        encode_to(content, lambda piece: None)
    assert {t.name for t in threading.enumerate()} <= before


def test_the_speed_extra_is_used_when_installed() -> None:
    assert (_base64.ACTIVE is _base64.PYBASE64) == (_base64.PYBASE64 is not None)
    assert len(BACKENDS) == 2 or _base64.PYBASE64 is None
