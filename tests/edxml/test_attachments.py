"""Attachments: base64 streamed both ways, digests on the fly, sinks, bounded memory."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.agencies import AgencyCode
from egovkit.edxml import (
    Attachment,
    AttachmentContent,
    CallbackSink,
    DirectorySink,
    Envelope,
    Limits,
    MemorySink,
    MessageHeader,
    Organization,
    Promulgation,
    read,
    write,
)
from egovkit.edxml.attachments import Base64Decoder, MalformedPayloadError
from egovkit.errors import NotFoundError, StorageError


def envelope_with(*contents: AttachmentContent) -> Envelope:
    files = [
        Attachment(content_id=f"cid:{i}", name=f"f{i}.bin", content=content)
        for i, content in enumerate(contents, start=1)
    ]
    return Envelope(
        header=MessageHeader(
            sender=Organization(code=AgencyCode.parse("000.00.00.G22")),
            recipients=[Organization(code=AgencyCode.parse("000.00.00.H41"))],
            document_id="000.00.00.G22,2025/01/02,01/VPCP",
            subject="Tệp đính kèm",
            promulgation=Promulgation(date=dt.date(2025, 1, 2)),
        ),
        manifest=[f.reference() for f in files],
        attachments=files,
    )


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2000), st.integers(min_value=1, max_value=50))
def test_decoder_is_independent_of_chunking(data: bytes, step: int) -> None:
    text = base64.b64encode(data)
    out = io.BytesIO()
    decoder = Base64Decoder(out, max_bytes=10_000)
    for start in range(0, len(text), step):
        decoder.feed(text[start : start + step])
    assert decoder.finish() == hashlib.sha256(data).hexdigest()
    assert out.getvalue() == data
    assert decoder.size == len(data)


@pytest.mark.parametrize("text", [b"QQ=A", b"QQ==QUJD", b"QUJDR", b"Q===", b"=QUJ"])
def test_decoder_refuses_bad_padding_and_length(text: bytes) -> None:
    decoder = Base64Decoder(io.BytesIO(), max_bytes=100)

    def decode() -> None:
        decoder.feed(text)
        decoder.finish()

    with pytest.raises(MalformedPayloadError):
        decode()


def test_payload_with_line_breaks_and_cdata_is_read() -> None:
    data = bytes(range(256)) * 3
    wrapped = base64.encodebytes(data).decode("ascii")  # 76-column lines
    message = write(envelope_with(AttachmentContent.from_bytes(b"x")))
    encoded = base64.b64encode(b"x").decode("ascii")
    lined = message.replace(encoded.encode(), f"\n{wrapped}\n".encode())
    result = read(lined)
    content = result.message.attachments[0].content  # type: ignore[union-attr]
    assert content is not None
    assert content.read_bytes() == data
    cdata = message.replace(encoded.encode(), f"<![CDATA[{wrapped}]]>".encode())
    content = read(cdata).message.attachments[0].content  # type: ignore[union-attr]
    assert content is not None
    assert content.sha256 == hashlib.sha256(data).hexdigest()


def test_payload_with_character_reference_takes_the_slow_path() -> None:
    message = write(envelope_with(AttachmentContent.from_bytes(b"hello world")))
    encoded = base64.b64encode(b"hello world")
    split = message.replace(encoded, encoded[:8] + b"&#10;" + encoded[8:])
    content = read(split).message.attachments[0].content  # type: ignore[union-attr]
    assert content is not None
    assert content.read_bytes() == b"hello world"


def test_memory_sink_spills_big_payloads_to_a_file() -> None:
    data = b"\x01\x02" * 40_000
    limits = Limits(memory_payload_bytes=10_000)
    result = read(write(envelope_with(AttachmentContent.from_bytes(data))), limits=limits)
    content = result.message.attachments[0].content  # type: ignore[union-attr]
    assert content is not None
    assert content.location != "memory"
    assert Path(content.location).is_file()
    assert content.read_bytes() == data
    small = read(write(envelope_with(AttachmentContent.from_bytes(b"abc"))))
    assert small.message.attachments[0].content.location == "memory"  # type: ignore[union-attr]
    _ = MemorySink()


def test_directory_and_callback_sinks(tmp_path: Path) -> None:
    data = [b"first file", b"second file"]
    message = write(envelope_with(*(AttachmentContent.from_bytes(d) for d in data)))
    result = read(message, attachments_to=tmp_path / "files")
    assert sorted(p.name for p in (tmp_path / "files").iterdir()) == [
        "payload-0.bin",
        "payload-1.bin",
    ]
    contents = [a.content for a in result.message.attachments]  # type: ignore[union-attr]
    assert [c.read_bytes() for c in contents if c is not None] == data

    streams: dict[int, io.BytesIO] = {}

    class Keep(io.BytesIO):
        def close(self) -> None:  # keep the bytes readable for the test
            pass

    def factory(index: int) -> io.BytesIO:
        streams[index] = Keep()
        return streams[index]

    result = read(message, attachments_to=factory)
    assert [streams[i].getvalue() for i in sorted(streams)] == data
    content = result.message.attachments[0].content  # type: ignore[union-attr]
    assert content is not None
    assert content.location == "sink"
    with pytest.raises(NotFoundError):
        content.open()
    assert isinstance(DirectorySink(tmp_path), DirectorySink)
    assert isinstance(CallbackSink(factory), CallbackSink)


def test_from_path_and_changed_file_is_detected(tmp_path: Path) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(b"%PDF-1.4 original")
    content = AttachmentContent.from_path(source)
    assert content.size == len(b"%PDF-1.4 original")
    source.write_bytes(b"%PDF-1.4 tampered!")
    with pytest.raises(StorageError) as caught:
        write(envelope_with(content))
    assert caught.value.code == "edxml.attachment.changed"


class _Generated(io.RawIOBase):
    """A stream that produces an edXML message with a large payload without holding it."""

    def __init__(self, head: bytes, block: bytes, count: int, tail: bytes) -> None:
        self._parts = iter([head, *([block] * count), tail])
        self._current = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._current:
            try:
                self._current = next(self._parts)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._current))
        buffer[:size] = self._current[:size]
        self._current = self._current[size:]
        return size


def test_streaming_read_memory_does_not_grow_with_the_attachment() -> None:
    """A 48 MB attachment passes through with a bounded amount of Python memory."""
    raw_block = bytes(range(256)) * 3072  # 768 KiB, a multiple of 3
    count = 64
    template = write(envelope_with(AttachmentContent.from_bytes(b"\0\0\0")))
    marker = base64.b64encode(b"\0\0\0")
    head, tail = template.split(marker)
    stream = io.BufferedReader(_Generated(head, base64.b64encode(raw_block), count, tail))
    digest = hashlib.sha256()

    class Hashing:
        def write(self, data: bytes) -> int:
            digest.update(data)
            return len(data)

        def close(self) -> None:
            pass

    tracemalloc.start()
    try:
        result = read(stream, attachments_to=lambda index: Hashing())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    content = result.message.attachments[0].content  # type: ignore[union-attr]
    assert content is not None
    assert content.size == len(raw_block) * count
    expected = hashlib.sha256()
    for _ in range(count):
        expected.update(raw_block)
    assert content.sha256 == expected.hexdigest() == digest.hexdigest()
    assert peak < 16 * 1024 * 1024, peak


def test_streaming_write_memory_does_not_grow_with_the_attachment() -> None:
    raw_block = bytes(range(256)) * 3072
    count = 40
    digest = hashlib.sha256()
    for _ in range(count):
        digest.update(raw_block)
    content = AttachmentContent(
        size=len(raw_block) * count,
        sha256=digest.hexdigest(),
        location="generated",
        opener=lambda: io.BufferedReader(_Generated(b"", raw_block, count, b"")),
    )
    written = 0

    class Counting(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data: bytes) -> int:  # type: ignore[override]
            nonlocal written
            written += len(data)
            return len(data)

    tracemalloc.start()
    try:
        write(envelope_with(content), Counting())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written > len(raw_block) * count * 4 // 3
    assert peak < 16 * 1024 * 1024, peak
