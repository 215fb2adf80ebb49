"""A real HTTP server on 127.0.0.1 implementing the iOffice-like contract (``openapi.yaml``),
misbehaving on demand (the methods of :class:`~egovkit.exchange.testserver.FaultyServer`).

It answers 400 to a request the contract does not allow (:mod:`egovkit_ioffice.contract`),
keeps messages per agency and honours ``Idempotency-Key``, keeps status history from the
status messages it carries, stores documents, processing changes and directions, and checks the
bearer token. A vendor can run egovkit's contract suite against it to see what is expected, then
against their own system.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import re
from typing import TYPE_CHECKING, Any

from egovkit.edxml.model import VIETNAM_TIME, StatusMessage
from egovkit.edxml.reader import read
from egovkit.errors import EgovkitError
from egovkit.exchange.testserver import Call, FaultyServer

if TYPE_CHECKING:
    from egovkit_ioffice.contract import Contract

_MESSAGE = re.compile(r"/messages/([^/]+)")
_CONFIRM = re.compile(r"/messages/([^/]+)/confirm")
_PROCESSING = re.compile(r"/documents/([^/]+)/processing")
_INSTRUCTION = re.compile(r"/documents/([^/]+)/instruction")
_Answer = tuple[int, Any]


class IofficeTestServer(FaultyServer):
    """The contract in a thread; ``url`` is its base URL. Use as a context manager."""

    def __init__(self, *, token: str | None = None, check_contract: bool = True) -> None:
        super().__init__()
        self.token = token
        #: Answer 400 to requests ``openapi.yaml`` does not allow (needs PyYAML and jsonschema).
        self.check_contract = check_contract
        self.duplicate_listings = False
        self.messages: dict[str, dict[str, Any]] = {}
        self.waiting: dict[str, list[str]] = {}
        self.keys: dict[tuple[str, str], Any] = {}
        self.history: list[tuple[str, dict[str, Any]]] = []
        self.documents: dict[str, dict[str, Any]] = {}
        self.processing: dict[str, list[Any]] = {}
        self.instructions: dict[str, Any] = {}
        self._ids = itertools.count(1)

    @staticmethod
    def _contract() -> Contract:
        from egovkit_ioffice.contract import shipped_contract

        return shipped_contract()

    def count(self, kind: str = "edoc") -> int:
        """Messages of ``kind`` the system accepted."""
        with self.lock:
            return sum(1 for m in self.messages.values() if m["kind"] == kind)

    def handle(self, call: Call) -> tuple[int, bytes, str]:
        """Route one request."""
        if self.token is not None and call.headers.get("authorization") != f"Bearer {self.token}":
            return 401, b'{"error": "unauthorized"}', "application/json"
        agency = call.headers.get("x-agency", "")
        try:
            body = json.loads(call.body) if call.body else None
        except ValueError:
            return 400, b'{"error": "not JSON"}', "application/json"
        if self.check_contract and self._contract().operation(call.method, call.path):
            problems = self._contract().problems(
                method=call.method,
                path=call.path,
                query=call.query,
                headers=call.headers,
                body=body,
                has_body=bool(call.body),
            )
            if problems:
                answer = json.dumps({"error": "; ".join(problems)}, ensure_ascii=False)
                return 400, answer.encode(), "application/json"
        with self.lock:
            status, answer = self._route(call, agency, body)
        if answer is None:
            return status, b"", "application/json"
        return status, json.dumps(answer, ensure_ascii=False).encode(), "application/json"

    def _route(self, call: Call, agency: str, body: Any) -> _Answer:
        path, method = call.path, call.method
        key = call.headers.get("idempotency-key", "")
        if path == "/messages" and method == "POST":
            return self._post_message(agency, body, key)
        if path == "/messages" and method == "GET":
            kind = call.query.get("kind", [""])[0]
            return 200, {"items": self._listing(agency, kind)}
        if path == "/history" and method == "GET":
            wanted = call.query.get("documentId", [""])[0]
            items = [e for a, e in self.history if a == agency and e["documentId"] == wanted]
            return 200, {"items": items}
        if (match := _CONFIRM.fullmatch(path)) and method == "POST":
            pending = self.waiting.get(agency, [])
            if match.group(1) in pending:
                pending.remove(match.group(1))
            return 204, None
        if (match := _MESSAGE.fullmatch(path)) and method == "GET":
            message = self.messages.get(match.group(1))
            if message is None or agency not in message["to"]:
                return 404, {"error": "no such message"}
            return 200, {
                "id": message["id"],
                "kind": message["kind"],
                "content": message["content"],
            }
        if path == "/documents" and method == "POST":
            return self._post_document(agency, body, key)
        if path == "/documents" and method == "GET":
            direction = call.query.get("direction", ["outgoing"])[0]
            after = call.query.get("after", [""])[0]
            return 200, self._page(agency, direction, after)
        if match := _PROCESSING.fullmatch(path):
            return self._processing(match.group(1), method, body)
        if match := _INSTRUCTION.fullmatch(path):
            return self._instruction(match.group(1), method, body)
        return 404, {"error": f"no route {method} {path}"}

    def _post_message(self, agency: str, body: Any, key: str) -> _Answer:
        if key and (agency, key) in self.keys:
            return 200, {**self.keys[(agency, key)], "duplicate": True}
        message_id = f"M{next(self._ids):06d}"
        message = {
            "id": message_id,
            "kind": body["kind"],
            "from": agency,
            "to": list(body["to"]),
            "documentId": body["documentId"],
            "content": body["content"],
            "listedAt": dt.datetime.now(VIETNAM_TIME).isoformat(timespec="seconds"),
        }
        self.messages[message_id] = message
        for recipient in message["to"]:
            self.waiting.setdefault(recipient, []).append(message_id)
        if message["kind"] == "status":
            self._record_status(message)
        answer = {"id": message_id, "duplicate": False}
        if key:
            self.keys[(agency, key)] = answer
        return 200, answer

    def _record_status(self, message: dict[str, Any]) -> None:
        try:
            status = read(base64.b64decode(message["content"])).message
        except (EgovkitError, ValueError):
            return
        if not isinstance(status, StatusMessage):
            return
        entry = {
            "documentId": message["documentId"],
            "status": status.status,
            "from": message["from"],
            "description": status.description,
            "at": status.timestamp.isoformat() if status.timestamp else None,
        }
        for agency in (message["from"], *message["to"]):
            self.history.append((agency, entry))

    def _listing(self, agency: str, kind: str) -> list[dict[str, Any]]:
        items = []
        for message_id in self.waiting.get(agency, []):
            message = self.messages[message_id]
            if kind and message["kind"] != kind:
                continue
            summary = {k: message[k] for k in ("id", "kind", "from", "documentId", "listedAt")}
            items.append(summary)
            if self.duplicate_listings:
                items.append(summary)
        return items

    def _post_document(self, agency: str, body: Any, key: str) -> _Answer:
        if key and (agency, key) in self.keys:
            return 200, self.keys[(agency, key)]
        remote_id = f"D{next(self._ids):06d}"
        self.documents[remote_id] = {"agency": agency, "document": body}
        answer = {"id": remote_id}
        if key:
            self.keys[(agency, key)] = answer
        return 200, answer

    def _page(self, agency: str, direction: str, after: str) -> dict[str, Any]:
        ids = sorted(
            i
            for i, d in self.documents.items()
            if d["agency"] == agency and d["document"].get("direction") == direction and i > after
        )
        page = ids[:2]  # small pages, so clients must follow the cursor
        items = [{"id": i, "document": self.documents[i]["document"]} for i in page]
        return {"items": items, "next": page[-1] if len(ids) > 2 else None}

    def _processing(self, remote_id: str, method: str, body: Any) -> _Answer:
        if remote_id not in self.documents:
            return 404, {"error": "no such document"}
        if method == "PUT":
            self.processing.setdefault(remote_id, []).append(body)
            return 204, None
        return 200, {"items": self.processing.get(remote_id, [])}

    def _instruction(self, remote_id: str, method: str, body: Any) -> _Answer:
        if remote_id not in self.documents:
            return 404, {"error": "no such document"}
        if method == "PUT":
            self.instructions[remote_id] = body
            return 204, None
        if remote_id not in self.instructions:
            return 404, {"error": "no direction yet"}
        return 200, self.instructions[remote_id]


__all__ = ["IofficeTestServer"]
