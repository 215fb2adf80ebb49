"""Attachment content: where decoded bytes live, and base64 streamed in both directions.

Payloads are never held whole: the reader decodes base64 in chunks into a sink (memory that
spills to a temporary file, a directory, or a stream you supply) and computes size and SHA-256
on the fly; the writer encodes in chunks from :meth:`AttachmentContent.open`. Two contents are
equal when their size and digest are.
"""

from __future__ import annotations

import binascii
import hashlib
import io
import os
import tempfile
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, BinaryIO, Protocol

import attrs

from egovkit.edxml._base64 import ACTIVE, Backend
from egovkit.errors import NotFoundError, StorageError, UnsafeInputError

#: Bytes of raw data per base64 chunk the writer encodes (a multiple of 3).
ENCODE_CHUNK = 3 * 256 * 1024
_WHITESPACE = b" \t\r\n"
_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="


@attrs.frozen(kw_only=True)
class AttachmentContent:
    """The decoded bytes of an attachment: size, SHA-256, and a way to read them again.

    ``location`` says where the bytes are (a path, ``"memory"`` or ``"sink"``); content handed to
    a caller's stream cannot be reopened here and :meth:`open` raises
    :class:`~egovkit.errors.NotFoundError`.
    """

    size: int
    sha256: str
    location: str = attrs.field(default="memory", eq=False)
    _opener: Callable[[], BinaryIO] | None = attrs.field(
        default=None, eq=False, repr=False, alias="opener"
    )

    @classmethod
    def from_bytes(cls, data: bytes) -> AttachmentContent:
        """Content held in memory (for small files and tests)."""
        frozen = bytes(data)
        return cls(
            size=len(frozen),
            sha256=hashlib.sha256(frozen).hexdigest(),
            location="memory",
            opener=lambda: io.BytesIO(frozen),
        )

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> AttachmentContent:
        """Content of a file, digested once now (in chunks) and read again when written."""
        target = Path(path)
        digest = hashlib.sha256()
        size = 0
        try:
            with target.open("rb") as stream:
                while chunk := stream.read(ENCODE_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
        except OSError as exc:
            raise StorageError(
                f"cannot read attachment file {target}: {exc.strerror}",
                code="edxml.attachment.read",
                where=str(target),
            ) from exc
        return cls(
            size=size,
            sha256=digest.hexdigest(),
            location=str(target),
            opener=lambda: target.open("rb"),
        )

    def open(self) -> BinaryIO:
        """A fresh binary stream over the bytes; close it when done."""
        if self._opener is None:
            raise NotFoundError(
                f"attachment content was handed to a sink ({self.location}) and cannot be reread",
                code="edxml.attachment.not_stored",
                where=self.location,
            )
        return self._opener()

    def read_bytes(self) -> bytes:
        """All the bytes at once; only for contents you know to be small."""
        with self.open() as stream:
            return stream.read()


class Writable(Protocol):
    """A binary stream the reader can write decoded bytes to and close."""

    def write(self, data: bytes, /) -> object:
        """Write ``data``."""

    def close(self) -> None:
        """Flush and release the stream."""


class PayloadSink(Protocol):
    """Where the reader puts decoded attachment bytes (a port: memory, files, a blob store)."""

    def begin(self, index: int) -> Writable:
        """A writable stream for payload number ``index`` (0-based, in document order)."""

    def finish(self, index: int, stream: Writable, size: int, sha256: str) -> AttachmentContent:
        """Close ``stream`` and say how the bytes can be read again."""

    def discard(self, index: int, stream: Writable) -> None:
        """Close and drop a payload that turned out to be malformed."""


class _SpillingBuffer(io.BytesIO):
    """Memory up to a threshold, then a temporary file (so big payloads do not sit in RAM)."""

    def __init__(self, threshold: int) -> None:
        super().__init__()
        self.threshold = threshold
        self.spill: IO[bytes] | None = None

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.spill is None and self.tell() + len(data) > self.threshold:
            self.spill = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in finish/discard
                prefix="egovkit-edxml-", delete=False
            )
            self.spill.write(self.getbuffer())
        if self.spill is not None:
            return self.spill.write(data)
        return super().write(data)


class MemorySink:
    """The default sink: payloads in memory, spilling to temporary files above a threshold.

    A spilled file is removed when its :class:`AttachmentContent` is garbage-collected.
    """

    def __init__(self, threshold: int = 8 * 1024 * 1024) -> None:
        self._threshold = threshold

    def begin(self, index: int) -> Writable:
        return _SpillingBuffer(self._threshold)

    def finish(self, index: int, stream: Writable, size: int, sha256: str) -> AttachmentContent:
        assert isinstance(stream, _SpillingBuffer)
        if stream.spill is None:
            data = stream.getvalue()
            return AttachmentContent(
                size=size, sha256=sha256, location="memory", opener=lambda: io.BytesIO(data)
            )
        stream.spill.close()
        path = Path(stream.spill.name)
        content = AttachmentContent(
            size=size, sha256=sha256, location=str(path), opener=lambda: path.open("rb")
        )
        weakref.finalize(content, path.unlink, missing_ok=True)
        return content

    def discard(self, index: int, stream: Writable) -> None:
        assert isinstance(stream, _SpillingBuffer)
        if stream.spill is not None:
            stream.spill.close()
            Path(stream.spill.name).unlink(missing_ok=True)


class DirectorySink:
    """Payloads written as ``payload-<n>.bin`` files in ``directory`` (created if needed)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def _path(self, index: int) -> Path:
        return self.directory / f"payload-{index}.bin"

    def begin(self, index: int) -> Writable:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            return self._path(index).open("xb")
        except OSError as exc:
            raise StorageError(
                f"cannot create {self._path(index)}: {exc.strerror}",
                code="edxml.attachment.write",
                where=str(self._path(index)),
            ) from exc

    def finish(self, index: int, stream: Writable, size: int, sha256: str) -> AttachmentContent:
        stream.close()
        path = self._path(index)
        return AttachmentContent(
            size=size, sha256=sha256, location=str(path), opener=lambda: path.open("rb")
        )

    def discard(self, index: int, stream: Writable) -> None:
        stream.close()
        self._path(index).unlink(missing_ok=True)


class CallbackSink:
    """Payloads written to streams from ``factory(index)``, e.g. a blob store's upload stream.

    The reader closes each stream. The contents it returns cannot be reopened by egovkit.
    """

    def __init__(self, factory: Callable[[int], Writable]) -> None:
        self._factory = factory

    def begin(self, index: int) -> Writable:
        return self._factory(index)

    def finish(self, index: int, stream: Writable, size: int, sha256: str) -> AttachmentContent:
        stream.close()
        return AttachmentContent(size=size, sha256=sha256, location="sink")

    def discard(self, index: int, stream: Writable) -> None:
        stream.close()


class MalformedPayloadError(Exception):
    """Internal: the base64 text broke a rule (the reader turns it into a finding)."""


class Base64Decoder:
    """Incremental base64 decoding into a stream, with size limit, size and SHA-256.

    ``backend`` is for tests, which compare pybase64 and binascii.
    """

    def __init__(self, out: Writable, *, max_bytes: int, backend: Backend = ACTIVE) -> None:
        self.out = out
        self._backend = backend
        self.max_bytes = max_bytes
        self.size = 0
        self._digest = hashlib.sha256()
        self._pending = b""
        self._ended = False

    def feed(self, chars: bytes) -> None:
        """Decode base64 alphabet characters (white space already removed, alphabet checked).

        Whole 4-character quanta are decoded straight from ``chars`` (no copy); up to three
        characters wait for the next call.
        """
        offset = 0
        if self._pending:
            offset = min(4 - len(self._pending), len(chars))
            self._pending += chars[:offset]
            if len(self._pending) < 4:
                return
            head, self._pending = self._pending, b""
            self._decode(head, head, 0, 4)
        cut = offset + (len(chars) - offset) // 4 * 4
        if cut > offset:
            view = memoryview(chars)[offset:cut] if (offset or cut != len(chars)) else chars
            self._decode(view, chars, offset, cut)
        self._pending = chars[cut:]

    def feed_whole(self, chars: bytes) -> bool:
        """Decode ``chars`` as the whole text of a payload, when it is plain base64 (alphabet
        only, complete quanta, padding only at the end): one strict pass instead of checking
        first. False, with nothing consumed, when it is not that simple; :meth:`feed` decides.
        """
        if self.size or self._pending or self._ended or len(chars) % 4:
            return False
        if chars.find(b"=", 0, len(chars) - 2) != -1:  # strict mode lets "QUJD=" pass
            return False
        try:
            decoded = self._backend.strict(chars)
        except binascii.Error:
            return False
        self._ended = chars.endswith(b"=")
        self._take(decoded)
        return True

    def feed_plain(self, chars: bytes) -> bool:
        """:meth:`feed` for a streamed piece without white space, when it is plain base64 (the
        alphabet only, no padding): the alphabet is checked by the strict decoder in the same
        pass. False, with nothing consumed, for anything else; :meth:`feed` and the scanner's
        checks decide then."""
        if self._ended:
            return False
        need = (4 - len(self._pending)) % 4
        head = self._pending + chars[:need]
        cut = need + (len(chars) - need) // 4 * 4
        rest = chars[cut:]
        if len(head) % 4 or b"=" in head or b"=" in rest:
            return False
        if (head + rest).translate(None, _ALPHABET) or chars.find(b"=", need, cut) != -1:
            return False
        try:
            body = self._backend.strict(
                memoryview(chars)[need:cut] if cut - need < len(chars) else chars
            )
        except binascii.Error:
            return False
        if head:
            self._take(self._backend.checked(head))
        self._take(body)
        self._pending = rest
        return True

    def _decode(self, block: bytes | memoryview, source: bytes, start: int, end: int) -> None:
        if self._ended:
            raise MalformedPayloadError("data after the '=' padding")
        padding = source.find(b"=", start, end)
        if padding != -1:
            tail = source[padding:end]
            if padding < end - 2 or tail.strip(b"=") or end != len(source):
                raise MalformedPayloadError("'=' padding inside the base64 text")
            self._ended = True
        try:
            decoded = self._backend.checked(block)
        except binascii.Error as exc:
            raise MalformedPayloadError(str(exc)) from exc
        self._take(decoded)

    def _take(self, decoded: bytes) -> None:
        self.size += len(decoded)
        if self.size > self.max_bytes:
            raise UnsafeInputError(
                f"an attachment is larger than the limit of {self.max_bytes} bytes",
                code="edxml.limits.attachment_size",
            )
        self._digest.update(decoded)
        self.out.write(decoded)

    def feed_text(self, text: str) -> None:
        """Decode text that may hold white space (the lenient path); non-ASCII is malformed."""
        try:
            raw = text.encode("ascii")
        except UnicodeEncodeError as exc:
            raise MalformedPayloadError("non-ASCII character in base64") from exc
        cleaned = raw.translate(None, _WHITESPACE)
        if cleaned.translate(None, _ALPHABET):
            raise MalformedPayloadError("a character outside the base64 alphabet")
        self.feed(cleaned)

    def finish(self) -> str:
        """Check the end of the text and give the SHA-256 hex digest."""
        if self._pending:
            raise MalformedPayloadError("the base64 text does not end on a 4-character boundary")
        return self._digest.hexdigest()


#: Contents larger than this are digested in a worker thread while being encoded.
_THREADED = 4 * ENCODE_CHUNK


class _Hashing:
    """``digest.update`` in call order, each call overlapping the caller's next steps when
    ``threaded`` (one worker, at most one chunk waiting: memory stays bounded)."""

    def __init__(self, digest: hashlib._Hash, *, threaded: bool) -> None:
        self._digest = digest
        self._pool = (
            ThreadPoolExecutor(1, thread_name_prefix="egovkit-sha256") if threaded else None
        )
        self._running: Future[None] | None = None

    def __enter__(self) -> _Hashing:
        return self

    def update(self, chunk: bytes) -> None:
        if self._pool is None:
            self._digest.update(chunk)
            return
        if self._running is not None:
            self._running.result()
        self._running = self._pool.submit(self._digest.update, chunk)

    def __exit__(self, *_: object) -> None:
        if self._pool is not None:
            try:
                if self._running is not None:
                    self._running.result()
            finally:
                self._pool.shutdown(wait=True)


def encode_to(
    content: AttachmentContent, write: Callable[[bytes], object], *, backend: Backend = ACTIVE
) -> None:
    """Stream ``content`` as base64 (no line breaks) into ``write``, checking its digest.

    For a large content the digest of each chunk is taken in a worker thread while the chunk is
    encoded and written (hashlib lets go of the GIL): SHA-256 is most of what a fast encoder
    leaves, so the two overlap.
    """
    encode = backend.encode
    digest = hashlib.sha256()
    size = 0
    with content.open() as stream, _Hashing(digest, threaded=content.size > _THREADED) as hashing:
        while chunk := stream.read(ENCODE_CHUNK):
            hashing.update(chunk)
            size += len(chunk)
            write(encode(chunk))
    if size != content.size or digest.hexdigest() != content.sha256:
        raise StorageError(
            f"attachment bytes at {content.location} changed since they were digested",
            code="edxml.attachment.changed",
            where=content.location,
        )


__all__ = [
    "AttachmentContent",
    "Base64Decoder",
    "CallbackSink",
    "DirectorySink",
    "MemorySink",
    "PayloadSink",
    "Writable",
    "encode_to",
]
