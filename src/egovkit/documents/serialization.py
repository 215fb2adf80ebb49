"""egovkit's own JSON form of a :class:`~egovkit.documents.model.Document`.

Used for files, the CLI and APIs.

This is not a government wire format (edXML has its own module); it is a plain,
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
            recipients=_field(record, "recipients", _each(_agency_from)) or (),
            urgency=_field(record, "urgency", lambda v: Urgency[_str(v)]),
            secrecy=_field(record, "secrecy", lambda v: Secrecy[_str(v)]),
            due_date=_field(record, "due_date", _date),
            attachments=_field(record, "attachments", _each(_attachment_from)) or (),
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
    if not inner or inner.startswith(key):
        return inner or key
    return f"{key}{inner}" if inner.startswith("[") else f"{key}.{inner}"


def _each(read: Callable[[object, str], T]) -> Callable[[object], tuple[T, ...]]:
    """Read every item of a list with ``read(item, "[index]")``."""

    def read_all(value: object) -> tuple[T, ...]:
        items = []
        for index, item in enumerate(_list(value)):
            try:
                items.append(read(item, f"[{index}]"))
            except (EgovkitError, TypeError, ValueError) as exc:
                message = exc.message if isinstance(exc, EgovkitError) else str(exc)
                raise ParseError(
                    f"item {index}: {message}", code="document_json.value", where=f"[{index}]"
                ) from exc
        return tuple(items)

    return read_all


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ParseError(f"{where} must be an object", code="document_json.type", where=where)
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {type(value).__name__}")
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
