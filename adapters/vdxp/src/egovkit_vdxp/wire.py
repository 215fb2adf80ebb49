"""The axis' JSON response envelope, read as hostile input and written exactly.

Every endpoint answers ``{"status": "OK"|"FAIL", "ErrorCode": "0", "ErrorDesc": …}`` plus
``"DocId"`` (``sendEdoc``), ``"count"`` (``countReceiveEdoc``, ``countReceiveStatus``) or
``"data"``: a list of items or the base64 edXML (``getEdoc``). The shapes are those the VPCP
Java SDK reads (github.com/williamdunbar/SDK, ``com/vpcp/services/KnobstickServiceImp.java``
and ``AgencyServiceImp.java``): received items (:class:`AxisItem`), sent items with their
delivery status (:class:`SentItem`), agencies with ``id``, ``mail``, ``oldCode`` and, from
``getAgenciesListQD20``, ``code102`` (:class:`AxisAgency`). Wire names live only in this
module. The reader refuses what is not that shape: duplicate keys, non-finite numbers, nesting,
oversized lists.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from egovkit.errors import ParseError, UnsafeInputError
from egovkit.http import parse_json

#: Items accepted in one list answer.
MAX_ITEMS: Final = 100_000
#: Characters accepted in one text field of an item.
MAX_FIELD: Final = 4096

_ITEM_FIELDS: Final = (
    ("doc_id", "docId"),
    ("service_type", "serviceType"),
    ("message_type", "messageType"),
    ("sender", "from"),
    ("status", "status"),
    ("status_desc", "status_desc"),
    ("created_time", "created_time"),
    ("updated_time", "updated_time"),
)


def _texts(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class AxisItem:
    """One line of ``getReceivedEdocList`` / ``getSentEdocList``: the axis' id of a message,
    its type, sender, recipients and delivery status, as text."""

    doc_id: str
    service_type: str = "eDoc"
    message_type: str = "edoc"
    sender: str = ""
    to: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    status: str = ""
    status_desc: str = ""
    created_time: str = ""
    updated_time: str = ""

    def to_wire(self) -> dict[str, Any]:
        """The JSON object of this item."""
        data: dict[str, Any] = {wire: getattr(self, name) for name, wire in _ITEM_FIELDS}
        # The SDK reads ``to`` with getAsString: the JSON list travels as text.
        data["to"] = json.dumps(list(self.to), separators=(",", ":"))
        return data

    @classmethod
    def from_wire(cls, data: Mapping[str, Any], where: str = "data") -> AxisItem:
        """Read one item; missing fields are empty, wrong types are refused."""
        values = {name: _field(data, wire, f"{where}.{wire}") for name, wire in _ITEM_FIELDS}
        if not values["doc_id"]:
            raise ParseError("a list item has no docId", code="vdxp.wire.doc_id", where=where)
        to = data.get("to", [])
        if isinstance(to, str):  # the SDK reads it as text: the JSON list, or bare codes
            text = to.strip()
            if text.startswith("["):
                to = _loads(text.encode("utf-8"), f"{where}.to")
            else:
                to = [part.strip() for part in text.split(",") if part.strip()]
        if not isinstance(to, list) or not all(isinstance(t, str) for t in to):
            raise ParseError(
                "'to' must be a list of agency codes", code="vdxp.wire.to", where=where
            )
        return cls(to=tuple(t[:MAX_FIELD] for t in to), **values)


_SENT_FIELDS: Final = (
    ("sender_doc_id", "senderDocId"),
    ("receiver_doc_id", "receiverDocId"),
    ("service_type", "serviceType"),
    ("message_type", "messageType"),
    ("from_code", "fromCode"),
    ("to_code", "toCode"),
    ("title", "title"),
    ("notation", "notation"),
    ("sent_time", "sentTime"),
    ("received_time", "receivedTime"),
    ("send_status", "sendStatus"),
    ("send_status_desc", "sendStatusDesc"),
    ("receive_status", "receiveStatus"),
    ("receive_status_desc", "receiveStatusDesc"),
)


@attrs.frozen(kw_only=True)
class SentItem:
    """One line of ``getSentEdocList``: a message this system sent to one recipient, with the
    sender's and the receiver's ids of it and both sides' status, as text."""

    sender_doc_id: str = ""
    receiver_doc_id: str = ""
    service_type: str = ""
    message_type: str = ""
    from_code: str = ""
    to_code: str = ""
    title: str = ""
    notation: str = ""
    sent_time: str = ""
    received_time: str = ""
    send_status: str = ""
    send_status_desc: str = ""
    receive_status: str = ""
    receive_status_desc: str = ""

    def to_wire(self) -> dict[str, Any]:
        """The JSON object of this item."""
        return {wire: getattr(self, name) for name, wire in _SENT_FIELDS}

    @classmethod
    def from_wire(cls, data: Mapping[str, Any], where: str = "data") -> SentItem:
        """Read one item; missing fields are empty, wrong types are refused."""
        return cls(**{name: _field(data, wire, f"{where}.{wire}") for name, wire in _SENT_FIELDS})


_AGENCY_FIELDS: Final = (
    ("code", "code"),
    ("name", "name"),
    ("parent", "pid"),
    ("id", "id"),
    ("mail", "mail"),
    ("old_code", "oldCode"),
    ("code102", "code102"),
)


@attrs.frozen(kw_only=True)
class AxisAgency:
    """One agency of ``getAgenciesList`` / ``getAgenciesListQD20``: its code (mã định danh),
    name, parent code, the axis' id, e-mail, the code it had before a merger or renaming
    (``old_code``) and its QCVN 102 code (``code102``, QD20 list only)."""

    code: str
    name: str = ""
    parent: str = ""
    id: str = ""
    mail: str = ""
    old_code: str = ""
    code102: str = ""

    def to_wire(self) -> dict[str, Any]:
        """The JSON object of this agency (empty optional fields left out)."""
        data = {wire: getattr(self, name) for name, wire in _AGENCY_FIELDS}
        return {k: v for k, v in data.items() if v or k in ("code", "name")}

    @classmethod
    def from_wire(cls, data: Mapping[str, Any], where: str = "data") -> AxisAgency:
        """Read one agency."""
        values = {name: _field(data, wire, f"{where}.{wire}") for name, wire in _AGENCY_FIELDS}
        if not values["code"]:
            raise ParseError("an agency has no code", code="vdxp.wire.code", where=where)
        return cls(**values)


Data = str | tuple[Mapping[str, Any], ...] | None


def _data(value: Data) -> Data:
    if value is None or isinstance(value, str):
        return value
    return tuple(value)


@attrs.frozen(kw_only=True)
class AxisResponse:
    """The response envelope: ``ok`` (status OK), the error code and text, ``doc_id`` (from
    ``sendEdoc``) and ``data`` (a list of flat objects, a text, or absent)."""

    ok: bool
    error_code: str = "0"
    error_desc: str = ""
    doc_id: str = ""
    count: int | None = None
    data: Data = attrs.field(default=None, converter=_data)

    def items(self) -> tuple[AxisItem, ...]:
        """``data`` read as received-list items."""
        return tuple(AxisItem.from_wire(d, f"data[{i}]") for i, d in enumerate(self._list()))

    def sent_items(self) -> tuple[SentItem, ...]:
        """``data`` read as sent-list items."""
        return tuple(SentItem.from_wire(d, f"data[{i}]") for i, d in enumerate(self._list()))

    def agencies(self) -> tuple[AxisAgency, ...]:
        """``data`` read as agencies."""
        return tuple(AxisAgency.from_wire(d, f"data[{i}]") for i, d in enumerate(self._list()))

    def _list(self) -> tuple[Mapping[str, Any], ...]:
        if not isinstance(self.data, tuple):
            raise ParseError("the answer carries no list", code="vdxp.wire.data", where="data")
        return self.data


def write_response(response: AxisResponse) -> bytes:
    """The JSON bytes of ``response`` (UTF-8, Vietnamese kept readable)."""
    body: dict[str, Any] = {
        "status": "OK" if response.ok else "FAIL",
        "ErrorCode": response.error_code,
        "ErrorDesc": response.error_desc,
    }
    if response.doc_id:
        body["DocId"] = response.doc_id
    if response.count is not None:
        body["count"] = response.count
    if response.data is not None:
        body["data"] = response.data if isinstance(response.data, str) else list(response.data)
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def read_response(raw: bytes) -> AxisResponse:
    """Read a response envelope; anything else raises ParseError or UnsafeInputError."""
    body = _loads(raw, "")
    if not isinstance(body, dict):
        raise ParseError("the answer is not a JSON object", code="vdxp.wire.shape", where="")
    status = body.get("status")
    if status not in ("OK", "FAIL"):
        raise ParseError(
            f"status must be OK or FAIL, not {status!r}", code="vdxp.wire.status", where="status"
        )
    data = body.get("data")
    parsed: Data
    if data is None or isinstance(data, str):
        parsed = data
    elif isinstance(data, list):
        if len(data) > MAX_ITEMS:
            raise UnsafeInputError(
                f"more than {MAX_ITEMS} items in one answer", code="vdxp.wire.too_many"
            )
        for index, item in enumerate(data):
            _flat(item, f"data[{index}]")
        parsed = tuple(data)
    else:
        raise ParseError("data must be a list or a text", code="vdxp.wire.data", where="data")
    return AxisResponse(
        ok=status == "OK",
        error_code=_field(body, "ErrorCode", "ErrorCode") or "0",
        error_desc=_field(body, "ErrorDesc", "ErrorDesc"),
        doc_id=_field(body, "DocId", "DocId"),
        count=_count(body.get("count")),
        data=parsed,
    )


def _count(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63:
        return value
    raise ParseError("count must be a whole number", code="vdxp.wire.count", where="count")


def _flat(item: object, where: str) -> None:
    if not isinstance(item, dict):
        raise ParseError("a list item must be an object", code="vdxp.wire.item", where=where)
    for key, value in item.items():
        if isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise ParseError("lists hold text only", code="vdxp.wire.item", where=where)
        elif value is not None and not isinstance(value, (str, int, float)):
            raise ParseError(f"{key!r} must be flat", code="vdxp.wire.item", where=where)


def _field(data: Mapping[str, Any], name: str, where: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ParseError(f"{name!r} must be text", code="vdxp.wire.field", where=where)
    text = str(value)
    if len(text) > MAX_FIELD:
        raise UnsafeInputError(f"{name!r} is longer than {MAX_FIELD}", code="vdxp.wire.field_size")
    return text


def _loads(raw: bytes, where: str) -> Any:
    return parse_json(raw, prefix="vdxp.wire", where=where)


__all__ = [
    "AxisAgency",
    "AxisItem",
    "AxisResponse",
    "SentItem",
    "read_response",
    "write_response",
]
