"""Read edXML envelopes and status messages, leniently by default, safely always.

Real messages are messy (legacy agency codes, impossible dates, vendor-specific element order),
so every value that cannot be understood becomes a :class:`~egovkit.findings.Finding` with the
XPath where it was found, and the raw text is kept. Input that is unreadable raises
:class:`~egovkit.errors.ParseError`; input that looks hostile (DTDs, entities, deep nesting,
oversized parts, duplicate ContentIds) raises :class:`~egovkit.errors.UnsafeInputError`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Final

import attrs
from lxml import etree

from egovkit._xml import safe_parser
from egovkit.edxml import _wire as w
from egovkit.edxml._scanner import Scanner
from egovkit.edxml._tree import Walker
from egovkit.edxml.attachments import (
    CallbackSink,
    DirectorySink,
    MemorySink,
    PayloadSink,
    Writable,
)
from egovkit.edxml.limits import DEFAULT_LIMITS, Limits
from egovkit.edxml.model import Message
from egovkit.errors import EgovkitError, ParseError, UnsafeInputError, ValidationError
from egovkit.findings import Finding, errors_in

#: What :func:`read` accepts: bytes, a path, or a binary file open for reading.
Source = bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes]
#: Where decoded attachments go: a directory, a sink, or a factory of writable streams.
AttachmentTarget = str | os.PathLike[str] | PayloadSink | Callable[[int], Writable]

_Element = Any  # lxml's _Element; kept loose because lxml-stubs and iterparse disagree
_NS_PREFIX: Final = "{" + w.NS + "}"


@attrs.frozen(kw_only=True)
class ReadResult:
    """A message and what the reader noticed about it."""

    message: Message
    findings: tuple[Finding, ...] = ()

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings of error severity."""
        return errors_in(self.findings)

    @property
    def ok(self) -> bool:
        """True when no finding is of error severity."""
        return not self.errors


def read(
    source: Source,
    *,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    attachments_to: AttachmentTarget | None = None,
) -> ReadResult:
    """Read one edXML message (an envelope or a status message).

    ``source`` is bytes, a path or a binary file. Attachments are decoded while reading, into
    memory that spills to temporary files by default, or into ``attachments_to`` (a directory,
    a :class:`~egovkit.edxml.attachments.PayloadSink`, or a callable giving a writable binary
    stream per payload index). With ``strict=True`` the message is also checked against the
    shipped schema, and one :class:`~egovkit.errors.ValidationError` lists every error finding.
    """
    sink = _sink(attachments_to, limits)
    with _Opened(source) as stream:
        tree, scanner = _parse(stream, sink, limits)
    walker = Walker(scanner=scanner, sink=sink, limits=limits)
    try:
        message = walker.message(tree)
    except BaseException:
        walker.discard_unclaimed()
        raise
    findings = walker.findings
    if strict:
        from egovkit.edxml.schema import schema_findings

        findings.extend(schema_findings(tree))
        if errors_in(findings):
            raise ValidationError.from_findings("edXML message", findings)
    return ReadResult(message=message, findings=tuple(findings))


def _sink(target: AttachmentTarget | None, limits: Limits) -> PayloadSink:
    if target is None:
        return MemorySink(limits.memory_payload_bytes)
    if isinstance(target, (str, os.PathLike)):
        return DirectorySink(target)
    if isinstance(target, (MemorySink, DirectorySink, CallbackSink)) or hasattr(target, "begin"):
        return target  # type: ignore[return-value]
    return CallbackSink(target)


class _Opened:
    """A context manager giving a binary stream for any accepted source."""

    def __init__(self, source: Source) -> None:
        self._source = source
        self._owned: IO[bytes] | None = None

    def __enter__(self) -> IO[bytes]:
        source = self._source
        if isinstance(source, (bytes, bytearray, memoryview)):
            return io.BytesIO(source)
        if isinstance(source, (str, os.PathLike)):
            try:
                self._owned = Path(source).open("rb")
            except OSError as exc:
                raise ParseError(
                    f"cannot read edXML from {os.fspath(source)!r}: {exc.strerror}",
                    code="io.read",
                    where=os.fspath(source),
                ) from exc
            return self._owned
        if hasattr(source, "read"):
            return source
        raise ParseError(
            f"cannot read edXML from a {type(source).__name__}", code="edxml.source", where=""
        )

    def __exit__(self, *_: object) -> None:
        if self._owned is not None:
            self._owned.close()


def _parse(stream: IO[bytes], sink: PayloadSink, limits: Limits) -> tuple[_Element, Scanner]:
    parser = safe_parser(remove_comments=True, remove_pis=True)
    tags = 0
    max_elements = limits.max_elements
    # Pieces not counted yet: each "<" takes a byte, so while at most ``max_elements`` bytes
    # were fed the limit cannot be passed and counting waits (small messages are never
    # counted); what waits is bounded by the limit itself. Pieces are counted one by one, as fed.
    waiting: list[bytes] | None = []
    waiting_bytes = 0

    def feed(data: bytes) -> None:
        # Every element, comment or instruction opens with "<" and no end tag does without "/":
        # counting in C bounds the tree before lxml builds it.
        nonlocal tags, waiting, waiting_bytes
        if waiting is None:
            tags += data.count(b"<") - data.count(b"</")
        else:
            waiting.append(data)
            waiting_bytes += len(data)
            if waiting_bytes > max_elements:
                for piece in waiting:
                    tags += piece.count(b"<") - piece.count(b"</")
                waiting = None
        if tags > max_elements:
            raise UnsafeInputError(
                f"more than {max_elements} elements", code="edxml.limits.elements"
            )
        try:
            parser.feed(data)
        except etree.XMLSyntaxError as exc:
            raise _syntax_error(exc) from exc

    scanner = Scanner(feed=feed, sink=sink, limits=limits)
    try:
        scanner.run(stream)
        try:
            root = parser.close()
        except etree.XMLSyntaxError as exc:
            raise _syntax_error(exc) from exc
    except BaseException:
        for payload in scanner.payloads:
            sink.discard(payload.index, payload.stream)
        raise
    if root.getroottree().docinfo.internalDTD is not None:
        raise UnsafeInputError(
            "document type declarations are refused", code="edxml.unsafe.doctype"
        )
    if _deeper_than(limits.max_depth)(root):
        for payload in scanner.payloads:
            sink.discard(payload.index, payload.stream)
        raise UnsafeInputError(
            f"elements nest deeper than {limits.max_depth} levels", code="edxml.limits.depth"
        )
    tag = str(root.tag)
    if tag != _NS_PREFIX + "edXML":
        for payload in scanner.payloads:
            sink.discard(payload.index, payload.stream)
        raise _namespace_error(tag)
    return root, scanner


@lru_cache(maxsize=8)
def _deeper_than(depth: int) -> etree.XPath:
    """An XPath that is true when some element sits deeper than ``depth`` levels (libxml2 itself
    stops at 256, so the tree it gives is never deeper than that)."""
    return etree.XPath("boolean(/" + "*/" * depth + "*)")


def _syntax_error(exc: etree.XMLSyntaxError) -> EgovkitError:
    text = str(exc)
    line, column = exc.position
    where = f"line {line}, column {column}"
    lowered = text.lower()
    if "excessive depth" in lowered:
        return UnsafeInputError(f"elements nest too deep: {text}", code="edxml.limits.depth")
    if "amplification" in lowered or "entity reference loop" in lowered:
        return UnsafeInputError(f"entity expansion refused: {text}", code="edxml.unsafe.entity")
    if "huge" in lowered or "too long" in lowered:
        return UnsafeInputError(f"oversized text refused: {text}", code="edxml.limits.text_size")
    if "utf-8" in lowered or "encoding" in lowered:
        return ParseError(f"not valid UTF-8: {text}", code="edxml.encoding", where=where)
    return ParseError(f"not well-formed XML: {text}", code="edxml.syntax", where=where)


def _namespace_error(tag: str) -> ParseError:
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if namespace == w.BKAV_NS:
        hint = "the older Bkav e-doc schema, not QCVN 102:2016"
    elif local == "edXML":
        hint = f"namespace {namespace or '(none)'!r}, expected {w.NS!r}"
    else:
        hint = f"root element {local!r} in namespace {namespace or '(none)'!r}"
    return ParseError(
        f"not an edXML (QCVN 102:2016) message: {hint}", code="edxml.namespace", where="/"
    )


__all__ = ["AttachmentTarget", "ReadResult", "Source", "read"]
