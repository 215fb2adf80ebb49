"""edXML (QCVN 102:2016/BTTTT): read, write and check envelopes and status messages.

Every electronic document between Vietnamese agencies travels as an edXML envelope
(thông điệp công văn điện tử), and every receipt comes back as a status message
(thông điệp trạng thái). :func:`~egovkit.edxml.reader.read` is lenient and safe;
:func:`~egovkit.edxml.writer.write` is exact.

>>> from egovkit.edxml import StatusCode
>>> StatusCode.from_wire("03").meaning
'accepted and entered in the incoming register (vào sổ văn bản đến)'
"""

from typing import TYPE_CHECKING, Any

from egovkit.edxml.attachments import (
    AttachmentContent,
    CallbackSink,
    DirectorySink,
    MemorySink,
    PayloadSink,
    Writable,
)
from egovkit.edxml.limits import DEFAULT_LIMITS, Limits
from egovkit.edxml.model import (
    VIETNAM_TIME,
    Attachment,
    Business,
    BusinessType,
    DocumentCode,
    DocumentTypeInfo,
    Envelope,
    ManifestReference,
    Message,
    MessageHeader,
    Organization,
    OtherInfo,
    Promulgation,
    Receiver,
    Replacement,
    ResponseFor,
    SignatureBlock,
    SignerInfo,
    StaffInfo,
    StatusCode,
    StatusMessage,
    TraceHeader,
    UpdateInfo,
)
from egovkit.edxml.reader import AttachmentTarget, ReadResult, Source, read
from egovkit.edxml.writer import SupportsWrite, check_writable, manifest_for, write

if TYPE_CHECKING:
    from egovkit.edxml.mapping import (
        document_from_envelope,
        document_id,
        envelope_from_document,
    )

# The mapping to documents pulls in egovkit.documents (Decree 30 rules, registers): loaded on
# first use, so reading and writing edXML alone stays quick to import.
_MAPPING = frozenset({"document_from_envelope", "document_id", "envelope_from_document"})


def __getattr__(name: str) -> Any:
    if name in _MAPPING:
        from egovkit.edxml import mapping

        return getattr(mapping, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_LIMITS",
    "VIETNAM_TIME",
    "Attachment",
    "AttachmentContent",
    "AttachmentTarget",
    "Business",
    "BusinessType",
    "CallbackSink",
    "DirectorySink",
    "DocumentCode",
    "DocumentTypeInfo",
    "Envelope",
    "Limits",
    "ManifestReference",
    "MemorySink",
    "Message",
    "MessageHeader",
    "Organization",
    "OtherInfo",
    "PayloadSink",
    "Promulgation",
    "ReadResult",
    "Receiver",
    "Replacement",
    "ResponseFor",
    "SignatureBlock",
    "SignerInfo",
    "Source",
    "StaffInfo",
    "StatusCode",
    "StatusMessage",
    "SupportsWrite",
    "TraceHeader",
    "UpdateInfo",
    "Writable",
    "check_writable",
    "document_from_envelope",
    "document_id",
    "envelope_from_document",
    "manifest_for",
    "read",
    "write",
]
