"""The edXML message model (QCVN 102:2016/BTTTT), in English names.

Envelopes (thông điệp công văn điện tử) and status messages (thông điệp trạng thái) are frozen
values. Wire names (``MessageHeader``, ``Bussiness`` …) live only in the reader and the writer.
A lenient read keeps what it could not understand as text next to the parsed value (for example
``code_text`` next to ``code``); that raw text is provenance and takes no part in equality.
"""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import attrs

from egovkit.agencies.codes import AgencyCode
from egovkit.edxml.attachments import AttachmentContent
from egovkit.text import nfc

_normalize = unicodedata.normalize
_T = TypeVar("_T")

#: Vietnam time (UTC+07:00): edXML timestamps carry no zone and mean this one.
VIETNAM_TIME = dt.timezone(dt.timedelta(hours=7), "ICT")


def _text(value: str | None) -> str:
    """:func:`egovkit.text.clean`, inlined: it runs for every short field the reader fills."""
    if not value:
        return ""
    if not value.isascii():  # ASCII is already NFC: only the spaces need folding
        value = _normalize("NFC", value)
    return " ".join(value.split())


def _long_text(value: str | None) -> str:
    return nfc(value) if value else ""


def _texts(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(_text(v) for v in values)


def _timestamp(value: dt.datetime | None) -> dt.datetime | None:
    """Naive timestamps mean Vietnam time; everything is kept to whole seconds."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=VIETNAM_TIME)
    return value.astimezone(VIETNAM_TIME).replace(microsecond=0)


@attrs.frozen(kw_only=True)
class Organization:
    """An agency as a header names it (From, To): code (mã định danh), names and contacts.

    ``code`` is ``None`` when the message carried no readable code; ``code_text`` keeps what was
    written (e.g. the legacy ``28.22.H17``).
    """

    code: AgencyCode | None = None
    code_text: str = attrs.field(default="", converter=_text, eq=False, repr=False)
    in_charge: str = attrs.field(default="", converter=_text)
    name: str = attrs.field(default="", converter=_text)
    address: str = attrs.field(default="", converter=_text)
    email: str = attrs.field(default="", converter=_text)
    telephone: str = attrs.field(default="", converter=_text)
    fax: str = attrs.field(default="", converter=_text)
    website: str = attrs.field(default="", converter=_text)


def _trusted(cls: type[_T]) -> Callable[..., _T]:
    """A constructor for the reader only: every field by keyword, each value already in its
    converted form, so no converter runs. Public construction keeps converting."""
    fields = attrs.fields(cls)  # type: ignore[arg-type]
    if any(field.validator for field in fields) or hasattr(cls, "__attrs_post_init__"):
        raise TypeError(f"{cls.__name__} checks its values: it needs its public constructor")
    names = [field.name for field in fields]
    source = "\n".join(
        [f"def make(*, {', '.join(names)}):", "    self = _new(cls)"]
        + [f"    _set(self, {name!r}, {name})" for name in names]
        + ["    return self"]
    )
    namespace: dict[str, Any] = {"_new": object.__new__, "_set": object.__setattr__, "cls": cls}
    exec(source, namespace)  # noqa: S102 - built from the class's own field names
    make: Callable[..., _T] = namespace["make"]
    return make


#: :class:`Organization` from converted values (see :func:`_trusted`); for the reader only.
_new_organization = _trusted(Organization)


@attrs.frozen(kw_only=True)
class DocumentCode:
    """Số, ký hiệu as two wire fields: number (``7816``) and notation (``VPCP-TTĐT``).

    Kept as text: real messages carry numbers such as ``74fass22``.
    """

    number: str = attrs.field(default="", converter=_text)
    notation: str = attrs.field(default="", converter=_text)

    def __str__(self) -> str:
        return f"{self.number}/{self.notation}" if self.notation else self.number


@attrs.frozen(kw_only=True)
class Promulgation:
    """Place and date of issue (địa danh, ngày ban hành)."""

    place: str = attrs.field(default="", converter=_text)
    date: dt.date | None = None
    date_text: str = attrs.field(default="", converter=_text, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class DocumentTypeInfo:
    """Loại văn bản as sent. ``type_code`` differs between vendors; ``name`` is the reliable one."""

    type_code: str = attrs.field(default="", converter=_text)
    detail: str = attrs.field(default="", converter=_text)
    name: str = attrs.field(default="", converter=_text)


@attrs.frozen(kw_only=True)
class SignerInfo:
    """Người ký: competence line (``TL. BỘ TRƯỞNG``), position and full name."""

    competence: str = attrs.field(default="", converter=_text)
    position: str = attrs.field(default="", converter=_text)
    full_name: str = attrs.field(default="", converter=_text)


@attrs.frozen(kw_only=True)
class OtherInfo:
    """Thông tin khác: priority (độ khẩn), sphere, typist, copies, pages, direction, appendixes."""

    priority: int | None = None
    sphere_of_promulgation: str = attrs.field(default="", converter=_text)
    typer_notation: str = attrs.field(default="", converter=_text)
    promulgation_amount: int | None = None
    page_amount: int | None = None
    direction: bool | None = None
    appendixes: tuple[str, ...] = attrs.field(default=(), converter=_texts)


@attrs.frozen(kw_only=True)
class ResponseFor:
    """The document a message answers (văn bản được phản hồi)."""

    code: AgencyCode | None = None
    code_text: str = attrs.field(default="", converter=_text, eq=False, repr=False)
    document_code: str = attrs.field(default="", converter=_text)
    promulgation_date: dt.date | None = None
    promulgation_date_text: str = attrs.field(default="", converter=_text, eq=False, repr=False)
    document_id: str = attrs.field(default="", converter=_text)


def _organizations(values: Iterable[Organization]) -> tuple[Organization, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class MessageHeader:
    """The document's metadata in an envelope (MessageHeader of QCVN 102)."""

    sender: Organization
    recipients: tuple[Organization, ...] = attrs.field(default=(), converter=_organizations)
    document_id: str = attrs.field(default="", converter=_text)
    code: DocumentCode = attrs.field(factory=DocumentCode)
    promulgation: Promulgation = attrs.field(factory=Promulgation)
    document_type: DocumentTypeInfo = attrs.field(factory=DocumentTypeInfo)
    subject: str = attrs.field(default="", converter=_text)
    content: str = attrs.field(default="", converter=_long_text)
    signer: SignerInfo | None = None
    due_date: dt.date | None = None
    due_date_text: str = attrs.field(default="", converter=_text, eq=False, repr=False)
    to_places: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    other_info: OtherInfo | None = None
    steering_type: str = attrs.field(default="", converter=_text)
    response_for: ResponseFor | None = None


@attrs.frozen(kw_only=True)
class TraceHeader:
    """One hop of the message's route: the agency and when it passed the message on."""

    code: AgencyCode | None = None
    code_text: str = attrs.field(default="", converter=_text, eq=False, repr=False)
    timestamp: dt.datetime | None = attrs.field(default=None, converter=_timestamp)
    timestamp_text: str = attrs.field(default="", converter=_text, eq=False, repr=False)


class BusinessType(enum.Enum):
    """BussinessDocType: why the envelope was sent."""

    NEW = 0  # văn bản mới
    REVOKE = 1  # thu hồi
    UPDATE = 2  # cập nhật
    REPLACE = 3  # thay thế

    @property
    def label(self) -> str:
        """The lower-case English name printed by the CLI (``"new"``, ``"revoke"`` …)."""
        return self.name.lower()


@attrs.frozen(kw_only=True)
class StaffInfo:
    """The clerk (văn thư) who handled the message: unit, name, e-mail and mobile."""

    department: str = attrs.field(default="", converter=_text)
    staff: str = attrs.field(default="", converter=_text)
    email: str = attrs.field(default="", converter=_text)
    mobile: str = attrs.field(default="", converter=_text)


@attrs.frozen(kw_only=True)
class Receiver:
    """A recipient named in an update (type 2): agency and receiver type."""

    code: AgencyCode | None = None
    code_text: str = attrs.field(default="", converter=_text, eq=False, repr=False)
    receiver_type: str = attrs.field(default="", converter=_text)


def _receivers(values: Iterable[Receiver]) -> tuple[Receiver, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class UpdateInfo:
    """What an update (cập nhật, type 2) changes: document info, receiver text, receivers."""

    document_info: str = attrs.field(default="", converter=_text)
    document_receiver: str = attrs.field(default="", converter=_text)
    receivers: tuple[Receiver, ...] = attrs.field(default=(), converter=_receivers)


def _codes(values: Iterable[AgencyCode]) -> tuple[AgencyCode, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class Replacement:
    """One replaced document (thay thế, type 3) and the agencies that received it."""

    document_id: str = attrs.field(default="", converter=_text)
    codes: tuple[AgencyCode, ...] = attrs.field(default=(), converter=_codes)


def _replacements(values: Iterable[Replacement]) -> tuple[Replacement, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class Business:
    """Nghiệp vụ (``Bussiness`` on the wire): new, revoke, update or replace, with its extras.

    ``business_type`` is ``None`` when the message carried an unknown type; ``type_text`` keeps it.
    """

    document_id: str = attrs.field(default="", converter=_text)
    business_type: BusinessType | None = BusinessType.NEW
    type_text: str = attrs.field(default="", converter=_text, eq=False, repr=False)
    reason: str = attrs.field(default="", converter=_text)
    paper: str = attrs.field(default="", converter=_text)
    staff: StaffInfo | None = None
    update: UpdateInfo | None = None
    replacements: tuple[Replacement, ...] = attrs.field(default=(), converter=_replacements)


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class SignatureBlock:
    """The XML-DSig signature a sender put in the header, kept as the XML it was read as.

    ``xml`` is the element in exclusive canonical form (exc-C14N), so it does not depend on the
    namespaces declared around it. Verification belongs to the signatures module; here only the
    algorithms are noted, so a reader can report SHA-1 (weak) and a writer can refuse to emit it.
    """

    xml: str
    signature_method: str = ""
    digest_methods: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    @property
    def uses_sha1(self) -> bool:
        """True when the signature or one of its digests relies on SHA-1."""
        methods = (self.signature_method, *self.digest_methods)
        return any(m.endswith(("sha1", "#rsa-sha1", "#dsa-sha1")) for m in methods)


@attrs.frozen(kw_only=True)
class ManifestReference:
    """A manifest line (``Reference``): which attachment belongs to the message."""

    content_id: str = attrs.field(converter=_text)
    content_type: str = attrs.field(default="", converter=_text)
    description: str = attrs.field(default="", converter=_text)
    attachment_name: str = attrs.field(default="", converter=_text)


@attrs.frozen(kw_only=True)
class Attachment:
    """An attached file (tệp đính kèm): identity, names and its decoded content.

    ``content`` is ``None`` when a lenient read could not decode the payload (a finding says why).
    With the national axis the content is usually a ZIP holding the file
    (``content_type="application/zip"``); see :mod:`egovkit.edxml.zipwrap`.
    """

    content_id: str = attrs.field(converter=_text)
    name: str = attrs.field(default="", converter=_text)
    description: str = attrs.field(default="", converter=_text)
    content_type: str = attrs.field(default="application/octet-stream", converter=_text)
    content: AttachmentContent | None = None

    def reference(self) -> ManifestReference:
        """The manifest line that announces this attachment."""
        return ManifestReference(
            content_id=self.content_id,
            content_type=self.content_type,
            description=self.description,
            attachment_name=self.name,
        )


def _traces(values: Iterable[TraceHeader]) -> tuple[TraceHeader, ...]:
    return tuple(values)


def _references(values: Iterable[ManifestReference]) -> tuple[ManifestReference, ...]:
    return tuple(values)


def _attachments(values: Iterable[Attachment]) -> tuple[Attachment, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class Envelope:
    """Thông điệp công văn điện tử: header, route, business block, signature, manifest, files."""

    header: MessageHeader
    traces: tuple[TraceHeader, ...] = attrs.field(default=(), converter=_traces)
    business: Business | None = None
    signature: SignatureBlock | None = None
    manifest: tuple[ManifestReference, ...] = attrs.field(default=(), converter=_references)
    attachments: tuple[Attachment, ...] = attrs.field(default=(), converter=_attachments)

    @property
    def kind(self) -> str:
        """``"edoc"``, as the exchange axis calls an envelope."""
        return "edoc"


class StatusCode(enum.Enum):
    """Status codes of an acknowledgement (thông điệp trạng thái), with their meanings."""

    def __init__(self, wire: str, meaning: str) -> None:
        self.wire = wire
        self.meaning = meaning

    ARRIVED = ("01", "arrived; the clerk has not handled it yet (đã đến, văn thư chưa xử lý)")
    REFUSED = ("02", "the clerk refused the electronic document (từ chối tiếp nhận)")
    REGISTERED = ("03", "accepted and entered in the incoming register (vào sổ văn bản đến)")
    ASSIGNED = ("04", "a leader assigned its handling (phân công xử lý)")
    IN_PROGRESS = ("05", "being processed (đang xử lý)")
    COMPLETED = ("06", "handling completed (hoàn thành)")
    RECALL_REQUESTED = ("13", "the clerk asks to take the document back (đề nghị lấy lại)")
    REQUEST_ACCEPTED = ("15", "the clerk agrees to the update or recall request (đồng ý)")
    REQUEST_REFUSED = ("16", "the clerk refuses the update or recall request (từ chối)")

    @classmethod
    def from_wire(cls, text: str) -> StatusCode | None:
        """The code written as ``"03"`` (or ``"3"``), or None when it is not a known code."""
        wanted = text.strip()
        if wanted.isdigit() and len(wanted) <= 2:
            wanted = wanted.zfill(2)
        for member in cls:
            if member.wire == wanted:
                return member
        return None


@attrs.frozen(kw_only=True)
class StatusMessage:
    """Thông điệp trạng thái: an answer about a document received (no body, no files).

    ``status`` keeps the code as written; :attr:`status_code` is the known code, if any.
    """

    sender: Organization
    response_for: ResponseFor
    status: str = attrs.field(converter=_text)
    staff: StaffInfo | None = None
    description: str = attrs.field(default="", converter=_text)
    timestamp: dt.datetime | None = attrs.field(default=None, converter=_timestamp)
    timestamp_text: str = attrs.field(default="", converter=_text, eq=False, repr=False)

    @property
    def status_code(self) -> StatusCode | None:
        """The known status code, or None for a code QCVN 102 practice does not define."""
        return StatusCode.from_wire(self.status)

    @property
    def kind(self) -> str:
        """``"status"``, as the exchange axis calls an acknowledgement."""
        return "status"


#: Either kind of edXML message.
Message = Envelope | StatusMessage

__all__ = [
    "VIETNAM_TIME",
    "Attachment",
    "Business",
    "BusinessType",
    "DocumentCode",
    "DocumentTypeInfo",
    "Envelope",
    "ManifestReference",
    "Message",
    "MessageHeader",
    "Organization",
    "OtherInfo",
    "Promulgation",
    "Receiver",
    "Replacement",
    "ResponseFor",
    "SignatureBlock",
    "SignerInfo",
    "StaffInfo",
    "StatusCode",
    "StatusMessage",
    "TraceHeader",
    "UpdateInfo",
]
