"""egovkit's own JSON form of a :class:`~egovkit.documents.Document` (for files, the CLI, APIs).

This is not a government wire format (edXML lives in :mod:`egovkit.edxml`); it is a plain,
stable, English-keyed mapping. ``document_from_dict(document_to_dict(d)) == d`` for every
document, and bad input raises a :class:`~egovkit.errors.ParseError` naming the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from egovkit.agencies.codes import AgencyCode
from egovkit.documents.marks import Secrecy, Urgency
from egovkit.documents.model import (
    AgencyRef,
    Attachment,
    Competence,
    Direction,
    Document,
    Signer,
)
from egovkit.documents.numbers import DocumentNumber
from egovkit.documents.types import DocumentType
from egovkit.errors import EgovkitError, ParseError

T = TypeVar("T")


def document_to_dict(document: Document) -> dict[str, Any]:
    """A JSON-ready mapping; absent optional parts are ``None``."""
    return {
        "direction": document.direction.value,
        "type": document.type.key,
        "issuer": _agency_to_dict(document.issuer) if document.issuer else None,
        "number": str(document.number) if document.number else None,
        "place": document.place,
        "issued_on": document.issued_on.isoformat() if document.issued_on else None,
        "subject": document.subject,
        "content": document.content,
        "signer": _signer_to_dict(document.signer) if document.signer else None,
        "recipients": [_agency_to_dict(r) for r in document.recipients],
        "urgency": document.urgency.name if document.urgency else None,
        "secrecy": document.secrecy.name if document.secrecy else None,
        "due_date": document.due_date.isoformat() if document.due_date else None,
        "attachments": [
            {"name": a.name, "media_type": a.media_type, "size": a.size, "sha256": a.sha256}
            for a in document.attachments
        ],
    }


def document_from_dict(data: object) -> Document:
    """Read the mapping :func:`document_to_dict` writes; every error names its field."""
    record = _mapping(data, "document")
    try:
        return Document(
            direction=_required(record, "direction", lambda v: Direction(_str(v))),
            type=_required(record, "type", lambda v: DocumentType.get(_str(v))),
            issuer=_field(record, "issuer", lambda v: _agency_from(v, "issuer")),
            number=_field(record, "number", lambda v: DocumentNumber.parse(_str(v))),
            place=_field(record, "place", _str),
            issued_on=_field(record, "issued_on", _date),
            subject=_field(record, "subject", _str),
            content=_field(record, "content", _str) or "",
            signer=_field(record, "signer", _signer_from),
            recipients=tuple(
                _agency_from(item, f"recipients[{i}]")
                for i, item in enumerate(_field(record, "recipients", _list) or [])
            ),
            urgency=_field(record, "urgency", lambda v: Urgency[_str(v)]),
            secrecy=_field(record, "secrecy", lambda v: Secrecy[_str(v)]),
            due_date=_field(record, "due_date", _date),
            attachments=tuple(
                _attachment_from(item, f"attachments[{i}]")
                for i, item in enumerate(_field(record, "attachments", _list) or [])
            ),
        )
    except EgovkitError as exc:
        if isinstance(exc, ParseError):
            raise
        raise ParseError(exc.message, code=exc.code, where=exc.where) from exc


def _agency_to_dict(agency: AgencyRef) -> dict[str, Any]:
    return {"name": agency.name, "code": str(agency.code) if agency.code else None}


def _signer_to_dict(signer: Signer) -> dict[str, Any]:
    return {
        "full_name": signer.full_name,
        "position": signer.position,
        "competence": signer.competence.value if signer.competence else None,
        "on_behalf_of": signer.on_behalf_of,
    }


def _required(record: Mapping[str, Any], key: str, read: Callable[[Any], T]) -> T:
    value = _field(record, key, read)
    if value is None:
        raise ParseError(f"{key} is required", code="document_json.missing", where=key)
    return value


def _field(record: Mapping[str, Any], key: str, read: Callable[[Any], T]) -> T | None:
    value = record.get(key)
    if value is None:
        return None
    try:
        return read(value)
    except ParseError as exc:
        raise ParseError(exc.message, code=exc.code, where=_join(key, exc.where)) from exc
    except (EgovkitError, ValueError, KeyError, TypeError) as exc:
        message = exc.message if isinstance(exc, EgovkitError) else f"{value!r} is not valid"
        raise ParseError(f"{key}: {message}", code="document_json.value", where=key) from exc


def _join(key: str, inner: str) -> str:
    return key if not inner or inner.startswith(key) else f"{key}.{inner}"


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ParseError(f"{where} must be an object", code="document_json.type", where=where)
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("not a list")
    return value


def _date(value: object) -> dt.date:
    return dt.date.fromisoformat(_str(value))


def _agency_from(value: object, where: str) -> AgencyRef:
    record = _mapping(value, where)
    code = record.get("code")
    return AgencyRef(
        name=_str(record.get("name")),
        code=AgencyCode.parse(_str(code)) if code is not None else None,
    )


def _signer_from(value: object) -> Signer:
    record = _mapping(value, "signer")
    competence = record.get("competence")
    on_behalf_of = record.get("on_behalf_of")
    return Signer(
        full_name=_str(record.get("full_name")),
        position=_str(record.get("position")),
        competence=Competence(_str(competence)) if competence is not None else None,
        on_behalf_of=_str(on_behalf_of) if on_behalf_of is not None else None,
    )


def _attachment_from(value: object, where: str) -> Attachment:
    record = _mapping(value, where)
    size = record.get("size")
    if isinstance(size, bool) or not isinstance(size, int):
        raise ParseError(
            f"{where}.size must be a whole number",
            code="document_json.value",
            where=f"{where}.size",
        )
    return Attachment(
        name=_str(record.get("name")),
        media_type=_str(record.get("media_type")),
        size=size,
        sha256=_str(record.get("sha256")),
    )
