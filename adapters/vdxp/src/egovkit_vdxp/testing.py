"""A real HTTP server on 127.0.0.1 that behaves like the axis — and misbehaves on purpose.

For tests (ours and yours): it keeps messages per recipient, answers the endpoints the client
calls with the axis' JSON envelope, checks ``hash-file`` and the identity headers, and can be
told (methods of :class:`~egovkit.exchange.testserver.FaultyServer`) to answer 500, to stall
past the client's timeout, to drop the connection before or after doing the work, to send
garbage, and to list every message twice::

    with AxisTestServer(credentials=("H99-QLVB", "s3cret")) as axis:
        axis.fail("/sendEdoc", times=2)           # two 500s, then normal service
        axis.drop_after("/sendEdoc")              # store the message, then hang up
        client = VdxpClient(axis.url, agency=..., auth=SystemCredentials(...))
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Callable
from typing import Any

import attrs

from egovkit.edxml.model import VIETNAM_TIME
from egovkit.exchange.testserver import Call, FaultyServer
from egovkit_vdxp.wire import AxisAgency, AxisItem, AxisResponse, write_response


@attrs.define(kw_only=True)
class _Message:
    doc_id: str
    sender: str
    to: list[str]
    message_type: str
    data: bytes
    created: str


class AxisTestServer(FaultyServer):
    """The axis in a thread; ``url`` is its base URL. Use as a context manager."""

    def __init__(
        self,
        *,
        credentials: tuple[str, str] | None = None,
        agencies: tuple[AxisAgency, ...] = (),
    ) -> None:
        super().__init__()
        self.credentials = credentials
        self.agencies = agencies
        self.duplicate_listings = False
        self.messages: dict[str, _Message] = {}
        self.waiting: dict[str, list[str]] = {}
        self.statuses: list[tuple[str, str, str]] = []  # (doc_id, agency, done|fail)
        self._ids = itertools.count(1)

    def count(self, message_type: str = "edoc") -> int:
        """Messages of ``message_type`` the axis accepted."""
        with self.lock:
            return sum(1 for m in self.messages.values() if m.message_type == message_type)

    def handle(self, call: Call) -> tuple[int, bytes, str]:
        """The axis' answer to one request."""
        status, body = self.answer(call.path, call.headers, call.body)
        return status, body, "application/json; charset=utf-8"

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        """``(HTTP status, JSON body)`` for one call of ``path``."""
        if (
            self.credentials is not None
            and (
                headers.get("systemid"),
                headers.get("secret"),
            )
            != self.credentials
        ):
            return 401, write_response(
                AxisResponse(ok=False, error_code="401", error_desc="unknown system or secret")
            )
        route: dict[str, Callable[[dict[str, str], bytes], AxisResponse]] = {
            "/sendEdoc": self._send,
            "/getReceivedEdocList": self._received,
            "/getSentEdocList": self._sent,
            "/getEdoc": self._get,
            "/updateStatus": self._update,
            "/getAgenciesList": lambda _h, _b: AxisResponse(
                ok=True, data=tuple(a.to_wire() for a in self.agencies)
            ),
        }
        work = route.get(path)
        if work is None:
            return 404, write_response(AxisResponse(ok=False, error_code="404", error_desc=path))
        return 200, write_response(work(headers, body))

    def _send(self, headers: dict[str, str], body: bytes) -> AxisResponse:
        if headers.get("hash-file") != hashlib.sha256(body).hexdigest():
            return AxisResponse(ok=False, error_code="HASH", error_desc="hash-file mismatch")
        try:
            to = json.loads(headers.get("to", ""))
        except ValueError:
            return AxisResponse(ok=False, error_code="TO", error_desc="to is not a JSON list")
        if not isinstance(to, list) or not to:
            return AxisResponse(ok=False, error_code="TO", error_desc="to is empty")
        with self.lock:
            doc_id = f"VDXP-{next(self._ids):08d}"
            self.messages[doc_id] = _Message(
                doc_id=doc_id,
                sender=headers.get("from", ""),
                to=[str(t) for t in to],
                message_type=headers.get("messagetype", "edoc"),
                data=body,
                created=dt.datetime.now(VIETNAM_TIME).isoformat(timespec="seconds"),
            )
            for agency in to:
                self.waiting.setdefault(str(agency), []).append(doc_id)
        return AxisResponse(ok=True, doc_id=doc_id)

    def _item(self, message: _Message, status: str) -> dict[str, Any]:
        return AxisItem(
            doc_id=message.doc_id,
            message_type=message.message_type,
            sender=message.sender,
            to=message.to,
            status=status,
            created_time=message.created,
            updated_time=message.created,
        ).to_wire()

    def _received(self, headers: dict[str, str], _body: bytes) -> AxisResponse:
        agency = headers.get("from", "")
        wanted = headers.get("messagetype", "edoc")
        with self.lock:
            ids = [
                i for i in self.waiting.get(agency, []) if self.messages[i].message_type == wanted
            ]
            items = [self._item(self.messages[i], "initial") for i in ids]
        if self.duplicate_listings:
            items = [copy for item in items for copy in (item, item)]
        return AxisResponse(ok=True, data=tuple(items))

    def _sent(self, headers: dict[str, str], _body: bytes) -> AxisResponse:
        agency = headers.get("from", "")
        with self.lock:
            items = [self._item(m, "sent") for m in self.messages.values() if m.sender == agency]
        return AxisResponse(ok=True, data=tuple(items))

    def _get(self, headers: dict[str, str], _body: bytes) -> AxisResponse:
        agency = headers.get("from", "")
        with self.lock:
            message = self.messages.get(headers.get("docid", ""))
        if message is None or agency not in message.to:
            return AxisResponse(ok=False, error_code="404", error_desc="no such document")
        return AxisResponse(ok=True, data=base64.b64encode(message.data).decode("ascii"))

    def _update(self, headers: dict[str, str], _body: bytes) -> AxisResponse:
        agency = headers.get("from", "")
        doc_id = headers.get("docid", "")
        with self.lock:
            pending = self.waiting.get(agency, [])
            if doc_id in pending:
                pending.remove(doc_id)
            self.statuses.append((doc_id, agency, headers.get("status", "")))
        return AxisResponse(ok=True)


__all__ = ["AxisTestServer"]
