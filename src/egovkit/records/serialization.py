"""Case files as JSON-ready mappings (the store's records and the transfer package's data)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from egovkit.documents.model import Attachment
from egovkit.records._shapes import shaped
from egovkit.records.casefile import CaseFile, DocumentRef, FiledDocument, FileState, SourceKind
from egovkit.records.codes import FileCode
from egovkit.records.retention import Retention


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _read_day(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def attachment_to_dict(attachment: Attachment) -> dict[str, Any]:
    """An electronic file's name, media type, size and SHA-256."""
    return {
        "name": attachment.name,
        "media_type": attachment.media_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }


def attachment_from_dict(data: Mapping[str, Any]) -> Attachment:
    """Read :func:`attachment_to_dict` output."""
    return Attachment(
        name=data["name"], media_type=data["media_type"], size=data["size"], sha256=data["sha256"]
    )


def document_to_dict(doc: FiledDocument) -> dict[str, Any]:
    """A filed document as plain values."""
    return {
        "ordinal": doc.ordinal,
        "source": {"kind": doc.source.kind.value, "key": doc.source.key},
        "type_name": doc.type_name,
        "subject": doc.subject,
        "code_number": doc.code_number,
        "code_notation": doc.code_notation,
        "issued_on": _day(doc.issued_on),
        "organ_name": doc.organ_name,
        "signer_position": doc.signer_position,
        "signer_name": doc.signer_name,
        "language": doc.language,
        "page_amount": doc.page_amount,
        "description": doc.description,
        "incoming": doc.incoming,
        "arrival_number": doc.arrival_number,
        "arrival_date": _day(doc.arrival_date),
        "secret": doc.secret,
        "attachments": [attachment_to_dict(a) for a in doc.attachments],
        "filed_on": _day(doc.filed_on),
    }


def document_from_dict(data: Mapping[str, Any]) -> FiledDocument:
    """Read :func:`document_to_dict` output."""
    source = data["source"]
    return FiledDocument(
        ordinal=int(data["ordinal"]),
        source=DocumentRef(kind=SourceKind(source["kind"]), key=str(source["key"])),
        type_name=data["type_name"],
        subject=data["subject"],
        code_number=data.get("code_number", ""),
        code_notation=data.get("code_notation", ""),
        issued_on=_read_day(data.get("issued_on")),
        organ_name=data.get("organ_name", ""),
        signer_position=data.get("signer_position", ""),
        signer_name=data.get("signer_name", ""),
        language=data.get("language", "Tiếng Việt"),
        page_amount=int(data.get("page_amount", 0)),
        description=data.get("description", ""),
        incoming=bool(data.get("incoming", False)),
        arrival_number=data.get("arrival_number"),
        arrival_date=_read_day(data.get("arrival_date")),
        secret=bool(data.get("secret", False)),
        attachments=[attachment_from_dict(a) for a in data.get("attachments", [])],
        filed_on=_read_day(data.get("filed_on")),
    )


def case_file_to_dict(case: CaseFile) -> dict[str, Any]:
    """A case file as plain values; the ``year``, ``unit``, ``state`` and ``retention_years``
    keys are also what the SQL stores query on."""
    return {
        "code": str(case.code),
        "agency": str(case.code.agency),
        "year": case.code.year,
        "notation": case.code.notation,
        "title": case.title,
        "retention": case.retention.to_json(),
        "retention_years": case.retention.years,
        "unit": case.unit,
        "creator": case.creator,
        "start_date": case.start_date.isoformat(),
        "end_date": _day(case.end_date),
        "state": case.state.value,
        "documents": [document_to_dict(d) for d in case.documents],
        "sources": sorted({str(d.source) for d in case.documents}),
        "rights": case.rights,
        "language": case.language,
        "description": case.description,
        "construction": case.construction,
        "settled_on": _day(case.settled_on),
        "kept_until": _day(case.kept_until),
        "seal": case.seal,
        "transferred_on": _day(case.transferred_on),
        "transfer_ref": case.transfer_ref,
    }


def case_file_from_dict(data: Mapping[str, Any]) -> CaseFile:
    """Read :func:`case_file_to_dict` output; a wrong shape raises ValidationError."""
    with shaped("case file", code="records.case_file_shape", where="case_file"):
        return CaseFile(
            code=FileCode.parse(data["code"]),
            title=data["title"],
            retention=Retention.parse(data["retention"]),
            unit=data.get("unit", ""),
            creator=data.get("creator", ""),
            start_date=dt.date.fromisoformat(data["start_date"]),
            end_date=_read_day(data.get("end_date")),
            state=FileState(data.get("state", "open")),
            documents=[document_from_dict(d) for d in data.get("documents", [])],
            rights=data.get("rights", "Công khai"),
            language=data.get("language", "Tiếng Việt"),
            description=data.get("description", ""),
            construction=bool(data.get("construction", False)),
            settled_on=_read_day(data.get("settled_on")),
            kept_until=_read_day(data.get("kept_until")),
            seal=data.get("seal"),
            transferred_on=_read_day(data.get("transferred_on")),
            transfer_ref=data.get("transfer_ref", ""),
        )


__all__ = [
    "attachment_from_dict",
    "attachment_to_dict",
    "case_file_from_dict",
    "case_file_to_dict",
    "document_from_dict",
    "document_to_dict",
]
