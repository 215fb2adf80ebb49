"""The administrative document (văn bản hành chính) and its parts, after Decree 30/2020 Art. 8.

A :class:`Document` is a frozen value: build it with whatever parts you have (a record read
from an old system may lack some), then :func:`~egovkit.documents.validation.validate` lists
every missing or malformed required part at once. Text is normalised to Unicode NFC when the
value is built.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable

import attrs

from egovkit.agencies.codes import AgencyCode
from egovkit.documents.marks import Secrecy, Urgency
from egovkit.documents.numbers import DocumentNumber
from egovkit.documents.types import DocumentType
from egovkit.errors import ValidationError
from egovkit.text import clean, nfc

_SHA256 = re.compile(r"[0-9a-f]{64}")
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")


class Direction(enum.Enum):
    """Whether the register is the outgoing (văn bản đi) or incoming (văn bản đến) one."""

    OUTGOING = "outgoing"
    INCOMING = "incoming"


class Competence(enum.Enum):
    """Thẩm quyền ký: how the signer signs for the agency or its head (Phụ lục I, II)."""

    ON_BEHALF_OF_COLLECTIVE = "TM."  # thay mặt (tập thể)
    DEPUTY = "KT."  # ký thay
    BY_ORDER = "TL."  # thừa lệnh
    AUTHORISED = "TUQ."  # thừa ủy quyền
    ACTING = "Q."  # quyền

    @classmethod
    def from_text(cls, text: str) -> Competence:
        """Read ``"KT"``, ``"KT."`` or ``"kt."``."""
        wanted = text.strip().upper().rstrip(".") + "."
        return cls(wanted)


def _whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _lower_stripped(value: str) -> str:
    return value.strip().lower()


def _optional_clean(value: str | None) -> str | None:
    return (clean(value) or None) if value is not None else None


@attrs.frozen(kw_only=True)
class AgencyRef:
    """An agency as a document names it: its code when known, and its name as written."""

    name: str = attrs.field(converter=clean)
    code: AgencyCode | None = None


@attrs.frozen(kw_only=True)
class Signer:
    """Người ký: competence (TM./KT./…), position (chức vụ) and full name."""

    full_name: str = attrs.field(converter=clean)
    position: str = attrs.field(converter=clean)
    competence: Competence | None = None
    on_behalf_of: str | None = attrs.field(default=None, converter=_optional_clean)

    def signature_block(self) -> str:
        """The lines above the signature: ``"KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH"``."""
        if self.competence is None:
            return self.position.upper()
        head = self.on_behalf_of or self.position
        return f"{self.competence.value} {head.upper()}\n{self.position.upper()}"


@attrs.frozen(kw_only=True)
class Attachment:
    """A file that travels with the document: name, media type, size and SHA-256 digest."""

    name: str = attrs.field(converter=clean)
    media_type: str = attrs.field(converter=_lower_stripped)
    size: int
    sha256: str = attrs.field(converter=_lower_stripped)

    def __attrs_post_init__(self) -> None:
        problems = []
        if not self.name or "/" in self.name or "\\" in self.name or self.name in {".", ".."}:
            problems.append(("name", f"attachment name {self.name!r} must be a plain file name"))
        if not _MEDIA_TYPE.fullmatch(self.media_type):
            problems.append(("media_type", f"{self.media_type!r} is not a media type"))
        if not _whole_number(self.size) or self.size < 0:
            problems.append(("size", f"size {self.size!r} must be a whole number of bytes"))
        if not _SHA256.fullmatch(self.sha256):
            problems.append(("sha256", "sha256 must be 64 hexadecimal digits"))
        if problems:
            where, message = problems[0]
            raise ValidationError(message, code=f"attachment.{where}", where=f"attachment.{where}")


def _recipients(value: Iterable[AgencyRef]) -> tuple[AgencyRef, ...]:
    return tuple(value)


def _attachments(value: Iterable[Attachment]) -> tuple[Attachment, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Document:
    """Văn bản hành chính: the parts of Art. 8 of Decree 30/2020.

    ``issued_on`` is the date of the document (ngày tháng năm ban hành); ``place`` its place name
    (địa danh). Required parts may be ``None`` here so that incomplete records can still be
    represented; :func:`~egovkit.documents.validation.validate` reports them. Change one with
    ``attrs.evolve(document, subject=...)``.
    """

    direction: Direction
    type: DocumentType
    issuer: AgencyRef | None = None
    number: DocumentNumber | None = None
    place: str | None = attrs.field(default=None, converter=_optional_clean)
    issued_on: dt.date | None = None
    subject: str | None = attrs.field(default=None, converter=_optional_clean)
    content: str = attrs.field(default="", converter=nfc)
    signer: Signer | None = None
    recipients: tuple[AgencyRef, ...] = attrs.field(default=(), converter=_recipients)
    urgency: Urgency | None = None
    secrecy: Secrecy | None = None
    due_date: dt.date | None = None
    attachments: tuple[Attachment, ...] = attrs.field(default=(), converter=_attachments)

    @property
    def is_secret(self) -> bool:
        """True for any secrecy mark: such documents never travel electronically."""
        return self.secrecy is not None
