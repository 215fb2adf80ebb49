"""Part of the edXML reader: splits a byte stream into markup (for lxml) and base64 payloads.

The text of each ``ContentTransferEncoded`` element is decoded here, chunk by chunk, into a
sink; lxml sees a short marker instead, so the tree stays small and a 500 MB attachment never
sits in memory. Anything the scanner is unsure about (a ``<`` inside the payload, a stray
character) is handed to lxml unchanged after the marker and decoded later, on the slow path.
Document type declarations are refused before lxml sees them.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import IO

import attrs

from egovkit.edxml.attachments import Base64Decoder, MalformedPayloadError, PayloadSink, Writable
from egovkit.edxml.limits import Limits
from egovkit.errors import ParseError, UnsafeInputError

_START = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)ContentTransferEncoded(\s[^<>]*)?>")
_WORD = b"ContentTransferEncoded"
_BASE64_AND_SPACE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \t\r\n"
_SPACE = b" \t\r\n"
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/= \t\r\n]")
_FORBIDDEN = re.compile(rb"<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)")
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_TAIL = 4096


@attrs.define(kw_only=True)
class Payload:
    """One payload the scanner streamed: its decoder, its sink stream, and what went wrong."""

    index: int
    decoder: Base64Decoder
    stream: Writable
    problem: str = ""
    claimed: bool = False


class Scanner:
    """Feeds markup to ``feed`` and decodes payloads into ``sink``."""

    def __init__(self, *, feed: Callable[[bytes], None], sink: PayloadSink, limits: Limits) -> None:
        self._feed = feed
        self._sink = sink
        self._limits = limits
        self.nonce = secrets.token_hex(6)
        self.payloads: list[Payload] = []
        self.markup_bytes = 0
        self.total_bytes = 0
        self._payload_total = 0

    def marker(self, index: int) -> str:
        """The text lxml sees instead of payload ``index`` (never valid base64)."""
        return f"#egovkit-{self.nonce}-{index}#"

    def _emit(self, data: bytes) -> None:
        if not data:
            return
        if _FORBIDDEN.search(data):
            raise UnsafeInputError(
                "document type declarations (DOCTYPE, ENTITY) are refused in edXML",
                code="edxml.unsafe.doctype",
            )
        self.markup_bytes += len(data)
        if self.markup_bytes > self._limits.max_markup_bytes:
            raise UnsafeInputError(
                f"headers and markup exceed the limit of {self._limits.max_markup_bytes} bytes",
                code="edxml.limits.markup_size",
            )
        self._feed(data)

    def run(self, source: IO[bytes]) -> None:
        """Read ``source`` to the end."""
        buffer = b""
        current: Payload | None = None
        first = True
        while True:
            # The first read is large enough to hold the XML declaration.
            chunk = source.read(
                max(self._limits.chunk_bytes, 512) if first else self._limits.chunk_bytes
            )
            if not isinstance(chunk, bytes):
                raise ParseError(
                    "edXML is read from bytes: open the file in binary mode ('rb')",
                    code="edxml.source",
                )
            self.total_bytes += len(chunk)
            if self.total_bytes > self._limits.max_message_bytes:
                raise UnsafeInputError(
                    f"message exceeds the limit of {self._limits.max_message_bytes} bytes",
                    code="edxml.limits.message_size",
                )
            if first:
                _check_encoding(chunk)
                first = False
            at_end = not chunk
            buffer = buffer + chunk if buffer else chunk
            while buffer:
                if current is None:
                    buffer, current = self._outside(buffer, at_end)
                    if current is None:
                        break
                else:
                    buffer, text_over = self._inside(buffer, current, at_end)
                    if text_over:
                        current = None
                    else:
                        break
            if at_end:
                if buffer:
                    self._emit(buffer)
                return

    def _outside(self, buffer: bytes, at_end: bool) -> tuple[bytes, Payload | None]:
        position = 0
        while (match := _search_start(buffer, position)) is not None:
            if match.group(0).endswith(b"/>"):  # an empty element: nothing to stream
                position = match.end()
                continue
            self._emit(buffer[: match.end()])
            payload = self._start_payload()
            self._emit(self.marker(payload.index).encode("ascii"))
            return buffer[match.end() :], payload
        if at_end:
            self._emit(buffer)
            return b"", None
        # Keep a trailing, unfinished tag for the next chunk: it may be a start tag.
        cut = buffer.rfind(b"<", max(0, len(buffer) - _TAIL))
        if cut != -1 and b">" not in buffer[cut:]:
            self._emit(buffer[:cut])
            return buffer[cut:], None
        self._emit(buffer)
        return b"", None

    def _start_payload(self) -> Payload:
        index = len(self.payloads)
        if index >= self._limits.max_attachments:
            raise UnsafeInputError(
                f"more than {self._limits.max_attachments} attachments",
                code="edxml.limits.attachments",
            )
        stream = self._sink.begin(index)
        payload = Payload(
            index=index,
            decoder=Base64Decoder(stream, max_bytes=self._limits.max_attachment_bytes),
            stream=stream,
        )
        self.payloads.append(payload)
        return payload

    def _decode(self, payload: Payload, chars: bytes) -> None:
        before = payload.decoder.size
        try:
            payload.decoder.feed(chars)
        except MalformedPayloadError as exc:
            payload.problem = payload.problem or str(exc)
        self._payload_total += payload.decoder.size - before
        if self._payload_total > self._limits.max_total_attachment_bytes:
            raise UnsafeInputError(
                f"attachments exceed the limit of {self._limits.max_total_attachment_bytes} bytes",
                code="edxml.limits.attachments_size",
            )

    def _decode_whole(self, payload: Payload, chars: bytes) -> bool:
        """The usual payload, whole in the buffer and without line breaks, in one strict pass;
        False leaves it to the checks of :meth:`_inside`."""
        if not payload.decoder.feed_whole(chars):
            return False
        self._payload_total += payload.decoder.size
        if self._payload_total > self._limits.max_total_attachment_bytes:
            raise UnsafeInputError(
                f"attachments exceed the limit of {self._limits.max_total_attachment_bytes} bytes",
                code="edxml.limits.attachments_size",
            )
        return True

    def _decode_plain(self, payload: Payload, chars: bytes) -> bool:
        """A streamed piece of plain base64, checked and decoded in one pass (the usual case of
        a large payload); False leaves it to the checks of :meth:`_inside`."""
        if payload.problem:
            return False
        before = payload.decoder.size
        if not payload.decoder.feed_plain(chars):
            return False
        self._payload_total += payload.decoder.size - before
        if self._payload_total > self._limits.max_total_attachment_bytes:
            raise UnsafeInputError(
                f"attachments exceed the limit of {self._limits.max_total_attachment_bytes} bytes",
                code="edxml.limits.attachments_size",
            )
        return True

    def _inside(self, buffer: bytes, payload: Payload, at_end: bool) -> tuple[bytes, bool]:
        """Consume payload text; True when the payload's text is over (markup follows)."""
        lt = buffer.find(b"<")
        if lt != -1 and self._decode_whole(payload, buffer[:lt].strip(_SPACE)):
            return buffer[lt:], True
        region = buffer if lt == -1 else buffer[:lt]
        if self._decode_plain(payload, _without_space(region)):
            if lt == -1:
                return b"", at_end
            return buffer[lt:], True
        if region.translate(None, _BASE64_AND_SPACE):
            bad = _NOT_BASE64.search(region)
            assert bad is not None
            self._decode(payload, _without_space(region[: bad.start()]))
            return buffer[bad.start() :], True
        self._decode(payload, _without_space(region))
        if lt == -1:
            return b"", at_end
        return buffer[lt:], True


def _search_start(buffer: bytes, position: int) -> re.Match[bytes] | None:
    """``_START.search(buffer, position)``, with the regular expression started only near the
    first ``ContentTransferEncoded`` (every match holds it, and no ``<`` may sit between a
    match's ``<`` and that word), instead of at every ``<`` of the headers."""
    word = buffer.find(_WORD, position)
    if word == -1:
        return None
    opening = buffer.rfind(b"<", position, word)
    return _START.search(buffer, word if opening == -1 else opening)


def _without_space(region: bytes) -> bytes:
    """``region`` without white space; no copy when there is none (single-line payloads)."""
    if b"\n" in region or b" " in region or b"\r" in region or b"\t" in region:
        return region.translate(None, _SPACE)
    return region


def _check_encoding(head: bytes) -> None:
    if head.startswith((b"\xfe\xff", b"\xff\xfe", b"\x00<", b"<\x00")):
        raise ParseError(
            "edXML must be UTF-8; this looks like UTF-16",
            code="edxml.encoding",
            where="/",
            position=0,
        )
    match = _DECLARED_ENCODING.match(head.removeprefix(b"\xef\xbb\xbf"))
    if match and match.group(1).lower() not in (b"utf-8", b"utf8"):
        raise ParseError(
            f"edXML must be UTF-8, not {match.group(1).decode('ascii')}",
            code="edxml.encoding",
            where="/",
            position=match.start(1),
        )


__all__ = ["Payload", "Scanner"]
