"""What a provincial gateway (LGSP) puts on the wire for document exchange: routes and JSON.

The one public source is the sample client of Quảng Nam's LGSP (a WSO2 API Manager gateway;
``com/lgsp/cmon/Main.java``, stored with index id 14179630682). It shows:

* an OAuth2 token from ``<gateway>/token`` (consumer key and secret), sent as
  ``Authorization: Bearer …``;
* the base path ``/truclienthong/v1.0.0`` and the resources ``vanbans`` (GET: incoming list;
  POST: send a base64 edXML with ``loaiVanBan`` ``edoc``), ``vanbans/{docId}`` (GET: the base64
  edXML; PUT: status ``INITIAL``, ``PROCESSING``, ``DONE`` or ``FAIL``) and ``donvilienthongs``
  (the connected units: ``id``, ``code``, ``name``, ``pid``);
* a per-unit key (``secretDonVi``, "mã định danh đơn vị") passed with every call;
* answers with ``status``, ``errorCode``, ``errorDesc`` and ``data`` (a list of
  ``serviceType``, ``messageType``, ``statusDesc``, ``docId``, ``from``, ``to``, ``status``,
  ``createdTime``; or the base64 edXML), ``docId`` for a send.

The generated client's code (how each parameter travels: header, query or form) is not
public. So where the unit key, ``loaiVanBan``, the status and the recipients go is an
ASSUMPTION, collected in :class:`LgspDialect` so a deployment can match its gateway without
code: by default the unit key is a header ``secret``, a send is a JSON body
``{"data", "loaiVanBan", "to"}``, a status update a JSON body ``{"status"}``. Every wire name
lives in this module.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs

from egovkit.errors import ParseError, UnsafeInputError
from egovkit.http import parse_json

#: Items accepted in one list answer, and characters in one text field.
MAX_ITEMS: Final = 100_000
MAX_FIELD: Final = 4096

#: Status values of ``PUT vanbans/{docId}`` (from the Quảng Nam sample).
STATUS_VALUES: Final = ("INITIAL", "PROCESSING", "DONE", "FAIL")


@attrs.frozen(kw_only=True)
class LgspDialect:
    """Routes and names of one gateway. The defaults follow the Quảng Nam sample; those marked
    *assumed* are not in any public source."""

    token_path: str = "/token"  # noqa: S105 - a path
    base_path: str = "/truclienthong/v1.0.0"
    messages: str = "vanbans"
    message: str = "vanbans/{doc_id}"
    units: str = "donvilienthongs"
    #: *assumed*: the header that carries the unit key (``secretDonVi``); "" sends none.
    unit_key_header: str = "secret"
    #: *assumed*: field names of a send, and of a status update.
    data_field: str = "data"
    kind_field: str = "loaiVanBan"
    #: *assumed*: the recipients; the sample sends none (the gateway reads the envelope's To).
    to_field: str = "to"
    status_field: str = "status"
    #: *assumed*: the query parameter that filters the incoming list by kind; "" filters here.
    kind_query: str = "loaiVanBan"

    def message_path(self, doc_id: str) -> str:
        """``vanbans/{docId}`` with ``doc_id`` (already URL-quoted by the caller)."""
        return self.message.format(doc_id=doc_id)

    def send_body(self, data_b64: str, kind: str, to: Sequence[str]) -> dict[str, Any]:
        """The JSON object of a send."""
        body: dict[str, Any] = {self.data_field: data_b64, self.kind_field: kind}
        if self.to_field:
            body[self.to_field] = list(to)
        return body

    def status_body(self, status: str) -> dict[str, Any]:
        """The JSON object of a status update."""
        return {self.status_field: status}


def _tuple(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class Message:
    """One line of the incoming list (``VanBan``)."""

    doc_id: str
    service_type: str = ""
    message_type: str = "edoc"
    sender: str = ""
    to: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    status: str = ""
    status_desc: str = ""
    created_time: str = ""

    def to_wire(self) -> dict[str, Any]:
        """The JSON object of this item."""
        return {
            "docId": self.doc_id,
            "serviceType": self.service_type,
            "messageType": self.message_type,
            "from": self.sender,
            "to": list(self.to),
            "status": self.status,
            "statusDesc": self.status_desc,
            "createdTime": self.created_time,
        }

    @classmethod
    def from_wire(cls, data: Mapping[str, Any], where: str) -> Message:
        """Read one item; missing fields are empty, wrong types refused."""
        doc_id = _text(data, "docId", where)
        if not doc_id:
            raise ParseError("a list item has no docId", code="lgsp.wire.doc_id", where=where)
        to = data.get("to", [])
        if isinstance(to, str):  # the JSON list as text, or bare codes
            text = to.strip()
            to = loads(text.encode("utf-8")) if text.startswith("[") else text.split(",")
            to = [t.strip() for t in to] if isinstance(to, list) and _texts(to) else to
        if not isinstance(to, list) or not all(isinstance(t, str) for t in to):
            raise ParseError("'to' must be a list of codes", code="lgsp.wire.to", where=where)
        return cls(
            doc_id=doc_id,
            service_type=_text(data, "serviceType", where),
            message_type=_text(data, "messageType", where) or "edoc",
            sender=_text(data, "from", where),
            to=tuple(t[:MAX_FIELD] for t in to if t),
            status=_text(data, "status", where),
            status_desc=_text(data, "statusDesc", where),
            created_time=_text(data, "createdTime", where),
        )


@attrs.frozen(kw_only=True)
class Unit:
    """One connected unit (``DonViLienThong``): the gateway's id, its code, name, parent."""

    code: str
    id: str = ""
    name: str = ""
    parent: str = ""

    def to_wire(self) -> dict[str, Any]:
        """The JSON object of this unit."""
        return {"id": self.id, "code": self.code, "name": self.name, "pid": self.parent}

    @classmethod
    def from_wire(cls, data: Mapping[str, Any], where: str) -> Unit:
        """Read one unit."""
        code = _text(data, "code", where)
        if not code:
            raise ParseError("a unit has no code", code="lgsp.wire.code", where=where)
        return cls(
            code=code,
            id=_text(data, "id", where),
            name=_text(data, "name", where),
            parent=_text(data, "pid", where),
        )


@attrs.frozen(kw_only=True)
class Answer:
    """The answer envelope: ``ok`` (status OK), the error code and text, ``doc_id`` (a send)
    and ``data`` (a list of objects, a text, or nothing)."""

    ok: bool
    error_code: str = "0"
    error_desc: str = ""
    doc_id: str = ""
    data: str | tuple[Mapping[str, Any], ...] | None = None

    def messages(self) -> tuple[Message, ...]:
        """``data`` read as incoming-list items."""
        return tuple(Message.from_wire(d, f"data[{i}]") for i, d in enumerate(self._list()))

    def units(self) -> tuple[Unit, ...]:
        """``data`` read as units."""
        return tuple(Unit.from_wire(d, f"data[{i}]") for i, d in enumerate(self._list()))

    def _list(self) -> tuple[Mapping[str, Any], ...]:
        if not isinstance(self.data, tuple):
            raise ParseError("the answer carries no list", code="lgsp.wire.data", where="data")
        return self.data


def write_answer(answer: Answer) -> bytes:
    """The JSON bytes of ``answer``."""
    body: dict[str, Any] = {
        "status": "OK" if answer.ok else "FAIL",
        "errorCode": answer.error_code,
        "errorDesc": answer.error_desc,
    }
    if answer.doc_id:
        body["docId"] = answer.doc_id
    if answer.data is not None:
        body["data"] = answer.data if isinstance(answer.data, str) else list(answer.data)
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def read_answer(raw: bytes) -> Answer:
    """Read an answer envelope; anything else raises ParseError or UnsafeInputError."""
    body = loads(raw)
    if not isinstance(body, dict):
        raise ParseError("the answer is not a JSON object", code="lgsp.wire.shape", where="")
    status = body.get("status")
    if not isinstance(status, str) or status.upper() not in ("OK", "FAIL"):
        raise ParseError(
            f"status must be OK or FAIL, not {status!r}", code="lgsp.wire.status", where="status"
        )
    data = body.get("data")
    parsed: str | tuple[Mapping[str, Any], ...] | None
    if data is None or isinstance(data, str):
        parsed = data
    elif isinstance(data, list):
        if len(data) > MAX_ITEMS:
            raise UnsafeInputError(f"more than {MAX_ITEMS} items", code="lgsp.wire.too_many")
        if not all(isinstance(item, dict) for item in data):
            raise ParseError("list items must be objects", code="lgsp.wire.item", where="data")
        parsed = tuple(data)
    else:
        raise ParseError("data must be a list or a text", code="lgsp.wire.data", where="data")
    return Answer(
        ok=status.upper() == "OK",
        error_code=_text(body, "errorCode", "errorCode") or "0",
        error_desc=_text(body, "errorDesc", "errorDesc"),
        doc_id=_text(body, "docId", "docId"),
        data=parsed,
    )


@attrs.frozen(kw_only=True)
class Token:
    """An OAuth2 access token (RFC 6749 §5.1): its value and lifetime in seconds."""

    access_token: str = attrs.field(repr=False)
    token_type: str = "Bearer"  # noqa: S105 - the scheme's name
    expires_in: float | None = None


def read_token(raw: bytes) -> Token:
    """Read a token answer (``access_token``, ``token_type``, ``expires_in``)."""
    body = loads(raw)
    if not isinstance(body, dict):
        raise ParseError("the token answer is not an object", code="lgsp.token.shape")
    value = body.get("access_token")
    if not isinstance(value, str) or not value or len(value) > 16_384:
        raise ParseError("the token answer has no access_token", code="lgsp.token.shape")
    kind = body.get("token_type", "Bearer")
    if not isinstance(kind, str) or kind.lower() != "bearer":
        raise ParseError(f"token_type {kind!r} is not Bearer", code="lgsp.token.type")
    lifetime = body.get("expires_in")
    if isinstance(lifetime, str) and lifetime.isdigit():
        lifetime = int(lifetime)
    if lifetime is not None and (
        isinstance(lifetime, bool) or not isinstance(lifetime, int | float) or lifetime < 0
    ):
        raise ParseError("expires_in must be a number of seconds", code="lgsp.token.expiry")
    return Token(access_token=value, expires_in=lifetime)


def write_token(token: Token) -> bytes:
    """The JSON bytes of a token answer."""
    body: dict[str, Any] = {"access_token": token.access_token, "token_type": token.token_type}
    if token.expires_in is not None:
        body["expires_in"] = token.expires_in
    return json.dumps(body).encode("ascii")


#: The token request body of the client-credentials grant (RFC 6749 §4.4.2).
TOKEN_REQUEST: Final = b"grant_type=client_credentials"


def _texts(values: list[Any]) -> bool:
    return all(isinstance(v, str) for v in values)


def _text(data: Mapping[str, Any], name: str, where: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ParseError(f"{name!r} must be text", code="lgsp.wire.field", where=where)
    text = str(value)
    if len(text) > MAX_FIELD:
        raise UnsafeInputError(f"{name!r} is longer than {MAX_FIELD}", code="lgsp.wire.size")
    return text


def loads(raw: bytes) -> Any:
    """Parse untrusted JSON: UTF-8 only, no duplicate keys, no NaN, bounded nesting."""
    return parse_json(raw, prefix="lgsp.wire")


__all__ = [
    "STATUS_VALUES",
    "TOKEN_REQUEST",
    "Answer",
    "LgspDialect",
    "Message",
    "Token",
    "Unit",
    "loads",
    "read_answer",
    "read_token",
    "write_answer",
    "write_token",
]
