"""Write edXML exactly: ``edXML:`` prefix on every envelope element, UTF-8, a fixed order.

What the writer emits is what the national axis accepts: every child of the envelope carries the
``edXML:`` prefix (the national .NET validator rejects others), ``AttachmentEncoded`` stays
unprefixed as in real messages, agency codes are written in the 13-character shape only, and
dates as ``yyyy/MM/dd``. Attachments are base64-encoded in chunks straight from their source,
so a large file never sits in memory. A message that cannot be written exactly (a missing agency
code, an impossible date kept from a lenient read, a SHA-1 signature) is refused.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, overload

from egovkit.agencies.codes import AgencyCode
from egovkit.edxml import _wire as w
from egovkit.edxml.attachments import encode_to
from egovkit.edxml.dates import format_date, format_timestamp
from egovkit.edxml.model import (
    Attachment,
    Business,
    Envelope,
    ManifestReference,
    Message,
    MessageHeader,
    Organization,
    OtherInfo,
    ResponseFor,
    StaffInfo,
    StatusMessage,
)
from egovkit.errors import PolicyError, StorageError, ValidationError
from egovkit.findings import Finding

_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_INDENT = "  "
#: XLink, for ``xlink:href`` on manifest references (:func:`write` with ``xlink_href=True``).
XLINK_NS = "http://www.w3.org/1999/xlink"


class SupportsWrite(Protocol):
    """Anything with ``write(bytes)``: an open binary file, a socket wrapper, an upload stream."""

    def write(self, data: bytes, /) -> object:
        """Write ``data``."""


@overload
def write(message: Message, target: None = None, *, xlink_href: bool = False) -> bytes: ...
@overload
def write(
    message: Message,
    target: str | os.PathLike[str] | SupportsWrite,
    *,
    xlink_href: bool = False,
) -> None: ...


def write(
    message: Message,
    target: str | os.PathLike[str] | SupportsWrite | None = None,
    *,
    xlink_href: bool = False,
) -> bytes | None:
    """Serialise ``message``: to bytes (no ``target``), a path (written atomically) or a stream.

    ``xlink_href=True`` also writes each manifest reference's ContentId as an
    ``xlink:href="cid:…"`` attribute (with ``xlink:type="simple"``), as the VPCP .NET SDK does;
    receivers built on that SDK's shape find attachments by it (see
    :doc:`/explanation/edxml`). Readers that follow QCVN 102 use the ``ContentId`` element,
    which is always written.

    Raises :class:`~egovkit.errors.ValidationError` listing everything that keeps the message from
    being written exactly, and :class:`~egovkit.errors.PolicyError` for a SHA-1 signature.
    """
    check_writable(message)
    emit = functools.partial(_emit, xlink_href=xlink_href)
    if target is None:
        buffer = io.BytesIO()
        emit(message, buffer.write)
        return buffer.getvalue()
    if isinstance(target, (str, os.PathLike)):
        path = Path(target)
        try:
            handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed or removed below
                dir=path.parent, prefix=f".{path.name}.", delete=False
            )
        except OSError as exc:
            raise StorageError(
                f"cannot write {path}: {exc.strerror}", code="edxml.write.io", where=str(path)
            ) from exc
        try:
            with handle:
                emit(message, handle.write)
            Path(handle.name).replace(path)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
        return None
    emit(message, target.write)
    return None


def problems(message: Message) -> list[Finding]:
    """Everything that keeps ``message`` from being written exactly (empty when writable)."""
    found: list[Finding] = []

    def add(code: str, where: str, text: str) -> None:
        found.append(Finding(code=f"edxml.write.{code}", where=where, message=text))

    def agency(code: AgencyCode | None, text: str, where: str, *, required: bool) -> None:
        if code is None and (required or text):
            add(
                "agency_code",
                where,
                f"agency code {text!r} cannot be written" if text else "an agency code is required",
            )

    def date(value: object, text: str, where: str) -> None:
        if value is None and text:
            add("date", where, f"{text!r} is not a date and cannot be written")

    if isinstance(message, StatusMessage):
        agency(message.sender.code, message.sender.code_text, "sender.code", required=True)
        if not message.status:
            add("status", "status", "a status message needs a status code")
        agency(
            message.response_for.code,
            message.response_for.code_text,
            "response_for.code",
            required=True,
        )
        date(
            message.response_for.promulgation_date,
            message.response_for.promulgation_date_text,
            "response_for.promulgation_date",
        )
        date(message.timestamp, message.timestamp_text, "timestamp")
        if message.timestamp is None:
            add("timestamp", "timestamp", "a status message needs a timestamp")
        return found

    header = message.header
    agency(header.sender.code, header.sender.code_text, "header.sender.code", required=True)
    if not header.recipients:
        add("recipients", "header.recipients", "an envelope needs at least one recipient (To)")
    for index, recipient in enumerate(header.recipients):
        agency(
            recipient.code, recipient.code_text, f"header.recipients[{index}].code", required=True
        )
    if not header.document_id:
        add("document_id", "header.document_id", "an envelope needs a DocumentId")
    date(header.promulgation.date, header.promulgation.date_text, "header.promulgation.date")
    if header.promulgation.date is None and not header.promulgation.date_text:
        add("date", "header.promulgation.date", "an envelope needs the date of the document")
    if not header.subject:
        add("subject", "header.subject", "an envelope needs a subject (trích yếu)")
    date(header.due_date, header.due_date_text, "header.due_date")
    if header.response_for is not None:
        agency(
            header.response_for.code,
            header.response_for.code_text,
            "header.response_for.code",
            required=True,
        )
        date(
            header.response_for.promulgation_date,
            header.response_for.promulgation_date_text,
            "header.response_for.promulgation_date",
        )
    for index, trace in enumerate(message.traces):
        agency(trace.code, trace.code_text, f"traces[{index}].code", required=True)
        date(trace.timestamp, trace.timestamp_text, f"traces[{index}].timestamp")
    if message.business is not None:
        if message.business.business_type is None:
            add(
                "business_type",
                "business.business_type",
                f"business type {message.business.type_text!r} cannot be written",
            )
        if message.business.update is not None:
            for index, receiver in enumerate(message.business.update.receivers):
                agency(
                    receiver.code,
                    receiver.code_text,
                    f"business.update.receivers[{index}].code",
                    required=True,
                )
        for index, replacement in enumerate(message.business.replacements):
            if not replacement.document_id:
                add(
                    "document_id",
                    f"business.replacements[{index}].document_id",
                    "a replaced document needs its DocumentId",
                )
    announced = [r.content_id for r in message.manifest]
    present = [a.content_id for a in message.attachments]
    for name, ids in (("manifest", announced), ("attachments", present)):
        for content_id in sorted({c for c in ids if ids.count(c) > 1}):
            add("duplicate_content_id", name, f"ContentId {content_id!r} is used twice")
        if any(not c for c in ids):
            add("content_id", name, "every attachment needs a ContentId")
    for content_id in sorted(set(announced) - set(present)):
        add(
            "missing_content",
            "attachments",
            f"the manifest announces {content_id!r} but no attachment has it",
        )
    for content_id in sorted(set(present) - set(announced)):
        add("extra_content", "manifest", f"attachment {content_id!r} is not in the manifest")
    for index, attachment in enumerate(message.attachments):
        if attachment.content is None:
            add(
                "attachment_content",
                f"attachments[{index}].content",
                f"attachment {attachment.content_id!r} has no content",
            )
    return found


def check_writable(message: Message) -> None:
    """Raise unless ``message`` can be written exactly; see :func:`problems`."""
    signature = message.signature if isinstance(message, Envelope) else None
    if signature is not None and signature.uses_sha1:
        raise PolicyError(
            "the signature uses SHA-1; egovkit does not emit SHA-1 signatures (re-sign the "
            "message or drop the signature)",
            code="edxml.policy.sha1",
            where="signature",
        )
    found = problems(message)
    if found:
        raise ValidationError.from_findings("edXML message to write", found)


def manifest_for(
    attachments: tuple[Attachment, ...] | list[Attachment],
) -> tuple[ManifestReference, ...]:
    """The manifest lines that announce ``attachments``, in order."""
    return tuple(a.reference() for a in attachments)


# -- emission ----------------------------------------------------------------------------------


def _escape(text: str, where: str) -> str:
    bad = _INVALID_XML.search(text)
    if bad is not None:
        raise ValidationError(
            f"character U+{ord(bad.group()):04X} cannot appear in XML 1.0 ({where})",
            code="edxml.write.character",
            where=where,
        )
    return text.translate(_ESCAPES)


class _Lines:
    """Indented lines of prefixed elements."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def open(self, depth: int, name: str, extra: str = "", *, prefix: bool = True) -> None:
        tag = f"{w.PREFIX}:{name}" if prefix else name
        self.parts.append(f"{_INDENT * depth}<{tag}{extra}>\n")

    def close(self, depth: int, name: str, *, prefix: bool = True) -> None:
        tag = f"{w.PREFIX}:{name}" if prefix else name
        self.parts.append(f"{_INDENT * depth}</{tag}>\n")

    def leaf(
        self, depth: int, name: str, value: str, *, prefix: bool = True, always: bool = False
    ) -> None:
        if not value and not always:
            return
        tag = f"{w.PREFIX}:{name}" if prefix else name
        self.parts.append(f"{_INDENT * depth}<{tag}>{_escape(value, name)}</{tag}>\n")

    def table(self, depth: int, record: object, table: tuple[tuple[str, str], ...]) -> None:
        for name, attribute in table:
            self.leaf(depth, name, getattr(record, attribute))

    def text(self) -> str:
        return "".join(self.parts)


def _code(code: AgencyCode | None) -> str:
    return str(code) if code is not None else ""


def _date(value: dt.date | None) -> str:
    return format_date(value) if value is not None else ""


def _stamp(value: dt.datetime | None) -> str:
    return format_timestamp(value) if value is not None else ""


def _organization(out: _Lines, depth: int, name: str, organization: Organization) -> None:
    out.open(depth, name)
    out.leaf(depth + 1, "OrganId", _code(organization.code))
    out.table(depth + 1, organization, w.ORGANIZATION)
    out.close(depth, name)


def _staff(out: _Lines, depth: int, staff: StaffInfo | None) -> None:
    if staff is not None:
        out.open(depth, "StaffInfo")
        out.table(depth + 1, staff, w.STAFF)
        out.close(depth, "StaffInfo")


def _response_for(out: _Lines, depth: int, response: ResponseFor | None) -> None:
    if response is None:
        return
    out.open(depth, "ResponseFor")
    out.leaf(depth + 1, "OrganId", _code(response.code))
    out.leaf(depth + 1, "Code", response.document_code)
    out.leaf(depth + 1, "PromulgationDate", _date(response.promulgation_date))
    out.leaf(depth + 1, "DocumentId", response.document_id)
    out.close(depth, "ResponseFor")


def _other_info(out: _Lines, depth: int, other: OtherInfo | None) -> None:
    if other is None:
        return
    out.open(depth, "OtherInfo")
    inner = depth + 1
    out.leaf(inner, "Priority", "" if other.priority is None else str(other.priority))
    out.leaf(inner, "SphereOfPromulgation", other.sphere_of_promulgation)
    out.leaf(inner, "TyperNotation", other.typer_notation)
    amount = other.promulgation_amount
    out.leaf(inner, "PromulgationAmount", "" if amount is None else str(amount))
    out.leaf(inner, "PageAmount", "" if other.page_amount is None else str(other.page_amount))
    direction = "" if other.direction is None else str(other.direction).lower()
    out.leaf(inner, "Direction", direction)
    if other.appendixes:
        out.open(inner, "Appendixes")
        for appendix in other.appendixes:
            out.leaf(inner + 1, "Appendix", appendix, always=True)
        out.close(inner, "Appendixes")
    out.close(depth, "OtherInfo")


def _message_header(out: _Lines, depth: int, header: MessageHeader) -> None:
    out.open(depth, "MessageHeader")
    inner = depth + 1
    _organization(out, inner, "From", header.sender)
    for recipient in header.recipients:
        _organization(out, inner, "To", recipient)
    out.leaf(inner, "DocumentId", header.document_id)
    out.open(inner, "Code")
    out.table(inner + 1, header.code, w.CODE)
    out.close(inner, "Code")
    out.open(inner, "PromulgationInfo")
    out.leaf(inner + 1, "Place", header.promulgation.place)
    out.leaf(inner + 1, "PromulgationDate", _date(header.promulgation.date))
    out.close(inner, "PromulgationInfo")
    out.open(inner, "DocumentType")
    out.table(inner + 1, header.document_type, w.DOCUMENT_TYPE)
    out.close(inner, "DocumentType")
    out.leaf(inner, "Subject", header.subject)
    out.leaf(inner, "Content", header.content)
    if header.signer is not None:
        out.open(inner, "SignerInfo")
        out.table(inner + 1, header.signer, w.SIGNER)
        out.close(inner, "SignerInfo")
    out.leaf(inner, "DueDate", _date(header.due_date))
    if header.to_places:
        out.open(inner, "ToPlaces")
        for place in header.to_places:
            out.leaf(inner + 1, "Place", place, always=True)
        out.close(inner, "ToPlaces")
    _other_info(out, inner, header.other_info)
    out.leaf(inner, "SteeringType", header.steering_type)
    _response_for(out, inner, header.response_for)
    out.close(depth, "MessageHeader")


def _business(out: _Lines, depth: int, business: Business) -> None:
    out.open(depth, "Bussiness")
    inner = depth + 1
    out.leaf(inner, "DocumentId", business.document_id)
    kind = business.business_type
    out.leaf(inner, "BussinessDocType", "" if kind is None else str(kind.value))
    out.leaf(inner, "BussinessDocReason", business.reason)
    out.leaf(inner, "Paper", business.paper)
    _staff(out, inner, business.staff)
    if business.update is not None:
        update = business.update
        out.open(inner, "BussinessDocumentInfo")
        out.leaf(inner + 1, "DocumentInfo", update.document_info)
        out.leaf(inner + 1, "DocumentReceiver", update.document_receiver)
        if update.receivers:
            out.open(inner + 1, "ReceiverList")
            for receiver in update.receivers:
                out.open(inner + 2, "Receiver")
                out.leaf(inner + 3, "OrganId", _code(receiver.code))
                out.leaf(inner + 3, "ReceiverType", receiver.receiver_type)
                out.close(inner + 2, "Receiver")
            out.close(inner + 1, "ReceiverList")
        out.close(inner, "BussinessDocumentInfo")
    if business.replacements:
        out.open(inner, "ReplacementInfoList")
        for replacement in business.replacements:
            out.open(inner + 1, "ReplacementInfo")
            out.leaf(inner + 2, "DocumentId", replacement.document_id)
            out.open(inner + 2, "OrganIdList")
            for code in replacement.codes:
                out.leaf(inner + 3, "OrganId", str(code))
            out.close(inner + 2, "OrganIdList")
            out.close(inner + 1, "ReplacementInfo")
        out.close(inner, "ReplacementInfoList")
    out.close(depth, "Bussiness")


def _href(content_id: str) -> str:
    """The ``xlink`` attributes of a manifest reference (the ContentId as a ``cid:`` URI)."""
    uri = content_id if content_id.lower().startswith("cid:") else f"cid:{content_id}"
    value = _escape(uri, "ContentId").replace('"', "&quot;")
    return f' xmlns:xlink="{XLINK_NS}" xlink:href="{value}" xlink:type="simple"'


def _head(message: Message, *, xlink_href: bool = False) -> str:
    out = _Lines()
    out.parts.append('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.parts.append(f'<edXML xmlns="{w.NS}">\n')
    out.open(1, "edXMLEnvelope", f' xmlns:{w.PREFIX}="{w.NS}"')
    out.open(2, "edXMLHeader")
    if isinstance(message, StatusMessage):
        out.open(3, "MessageHeader")
        _organization(out, 4, "From", message.sender)
        _response_for(out, 4, message.response_for)
        _staff(out, 4, message.staff)
        out.leaf(4, "StatusCode", message.status)
        out.leaf(4, "Description", message.description)
        out.leaf(4, "Timestamp", _stamp(message.timestamp))
        out.close(3, "MessageHeader")
        out.close(2, "edXMLHeader")
        out.close(1, "edXMLEnvelope")
        return out.text()
    _message_header(out, 3, message.header)
    if message.traces or message.business is not None:
        out.open(3, "TraceHeaderList")
        for trace in message.traces:
            out.open(4, "TraceHeader")
            out.leaf(5, "OrganId", _code(trace.code))
            out.leaf(5, "Timestamp", _stamp(trace.timestamp))
            out.close(4, "TraceHeader")
        if message.business is not None:
            _business(out, 4, message.business)
        out.close(3, "TraceHeaderList")
    if message.signature is not None:
        out.parts.append(f"{_INDENT * 3}{message.signature.xml}\n")
    out.close(2, "edXMLHeader")
    out.open(2, "edXMLBody")
    out.open(3, "edXMLManifest", ' version="1.0"')
    for reference in message.manifest:
        out.open(4, "Reference", _href(reference.content_id) if xlink_href else "")
        out.table(5, reference, w.MANIFEST_REFERENCE)
        out.close(4, "Reference")
    out.close(3, "edXMLManifest")
    out.close(2, "edXMLBody")
    out.close(1, "edXMLEnvelope")
    return out.text()


def _emit(message: Message, write: Callable[[bytes], object], *, xlink_href: bool = False) -> None:
    write(_head(message, xlink_href=xlink_href).encode("utf-8"))
    if isinstance(message, Envelope) and message.attachments:
        write(b"  <AttachmentEncoded>\n")
        for attachment in message.attachments:
            out = _Lines()
            out.open(2, "Attachment", prefix=False)
            for name, attribute in w.ATTACHMENT:
                out.leaf(3, name, getattr(attachment, attribute), prefix=False)
            out.parts.append(f'{_INDENT * 3}<{w.PREFIX}:{w.PAYLOAD} xmlns:{w.PREFIX}="{w.NS}">')
            write(out.text().encode("utf-8"))
            assert attachment.content is not None  # checked by problems()
            encode_to(attachment.content, write)
            tail = _Lines()
            tail.parts.append(f"</{w.PREFIX}:{w.PAYLOAD}>\n")
            tail.close(2, "Attachment", prefix=False)
            write(tail.text().encode("utf-8"))
        write(b"  </AttachmentEncoded>\n")
    write(b"</edXML>\n")


__all__ = ["XLINK_NS", "SupportsWrite", "check_writable", "manifest_for", "problems", "write"]
