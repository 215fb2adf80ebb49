"""A real HTTP server on 127.0.0.1 that behaves like a provincial gateway — and misbehaves.

It issues OAuth2 tokens at the token path (client-credentials grant, HTTP Basic, RFC 6749
§4.4) with a lifetime you choose, refuses expired or revoked tokens with 401, knows each unit
by its unit key, keeps messages per recipient and answers the resources of
:class:`~egovkit_lgsp.wire.LgspDialect`. The faults of
:class:`~egovkit.exchange.testserver.FaultyServer` (500s, stalls, dropped connections,
garbage) apply to any path::

    with GatewayTestServer(clients={"key": "secret"}, units={"unit-key": "000.00.00.H47"}) as gw:
        gw.revoke_tokens()                 # the next call gets 401 and must renew its token
        gw.fail("/truclienthong/v1.0.0/vanbans", times=2)
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import itertools
import json
import secrets
import time
from collections.abc import Mapping
from typing import Any

import attrs

from egovkit.exchange.testserver import Call, FaultyServer
from egovkit_lgsp.wire import (
    STATUS_VALUES,
    Answer,
    LgspDialect,
    Message,
    Token,
    Unit,
    write_answer,
    write_token,
)

_JSON = "application/json; charset=utf-8"


@attrs.define(kw_only=True)
class _Stored:
    doc_id: str
    sender: str
    to: list[str]
    kind: str
    data: bytes
    created: str
    status: dict[str, str] = attrs.Factory(dict)


class GatewayTestServer(FaultyServer):
    """The gateway in a thread; ``url`` is its address. Use as a context manager.

    ``clients`` maps OAuth2 client ids to secrets, ``units`` unit keys to agency codes.
    """

    def __init__(
        self,
        *,
        clients: Mapping[str, str],
        units: Mapping[str, str],
        dialect: LgspDialect | None = None,
        token_lifetime: float = 3600.0,
        unit_list: tuple[Unit, ...] = (),
    ) -> None:
        super().__init__()
        self.clients = dict(clients)
        self.units = dict(units)
        self.dialect = dialect or LgspDialect()
        self.token_lifetime = token_lifetime
        self.unit_list = unit_list
        self.tokens: dict[str, float] = {}  # token → expiry (time.monotonic)
        self.issued = 0
        self.messages: dict[str, _Stored] = {}
        self.waiting: dict[str, list[str]] = {}
        self.statuses: list[tuple[str, str, str]] = []
        self._ids = itertools.count(1)

    def revoke_tokens(self) -> None:
        """Forget every token issued so far (as a gateway restart would)."""
        with self.lock:
            self.tokens.clear()

    def count(self, kind: str = "edoc") -> int:
        """Messages of ``kind`` the gateway accepted."""
        with self.lock:
            return sum(1 for m in self.messages.values() if m.kind == kind)

    # -- serving ------------------------------------------------------------------------------

    def handle(self, call: Call) -> tuple[int, bytes, str]:
        """The gateway's answer to one request."""
        if call.path == self.dialect.token_path:
            return self._token(call)
        base = self.dialect.base_path.rstrip("/") + "/"
        if not call.path.startswith(base):
            return 404, b'{"error": "no such path"}', _JSON
        if not self._bearer_ok(call):
            return 401, b'{"error": "invalid_token"}', _JSON
        key_header = self.dialect.unit_key_header.lower()
        unit = self.units.get(call.headers.get(key_header, "")) if key_header else None
        if unit is None:
            return 200, self._fail("401", "unknown unit key"), _JSON
        resource = call.path[len(base) :]
        messages = self.dialect.messages
        prefix = self.dialect.message.split("{", 1)[0]
        if resource == messages and call.method == "GET":
            kind = (
                call.query.get(self.dialect.kind_query, [""])[0] if self.dialect.kind_query else ""
            )
            return 200, self._list(unit, kind), _JSON
        if resource == messages and call.method == "POST":
            return 200, self._send(unit, call.body), _JSON
        if resource.startswith(prefix) and call.method in ("GET", "PUT"):
            doc_id = resource[len(prefix) :]
            if call.method == "GET":
                return self._fetch(unit, doc_id)
            return 200, self._update(unit, doc_id, call.body), _JSON
        if resource == self.dialect.units and call.method == "GET":
            data = tuple(u.to_wire() for u in self.unit_list)
            return 200, write_answer(Answer(ok=True, data=data)), _JSON
        return 404, self._fail("404", resource), _JSON

    def _token(self, call: Call) -> tuple[int, bytes, str]:
        scheme, _, encoded = call.headers.get("authorization", "").partition(" ")
        try:
            user, _, password = base64.b64decode(encoded).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user, password = "", ""
        grant = call.body.decode("ascii", "replace")
        if scheme.lower() != "basic" or self.clients.get(user) != password:
            return 401, b'{"error": "invalid_client"}', _JSON
        if grant != "grant_type=client_credentials":
            return 400, b'{"error": "unsupported_grant_type"}', _JSON
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = time.monotonic() + self.token_lifetime
            self.issued += 1
        body = write_token(Token(access_token=token, expires_in=self.token_lifetime))
        return 200, body, "application/json"

    def _bearer_ok(self, call: Call) -> bool:
        scheme, _, token = call.headers.get("authorization", "").partition(" ")
        with self.lock:
            expiry = self.tokens.get(token)
        return scheme == "Bearer" and expiry is not None and time.monotonic() < expiry

    @staticmethod
    def _fail(code: str, desc: str) -> bytes:
        return write_answer(Answer(ok=False, error_code=code, error_desc=desc))

    def _send(self, unit: str, raw: bytes) -> bytes:
        d = self.dialect
        try:
            body: Any = json.loads(raw)
            data = base64.b64decode(body[d.data_field], validate=True)
            kind, to = body[d.kind_field], body.get(d.to_field, [])
        except (ValueError, KeyError, TypeError, binascii.Error):
            return self._fail("BODY", "not a send body")
        if kind not in ("edoc", "status") or not isinstance(to, list) or not to:
            return self._fail("TO", "no recipients or an unknown loaiVanBan")
        with self.lock:
            doc_id = f"LGSP-{next(self._ids):08d}"
            self.messages[doc_id] = _Stored(
                doc_id=doc_id,
                sender=unit,
                to=[str(t) for t in to],
                kind=kind,
                data=data,
                created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            )
            for agency in to:
                self.waiting.setdefault(str(agency), []).append(doc_id)
        return write_answer(Answer(ok=True, doc_id=doc_id))

    def _list(self, unit: str, kind: str) -> bytes:
        with self.lock:
            stored = [self.messages[i] for i in self.waiting.get(unit, [])]
        items = tuple(
            Message(
                doc_id=m.doc_id,
                service_type="eDoc",
                message_type=m.kind,
                sender=m.sender,
                to=tuple(m.to),
                status="INITIAL",
                created_time=m.created,
            ).to_wire()
            for m in stored
            if not kind or m.kind == kind
        )
        return write_answer(Answer(ok=True, data=items))

    def _fetch(self, unit: str, doc_id: str) -> tuple[int, bytes, str]:
        with self.lock:
            stored = self.messages.get(doc_id)
        if stored is None or unit not in stored.to:
            return 404, self._fail("404", "no such document"), _JSON
        data = base64.b64encode(stored.data).decode("ascii")
        return 200, write_answer(Answer(ok=True, data=data)), _JSON

    def _update(self, unit: str, doc_id: str, raw: bytes) -> bytes:
        try:
            status = json.loads(raw)[self.dialect.status_field]
        except (ValueError, KeyError, TypeError):
            return self._fail("BODY", "not a status body")
        if status not in STATUS_VALUES:
            return self._fail("STATUS", f"unknown status {status!r}")
        with self.lock:
            if doc_id not in self.messages:
                return self._fail("404", "no such document")
            self.messages[doc_id].status[unit] = status
            pending = self.waiting.get(unit, [])
            if status in ("DONE", "FAIL") and doc_id in pending:
                pending.remove(doc_id)
            self.statuses.append((doc_id, unit, status))
        return write_answer(Answer(ok=True))


__all__ = ["GatewayTestServer"]
