"""Between egovkit's values and the JSON of the iOffice-like REST contract (``openapi.yaml``).

Vendors' systems differ; the contract fixes one JSON shape, and :class:`IofficeMapping` is the
one place that knows it. A vendor whose API differs subclasses the mapping and overrides the
methods that differ (``document_to_json``, ``instruction_from_json`` …), then passes an instance
to :class:`~egovkit_ioffice.client.IofficeClient`. Every ``*_from_json`` treats its input as
hostile: wrong types and malformed values raise :class:`~egovkit.errors.ParseError` naming the
field; nothing else escapes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any, Final

from egovkit.agencies.codes import AgencyCode
from egovkit.documents.model import AgencyRef, Document
from egovkit.documents.serialization import document_from_dict, document_to_dict
from egovkit.errors import EgovkitError, ParseError, PolicyError, UnsafeInputError
from egovkit.exchange.ports import Delivery, MessageKind, StatusEntry
from egovkit_ioffice.model import Instruction, ProcessingStatus, ProcessingUpdate

#: Nesting accepted in one JSON answer.
MAX_DEPTH: Final = 32
_CAMEL = re.compile(r"_([a-z])")
_SNAKE = re.compile(r"([A-Z])")


def _camel(name: str) -> str:
    return _CAMEL.sub(lambda m: m.group(1).upper(), name)


def _snake(name: str) -> str:
    return _SNAKE.sub(lambda m: "_" + m.group(1).lower(), name)


def _rename(value: Any, rename: Any) -> Any:
    if isinstance(value, dict):
        return {rename(k): _rename(v, rename) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, rename) for v in value]
    return value


def read_json(raw: bytes) -> Any:
    """Parse hostile JSON: UTF-8 only, no duplicate keys, no NaN, bounded nesting."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                raise UnsafeInputError(f"duplicate JSON key {key!r}", code="ioffice.json.key")
            result[key] = value
        return result

    def constant(name: str) -> Any:
        raise ParseError(f"{name} is not JSON", code="ioffice.json.constant", where="")

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError("not UTF-8", code="ioffice.json.encoding", where="") from exc
    try:
        value = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except RecursionError as exc:
        raise UnsafeInputError("JSON nested too deep", code="ioffice.json.depth") from exc
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"not JSON: {exc.msg}", code="ioffice.json.syntax", where="", position=exc.pos
        ) from exc
    if _depth(value) > MAX_DEPTH:
        raise UnsafeInputError(f"JSON nested deeper than {MAX_DEPTH}", code="ioffice.json.depth")
    return value


def _depth(value: Any) -> int:
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest


def _object(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ParseError("expected a JSON object", code="ioffice.json.shape", where=where)
    return value


def _text(data: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise ParseError(f"{key!r} must be text", code="ioffice.json.field", where=f"{where}.{key}")
    return value


def _list(data: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ParseError(
            f"{key!r} must be a list", code="ioffice.json.field", where=f"{where}.{key}"
        )
    return value


def _time(text: str, where: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ParseError(
            f"{text!r} is not an ISO time", code="ioffice.json.time", where=where
        ) from exc
    if value.tzinfo is None:
        raise ParseError("times must carry a zone", code="ioffice.json.time", where=where)
    return value


def _date(text: str, where: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ParseError(
            f"{text!r} is not an ISO date", code="ioffice.json.date", where=where
        ) from exc


def _code(text: str, where: str) -> AgencyCode | None:
    if not text:
        return None
    try:
        return AgencyCode.parse(text)
    except EgovkitError as exc:
        raise ParseError(exc.message, code="ioffice.json.agency", where=where) from exc


class IofficeMapping:
    """The JSON of the contract; subclass and override what your system does differently."""

    # -- documents ----------------------------------------------------------------------------

    def document_to_json(self, document: Document) -> dict[str, Any]:
        """A document as the contract's ``Document`` schema (camelCase keys).

        Raises :class:`~egovkit.errors.PolicyError` for a secret document: it never leaves.
        """
        if document.is_secret:
            raise PolicyError(
                "a secret document (văn bản mật) is never pushed to another system",
                code="ioffice.policy.secret",
                where="secrecy",
            )
        data = document_to_dict(document)
        del data["secrecy"]
        converted: dict[str, Any] = _rename(data, _camel)
        return converted

    def document_from_json(self, data: object) -> Document:
        """Read the contract's ``Document``; a document marked secret is refused."""
        record = dict(_object(data, "document"))
        if record.get("secrecy") is not None:
            raise PolicyError(
                "a secret document arrived through a REST contract that never carries one",
                code="ioffice.policy.secret",
                where="document.secrecy",
            )
        record["secrecy"] = None
        return document_from_dict(_rename(record, _snake))

    # -- processing and directions -------------------------------------------------------------

    def processing_to_json(self, update: ProcessingUpdate) -> dict[str, Any]:
        """A ``ProcessingUpdate``."""
        return {
            "status": update.status.value,
            "at": update.at.isoformat() if update.at else None,
            "by": update.by,
            "note": update.note,
        }

    def processing_from_json(self, data: object) -> ProcessingUpdate:
        """Read a ``ProcessingUpdate``."""
        record = _object(data, "processing")
        status = _text(record, "status", "processing", required=True)
        try:
            kind = ProcessingStatus(status)
        except ValueError as exc:
            raise ParseError(
                f"unknown processing status {status!r}",
                code="ioffice.json.status",
                where="processing.status",
            ) from exc
        return ProcessingUpdate(
            status=kind,
            at=_time(_text(record, "at", "processing"), "processing.at"),
            by=_text(record, "by", "processing"),
            note=_text(record, "note", "processing"),
        )

    def _unit_to_json(self, unit: AgencyRef) -> dict[str, Any]:
        return {"code": str(unit.code) if unit.code else None, "name": unit.name}

    def _unit_from_json(self, data: object, where: str) -> AgencyRef:
        record = _object(data, where)
        return AgencyRef(
            name=_text(record, "name", where, required=True),
            code=_code(_text(record, "code", where), f"{where}.code"),
        )

    def instruction_to_json(self, instruction: Instruction) -> dict[str, Any]:
        """An ``Instruction`` (ý kiến chỉ đạo)."""
        return {
            "lead": self._unit_to_json(instruction.lead),
            "cooperating": [self._unit_to_json(u) for u in instruction.cooperating],
            "deadline": instruction.deadline.isoformat() if instruction.deadline else None,
            "comment": instruction.comment,
            "by": instruction.by,
        }

    def instruction_from_json(self, data: object) -> Instruction:
        """Read an ``Instruction``."""
        record = _object(data, "instruction")
        return Instruction(
            lead=self._unit_from_json(record.get("lead"), "instruction.lead"),
            cooperating=[
                self._unit_from_json(u, f"instruction.cooperating[{i}]")
                for i, u in enumerate(_list(record, "cooperating", "instruction"))
            ],
            deadline=_date(_text(record, "deadline", "instruction"), "instruction.deadline"),
            comment=_text(record, "comment", "instruction"),
            by=_text(record, "by", "instruction"),
        )

    # -- exchange messages -------------------------------------------------------------------

    def delivery_from_json(self, data: object, where: str = "item") -> Delivery:
        """Read a ``MessageSummary`` of ``GET /messages``."""
        record = _object(data, where)
        kind = _text(record, "kind", where, required=True)
        try:
            message_kind = MessageKind(kind)
        except ValueError as exc:
            raise ParseError(
                f"unknown kind {kind!r}", code="ioffice.json.kind", where=f"{where}.kind"
            ) from exc
        return Delivery(
            message_id=_text(record, "id", where, required=True),
            kind=message_kind,
            sender=_code(_text(record, "from", where), f"{where}.from"),
            document_id=_text(record, "documentId", where),
            listed_at=_time(_text(record, "listedAt", where), f"{where}.listedAt"),
        )

    def delivery_to_json(self, delivery: Delivery) -> dict[str, Any]:
        """A ``MessageSummary``."""
        return {
            "id": delivery.message_id,
            "kind": delivery.kind.value,
            "from": str(delivery.sender) if delivery.sender else None,
            "documentId": delivery.document_id,
            "listedAt": delivery.listed_at.isoformat() if delivery.listed_at else None,
        }

    def status_entry_from_json(self, data: object, where: str = "item") -> StatusEntry:
        """Read a ``StatusEntry`` of ``GET /history``."""
        record = _object(data, where)
        return StatusEntry(
            document_id=_text(record, "documentId", where, required=True),
            status=_text(record, "status", where, required=True),
            sender=_code(_text(record, "from", where), f"{where}.from"),
            description=_text(record, "description", where),
            at=_time(_text(record, "at", where), f"{where}.at"),
        )

    def status_entry_to_json(self, entry: StatusEntry) -> dict[str, Any]:
        """A ``StatusEntry``."""
        return {
            "documentId": entry.document_id,
            "status": entry.status,
            "from": str(entry.sender) if entry.sender else None,
            "description": entry.description,
            "at": entry.at.isoformat() if entry.at else None,
        }


__all__ = ["MAX_DEPTH", "IofficeMapping", "read_json"]
