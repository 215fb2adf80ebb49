"""A real HTTP server on 127.0.0.1 that behaves like the axis — and misbehaves on purpose.

For tests (ours and yours): it reads the parameters from ``XroadVnpt-*`` headers as the SDK
sends them, keeps messages per recipient, answers with the axis' JSON envelope, checks
``hash-file`` (the SDK's unpadded hex, or padded with ``hash_file="padded"``) and refuses a
``from`` that is not the calling system's id, as the real axis does. Who may call is decided by
``verifier``: a function that looks at each request and returns a reason to refuse it, or
``None`` — pass one that checks the SDK's HMAC (egovkit's own tests do, with a verifier written
from the SDK's recipe independently of the client). It can be told (methods of
:class:`~egovkit.exchange.testserver.FaultyServer`) to answer 500, to stall past the client's
timeout, to drop the connection before or after doing the work, to send garbage, and to list
every message twice::

    with AxisTestServer(verifier=my_check) as axis:
        axis.fail("/sendEdoc", times=2)           # two 500s, then normal service
        axis.drop_after("/sendEdoc")              # store the message, then hang up
        client = VdxpClient(axis.url, auth=SystemCredentials(...))
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Callable
from typing import Any, Literal

import attrs

from egovkit.edxml.model import VIETNAM_TIME
from egovkit.exchange.testserver import Call, FaultyServer
from egovkit_vdxp.wire import AxisAgency, AxisItem, AxisResponse, SentItem, write_response

#: Looks at one request; returns why it is refused, or None to let it through.
Verifier = Callable[[Call], str | None]
_PREFIX = "xroadvnpt-"


@attrs.define(kw_only=True)
class _Message:
    doc_id: str
    sender: str
    to: list[str]
    message_type: str
    data: bytes
    created: str
    status: dict[str, str] = attrs.Factory(dict)  # recipient → done|fail|processing


def parameters(call: Call) -> dict[str, str]:
    """The call's ``XroadVnpt-<name>`` headers as ``{name (lower case): value}``, decoded as
    UTF-8 (the server library hands header bytes over as Latin-1)."""
    found: dict[str, str] = {}
    for name, value in call.headers.items():
        if name.startswith(_PREFIX):
            try:
                found[name[len(_PREFIX) :]] = value.encode("latin-1").decode("utf-8")
            except UnicodeError:
                found[name[len(_PREFIX) :]] = value
    return found


class AxisTestServer(FaultyServer):
    """The axis in a thread; ``url`` is its base URL. Use as a context manager."""

    def __init__(
        self,
        *,
        verifier: Verifier | None = None,
        agencies: tuple[AxisAgency, ...] = (),
        hash_file: Literal["sdk", "padded"] = "sdk",
    ) -> None:
        super().__init__()
        self.verifier = verifier
        self.agencies = agencies
        self.hash_file = hash_file
        self.duplicate_listings = False
        self.messages: dict[str, _Message] = {}
        self.waiting: dict[str, list[str]] = {}
        self.statuses: list[tuple[str, str, str, str]] = []  # (doc_id, agency, status, desc)
        self._ids = itertools.count(1)

    def count(self, message_type: str = "edoc") -> int:
        """Messages of ``message_type`` the axis accepted."""
        with self.lock:
            return sum(1 for m in self.messages.values() if m.message_type == message_type)

    def handle(self, call: Call) -> tuple[int, bytes, str]:
        """The axis' answer to one request."""
        if self.verifier is not None:
            reason = self.verifier(call)
            if reason is not None:
                refusal = AxisResponse(ok=False, error_code="401", error_desc=reason)
                return 401, write_response(refusal), "application/json; charset=utf-8"
        params = parameters(call)
        system_id, sender = params.get("systemid"), params.get("from", "")
        if system_id is not None and sender != system_id:
            desc = f"Don vi gui {sender} khong dung voi ma da dang ky: {system_id}"
            refusal = AxisResponse(ok=False, error_code="FROM", error_desc=desc)
            return 200, write_response(refusal), "application/json; charset=utf-8"
        if call.path == "/downloadEdoc":
            return self._download(params)
        status, body = self.answer(call.path, params, call.body)
        return status, body, "application/json; charset=utf-8"

    def answer(self, path: str, params: dict[str, str], body: bytes) -> tuple[int, bytes]:
        """``(HTTP status, JSON body)`` for one call of ``path`` with ``params``."""
        route: dict[str, Callable[[dict[str, str], bytes], AxisResponse]] = {
            "/sendEdoc": self._send,
            "/getReceivedEdocList": self._received,
            "/getSentEdocList": self._sent,
            "/countReceiveEdoc": self._count,
            "/countReceiveStatus": self._count,
            "/getEdoc": self._get,
            "/updateStatus": self._update,
            "/getAgenciesList": self._agencies,
            "/getAgenciesListQD20": self._agencies,
        }
        work = route.get(path)
        if work is None:
            return 404, write_response(AxisResponse(ok=False, error_code="404", error_desc=path))
        return 200, write_response(work(params, body))

    def _expected_hash(self, data: bytes) -> str:
        digest = hashlib.sha256(data).digest()
        if self.hash_file == "padded":
            return digest.hex()
        return "".join(f"{byte:x}" for byte in digest)

    def _send(self, params: dict[str, str], body: bytes) -> AxisResponse:
        # The Java SDK writes the file followed by CRLF; its hash covers the file alone.
        candidates = [body] + ([body[:-2]] if body.endswith(b"\r\n") else [])
        data = next(
            (c for c in candidates if self._expected_hash(c) == params.get("hash-file")), None
        )
        if data is None:
            return AxisResponse(ok=False, error_code="HASH", error_desc="hash-file mismatch")
        try:
            to = json.loads(params.get("to", ""))
        except ValueError:
            return AxisResponse(ok=False, error_code="TO", error_desc="to is not a JSON list")
        if not isinstance(to, list) or not to:
            return AxisResponse(ok=False, error_code="TO", error_desc="to is empty")
        with self.lock:
            doc_id = f"VDXP-{next(self._ids):08d}"
            self.messages[doc_id] = _Message(
                doc_id=doc_id,
                sender=params.get("from", ""),
                to=[str(t) for t in to],
                message_type=params.get("messagetype", "edoc"),
                data=data,
                created=dt.datetime.now(VIETNAM_TIME).isoformat(timespec="seconds"),
            )
            for agency in to:
                self.waiting.setdefault(str(agency), []).append(doc_id)
        return AxisResponse(ok=True, doc_id=doc_id)

    def _waiting(self, params: dict[str, str]) -> list[_Message]:
        agency = params.get("from", "")
        wanted = params.get("messagetype", "edoc")
        with self.lock:
            ids = self.waiting.get(agency, [])
            return [self.messages[i] for i in ids if self.messages[i].message_type == wanted]

    def _received(self, params: dict[str, str], _body: bytes) -> AxisResponse:
        items: list[dict[str, Any]] = [
            AxisItem(
                doc_id=m.doc_id,
                message_type=m.message_type,
                sender=m.sender,
                to=m.to,
                status="initial",
                created_time=m.created,
                updated_time=m.created,
            ).to_wire()
            for m in self._waiting(params)
        ]
        if self.duplicate_listings:
            items = [copy for item in items for copy in (item, item)]
        return AxisResponse(ok=True, data=tuple(items))

    def _count(self, params: dict[str, str], _body: bytes) -> AxisResponse:
        return AxisResponse(ok=True, count=len(self._waiting(params)))

    def _sent(self, params: dict[str, str], _body: bytes) -> AxisResponse:
        agency = params.get("from", "")
        with self.lock:
            items = [
                SentItem(
                    sender_doc_id=m.doc_id,
                    receiver_doc_id=m.doc_id,
                    service_type="eDoc",
                    message_type=m.message_type,
                    from_code=m.sender,
                    to_code=recipient,
                    sent_time=m.created,
                    send_status="done",
                    receive_status=m.status.get(recipient, "initial"),
                ).to_wire()
                for m in self.messages.values()
                if m.sender == agency
                for recipient in m.to
            ]
        return AxisResponse(ok=True, data=tuple(items))

    def _message_for(self, params: dict[str, str]) -> _Message | None:
        with self.lock:
            message = self.messages.get(params.get("docid", ""))
        if message is None or params.get("from", "") not in message.to:
            return None
        return message

    def _get(self, params: dict[str, str], _body: bytes) -> AxisResponse:
        message = self._message_for(params)
        if message is None:
            return AxisResponse(ok=False, error_code="404", error_desc="no such document")
        return AxisResponse(ok=True, data=base64.b64encode(message.data).decode("ascii"))

    def _download(self, params: dict[str, str]) -> tuple[int, bytes, str]:
        message = self._message_for(params)
        if message is None:
            refusal = AxisResponse(ok=False, error_code="404", error_desc="no such document")
            return 200, write_response(refusal), "application/json; charset=utf-8"
        return 200, message.data, "application/octet-stream"

    def _update(self, params: dict[str, str], _body: bytes) -> AxisResponse:
        agency, doc_id = params.get("from", ""), params.get("docid", "")
        status = params.get("status", "")
        if status not in ("done", "fail", "processing"):
            return AxisResponse(ok=False, error_code="STATUS", error_desc=f"status {status!r}")
        with self.lock:
            pending = self.waiting.get(agency, [])
            if status != "processing" and doc_id in pending:
                pending.remove(doc_id)
            if doc_id in self.messages:
                self.messages[doc_id].status[agency] = status
            self.statuses.append((doc_id, agency, status, params.get("description", "")))
        return AxisResponse(ok=True)

    def _agencies(self, _params: dict[str, str], _body: bytes) -> AxisResponse:
        return AxisResponse(ok=True, data=tuple(a.to_wire() for a in self.agencies))


__all__ = ["AxisTestServer", "Verifier", "parameters"]
