"""Between a :class:`~egovkit.documents.model.Document` and an edXML
:class:`~egovkit.edxml.model.Envelope`, both ways.

Outgoing: a document from the outgoing register (văn bản đi) becomes an envelope. A secret
document (Mật, Tối mật, Tuyệt mật) never does: such documents are handled on machines off the
network, and there is no override. Incoming: an envelope becomes a document for the incoming
register (văn bản đến), with findings for whatever could not be mapped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from egovkit.documents.marks import Urgency
from egovkit.documents.model import AgencyRef, Competence, Direction, Document, Signer
from egovkit.documents.model import Attachment as DocumentAttachment
from egovkit.documents.numbers import DocumentNumber
from egovkit.documents.types import DocumentType
from egovkit.edxml.dates import format_date
from egovkit.edxml.model import (
    Attachment,
    Business,
    BusinessType,
    DocumentCode,
    DocumentTypeInfo,
    Envelope,
    MessageHeader,
    Organization,
    OtherInfo,
    Promulgation,
    SignerInfo,
    StaffInfo,
    TraceHeader,
)
from egovkit.errors import EgovkitError, PolicyError, ValidationError
from egovkit.findings import Finding, Severity

_URGENCY_PRIORITY = {None: 0, Urgency.URGENT: 1, Urgency.VERY_URGENT: 2, Urgency.FLASH: 3}


def document_id(document: Document) -> str:
    """``<OrganId>,<yyyy/MM/dd>,<number>/<notation>``, the axis' identifier of a document."""
    problems = []
    if document.issuer is None or document.issuer.code is None:
        problems.append("issuer.code")
    if document.issued_on is None:
        problems.append("issued_on")
    if document.number is None:
        problems.append("number")
    if problems:
        raise ValidationError(
            f"a document id needs {', '.join(problems)}",
            code="edxml.mapping.document_id",
            where=problems[0],
        )
    assert document.issuer is not None
    assert document.issued_on is not None
    return f"{document.issuer.code},{format_date(document.issued_on)},{document.number}"


def envelope_from_document(
    document: Document,
    *,
    attachments: Iterable[Attachment] = (),
    sender: Organization | None = None,
    staff: StaffInfo | None = None,
    sent_at: dt.datetime | None = None,
) -> Envelope:
    """The envelope that sends ``document`` (a new document, business type 0).

    ``sender`` adds contact details to the issuer; ``attachments`` carry the files (build them
    with :meth:`~egovkit.edxml.attachments.AttachmentContent.from_path`, optionally wrapped with
    :func:`egovkit.edxml.zipwrap.wrap`). Raises :class:`~egovkit.errors.PolicyError` for a secret
    document and :class:`~egovkit.errors.ValidationError` listing every missing part.
    """
    if document.is_secret:
        assert document.secrecy is not None
        raise PolicyError(
            f"a secret document ({document.secrecy.label}) is never sent electronically; "
            "văn bản mật is handled off the network",
            code="edxml.policy.secret",
            where="secrecy",
        )
    findings = _outgoing_problems(document)
    if findings:
        raise ValidationError.from_findings("document to send as edXML", findings)
    assert document.issuer is not None
    assert document.number is not None
    issuer = document.issuer
    base = sender or Organization()
    from_ = attrs.evolve(
        base,
        code=issuer.code,
        name=base.name or issuer.name,
        in_charge=base.in_charge or issuer.name,
    )
    number = document.number
    notation = f"{number.year}/{number.notation}" if number.year else number.notation
    files = tuple(attachments)
    identifier = document_id(document)
    header = MessageHeader(
        sender=from_,
        recipients=[
            Organization(code=r.code, name=r.name, in_charge=r.name) for r in document.recipients
        ],
        document_id=identifier,
        code=DocumentCode(number=f"{number.number:02d}", notation=notation),
        promulgation=Promulgation(place=document.place or "", date=document.issued_on),
        document_type=DocumentTypeInfo(
            type_code=str(_type_number(document.type)),
            detail="0",
            name=document.type.name.split(" (", 1)[0],
        ),
        subject=document.subject or "",
        content=document.content,
        signer=_signer_info(document.signer),
        due_date=document.due_date,
        to_places=[r.name for r in document.recipients],
        other_info=OtherInfo(priority=_URGENCY_PRIORITY[document.urgency]),
    )
    stamp = sent_at or dt.datetime.now(dt.UTC)
    return Envelope(
        header=header,
        traces=[TraceHeader(code=issuer.code, timestamp=stamp)],
        business=Business(
            document_id=identifier,
            business_type=BusinessType.NEW,
            reason="Văn bản điện tử mới",
            paper="0",
            staff=staff,
        ),
        manifest=[a.reference() for a in files],
        attachments=files,
    )


def _outgoing_problems(document: Document) -> list[Finding]:
    found: list[Finding] = []

    def missing(where: str, what: str) -> None:
        found.append(Finding(code="edxml.mapping.missing", where=where, message=what))

    if document.issuer is None or document.issuer.code is None:
        missing("issuer.code", "the issuer's agency code (mã định danh) is needed to send")
    if document.number is None:
        missing("number", "a number and notation (số, ký hiệu) is needed to send")
    if document.issued_on is None:
        missing("issued_on", "the date of the document is needed to send")
    if not document.recipients:
        missing("recipients", "at least one recipient is needed to send")
    for index, recipient in enumerate(document.recipients):
        if recipient.code is None:
            missing(f"recipients[{index}].code", f"recipient {recipient.name!r} has no agency code")
    return found


def _type_number(document_type: DocumentType) -> int:
    """Position in the Decree 30 table (vendors disagree on ``Type``; ``TypeName`` decides)."""
    return DocumentType.all().index(document_type) + 1


def _signer_info(signer: Signer | None) -> SignerInfo | None:
    if signer is None:
        return None
    competence = ""
    if signer.competence is not None:
        head = (signer.on_behalf_of or signer.position).upper()
        competence = f"{signer.competence.value} {head}"
    return SignerInfo(competence=competence, position=signer.position, full_name=signer.full_name)


def document_from_envelope(envelope: Envelope) -> tuple[Document, tuple[Finding, ...]]:
    """The incoming document (văn bản đến) an envelope carries, and what could not be mapped.

    Attachments whose content was read become document attachments (name, type, size, SHA-256).
    """
    header = envelope.header
    found: list[Finding] = []

    def note(code: str, where: str, text: str, severity: Severity = Severity.WARNING) -> None:
        found.append(Finding(code=code, where=where, message=text, severity=severity))

    document_type = DocumentType.get("official_letter")
    if header.document_type.name:
        try:
            document_type = DocumentType.from_name(header.document_type.name)
        except EgovkitError:
            note(
                "edxml.mapping.type",
                "header.document_type.name",
                f"unknown type {header.document_type.name!r}; read as Công văn",
            )
    number: DocumentNumber | None = None
    if header.code.number:
        try:
            number = DocumentNumber.parse(f"{header.code.number}/{header.code.notation}")
        except EgovkitError as exc:
            note("edxml.mapping.number", "header.code", exc.message, Severity.ERROR)
    urgency = None
    priority = header.other_info.priority if header.other_info else None
    for mark, value in _URGENCY_PRIORITY.items():
        if value and value == priority:
            urgency = mark
    attachments: list[DocumentAttachment] = []
    for index, attachment in enumerate(envelope.attachments):
        if attachment.content is None:
            continue
        try:
            attachments.append(
                DocumentAttachment(
                    name=attachment.name or attachment.content_id,
                    media_type=attachment.content_type or "application/octet-stream",
                    size=attachment.content.size,
                    sha256=attachment.content.sha256,
                )
            )
        except EgovkitError as exc:
            note("edxml.mapping.attachment", f"attachments[{index}]", exc.message)
    document = Document(
        direction=Direction.INCOMING,
        type=document_type,
        issuer=_agency(header.sender),
        number=number,
        place=header.promulgation.place or None,
        issued_on=header.promulgation.date,
        subject=header.subject or None,
        content=header.content,
        signer=_signer(header.signer),
        recipients=[_agency(r) for r in header.recipients],
        urgency=urgency,
        due_date=header.due_date,
        attachments=attachments,
    )
    return document, tuple(found)


def _agency(organization: Organization) -> AgencyRef:
    return AgencyRef(name=organization.name or organization.in_charge, code=organization.code)


def _signer(info: SignerInfo | None) -> Signer | None:
    if info is None or not (info.full_name or info.position):
        return None
    competence: Competence | None = None
    on_behalf_of: str | None = None
    head, _, rest = info.competence.partition(" ")
    if head:
        try:
            competence = Competence.from_text(head)
            on_behalf_of = rest or None
        except ValueError:
            competence = None
    if on_behalf_of is not None and on_behalf_of.upper() == info.position.upper():
        on_behalf_of = None
    return Signer(
        full_name=info.full_name,
        position=info.position,
        competence=competence,
        on_behalf_of=on_behalf_of,
    )


__all__ = ["document_from_envelope", "document_id", "envelope_from_document"]
