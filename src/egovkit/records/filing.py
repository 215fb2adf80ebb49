"""Filing a document into a case file: from a register line (văn bản đi / đến) or a stored
document, with the metadata of Decree 30/2020 Appendix VI Part II taken from the document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from egovkit.documents.model import Attachment, Direction, Document
from egovkit.documents.registers import RegisterEntry
from egovkit.records.casefile import CaseFile, DocumentRef, FiledDocument, SourceKind


def entry_ref(entry: RegisterEntry) -> DocumentRef:
    """The reference of a register line: its register's counter and its number."""
    key = f"{entry.register.sequence(entry.year, secret=entry.secret)}/{entry.number}"
    return DocumentRef(kind=SourceKind.REGISTER_ENTRY, key=key)


def filed_document(
    document: Document,
    source: DocumentRef,
    *,
    page_amount: int,
    attachments: Iterable[Attachment] | None = None,
    language: str = "Tiếng Việt",
    description: str = "",
    arrival_number: int | None = None,
    arrival_date: dt.date | None = None,
    filed_on: dt.date | None = None,
) -> FiledDocument:
    """``document`` as a filed document (its ordinal is given when it is filed).

    ``attachments`` defaults to the document's own electronic files; ``page_amount`` is the
    PageAmount of Appendix VI (the model of a document has no page count)."""
    number = document.number
    signer = document.signer
    return FiledDocument(
        ordinal=0,
        source=source,
        type_name=document.type.name,
        subject=document.subject or "",
        code_number="" if number is None else f"{number.number:02d}",
        code_notation="" if number is None else number.notation,
        issued_on=document.issued_on,
        organ_name="" if document.issuer is None else document.issuer.name,
        signer_position="" if signer is None else signer.position,
        signer_name="" if signer is None else signer.full_name,
        language=language,
        page_amount=page_amount,
        description=description,
        incoming=document.direction is Direction.INCOMING,
        arrival_number=arrival_number,
        arrival_date=arrival_date,
        secret=document.is_secret,
        attachments=tuple(document.attachments if attachments is None else attachments),
        filed_on=filed_on,
    )


def file_entry(
    case: CaseFile,
    entry: RegisterEntry,
    *,
    page_amount: int,
    attachments: Iterable[Attachment] | None = None,
    filed_on: dt.date | None = None,
) -> CaseFile:
    """``case`` with the document of register line ``entry`` filed last (an incoming line gives
    its arrival number and day: ArrivalNumber, ArrivalDate of Appendix VI Part II §II)."""
    incoming = entry.register.direction is Direction.INCOMING
    doc = filed_document(
        entry.document,
        entry_ref(entry),
        page_amount=page_amount,
        attachments=attachments,
        arrival_number=entry.number if incoming else None,
        arrival_date=entry.registered_on if incoming else None,
        filed_on=filed_on,
    )
    return case.file(doc)


def file_document(
    case: CaseFile,
    document: Document,
    *,
    key: str,
    page_amount: int,
    attachments: Iterable[Attachment] | None = None,
    filed_on: dt.date | None = None,
) -> CaseFile:
    """``case`` with the stored document ``key`` (a DocumentRepository key) filed last."""
    doc = filed_document(
        document,
        DocumentRef(kind=SourceKind.DOCUMENT, key=key),
        page_amount=page_amount,
        attachments=attachments,
        filed_on=filed_on,
    )
    return case.file(doc)


__all__ = ["entry_ref", "file_document", "file_entry", "filed_document"]
