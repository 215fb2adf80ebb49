"""A client of the iOffice-like REST contract, and the contract as a DocumentExchange.

Calls go through egovkit's shared :class:`egovkit.http.HttpClient`: every call has a timeout
and a bound on the answer's size, and is retried with backoff and jitter (or the server's
``Retry-After``) when the failure is transient (timeouts, dropped connections, 5xx, 429).
Pushes carry an ``Idempotency-Key`` (the contract asks vendors to honour it), so a retry after
a lost answer creates nothing twice; a request without one is not repeated once it may have
reached the system. TLS certificates
are verified unless ``verify=False`` is passed explicitly; the bearer token is never logged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import ssl
import urllib.parse
from collections.abc import Callable, Sequence
from typing import Any, Final, Protocol

import attrs
import httpx

import egovkit.exchange.retry
import egovkit.http
from egovkit.agencies.codes import AgencyCode
from egovkit.documents.model import Document
from egovkit.errors import EgovkitError, NotFoundError, RemoteError, UnsafeInputError
from egovkit.exchange.ports import (
    Capabilities,
    Delivery,
    DocumentExchange,
    MessageKind,
    SendReceipt,
    StatusEntry,
)
from egovkit.exchange.retry import RetryPolicy
from egovkit.http import HttpClient
from egovkit.http import RetryPolicy as HttpRetryPolicy
from egovkit_ioffice.mapping import IofficeMapping, read_json
from egovkit_ioffice.model import Instruction, ProcessingUpdate

_log = logging.getLogger(__name__)

#: Bytes accepted in one answer.
MAX_RESPONSE_BYTES: Final = 256 * 1024 * 1024


class Authenticator(Protocol):
    """Adds credentials to a request (in place)."""

    def authenticate(self, request: httpx.Request) -> None:
        """Change ``request``, usually its headers."""


@attrs.frozen
class BearerToken:
    """``Authorization: Bearer <token>`` (the token stays out of ``repr`` and logs)."""

    token: str = attrs.field(repr=False)

    def authenticate(self, request: httpx.Request) -> None:
        """Set the Authorization header."""
        request.headers["Authorization"] = f"Bearer {self.token}"


@attrs.frozen(kw_only=True)
class RemoteDocument:
    """A document as the system holds it: its id there and the document."""

    id: str
    document: Document


class IofficeClient:
    """The contract's endpoints as methods; one client speaks for one agency (``X-Agency``)."""

    def __init__(
        self,
        base_url: str,
        *,
        agency: AgencyCode,
        auth: Authenticator,
        mapping: IofficeMapping | None = None,
        timeout: float = 30.0,
        retry: egovkit.exchange.retry.RetryPolicy | egovkit.http.RetryPolicy | None = None,
        verify: bool | ssl.SSLContext = True,
        transport: httpx.BaseTransport | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self.agency = agency
        self.mapping = mapping or IofficeMapping()
        self._auth = auth
        self._http = HttpClient(
            base_url,
            name="ioffice",
            timeout=timeout,
            retry=_http_retry(retry or RetryPolicy()),
            max_response_bytes=max_response_bytes,
            verify=verify,
            transport=transport,
        )

    def __repr__(self) -> str:
        return f"IofficeClient({self._http.base_url!r}, agency={str(self.agency)!r})"

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> IofficeClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- exchange messages ---------------------------------------------------------------------

    def post_message(
        self, data: bytes, *, kind: MessageKind, to: Sequence[AgencyCode], document_id: str
    ) -> tuple[str, bool]:
        """``POST /messages``: ``(id, duplicate)``."""
        key = f"{self.agency}|{kind.value}|{document_id}"
        if kind is MessageKind.STATUS:
            key += "|" + hashlib.sha256(data).hexdigest()
        body = {
            "kind": kind.value,
            "documentId": document_id,
            "to": [str(c) for c in to],
            "content": base64.b64encode(data).decode("ascii"),
        }
        answer = self._object(self._call("POST", "/messages", body=body, idempotency=key))
        message_id = answer.get("id")
        if not isinstance(message_id, str) or not message_id:
            raise RemoteError("POST /messages answered without an id", code="ioffice.response")
        return message_id, answer.get("duplicate") is True

    def messages(self, *, kind: MessageKind | None = None) -> tuple[Delivery, ...]:
        """``GET /messages``: what waits for this agency."""
        params = {"kind": kind.value} if kind else {}
        items = self._items(self._call("GET", "/messages", params=params))
        return tuple(self._map(self.mapping.delivery_from_json, i, f"items[{n}]") for n, i in items)

    def message(self, message_id: str) -> bytes:
        """``GET /messages/{id}``: the edXML bytes."""
        answer = self._object(self._call("GET", f"/messages/{_segment(message_id)}"))
        content = answer.get("content")
        if not isinstance(content, str):
            raise RemoteError("a message without content", code="ioffice.response")
        try:
            return base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise UnsafeInputError("content is not base64", code="ioffice.base64") from exc

    def confirm_message(self, message_id: str, *, ok: bool) -> None:
        """``POST /messages/{id}/confirm``."""
        self._call(
            "POST",
            f"/messages/{_segment(message_id)}/confirm",
            body={"ok": ok},
            idempotent=True,  # the contract: confirming twice is harmless
        )

    def history(self, document_id: str) -> tuple[StatusEntry, ...]:
        """``GET /history?documentId=``."""
        items = self._items(self._call("GET", "/history", params={"documentId": document_id}))
        return tuple(
            self._map(self.mapping.status_entry_from_json, i, f"items[{n}]") for n, i in items
        )

    # -- documents and their handling ------------------------------------------------------------

    def push_document(self, document: Document, *, key: str) -> str:
        """``POST /documents``: hand a document to the system (a secret one is refused before
        anything is sent); ``key`` makes a retry harmless. Returns the system's id."""
        body = self.mapping.document_to_json(document)
        answer = self._object(self._call("POST", "/documents", body=body, idempotency=key))
        remote_id = answer.get("id")
        if not isinstance(remote_id, str) or not remote_id:
            raise RemoteError("POST /documents answered without an id", code="ioffice.response")
        return remote_id

    def documents(
        self, *, direction: str = "outgoing", after: str = ""
    ) -> tuple[tuple[RemoteDocument, ...], str]:
        """``GET /documents``: one page of documents and the cursor of the next page."""
        params = {"direction": direction, **({"after": after} if after else {})}
        answer = self._object(self._call("GET", "/documents", params=params))
        found = []
        for n, item in self._items(answer):
            where = f"items[{n}]"
            record = self._map(_item_object, item, where)
            remote_id = record.get("id")
            if not isinstance(remote_id, str) or not remote_id:
                raise RemoteError(f"{where}: a document without an id", code="ioffice.response")
            document = self._map(self.mapping.document_from_json, record.get("document"), where)
            found.append(RemoteDocument(id=remote_id, document=document))
        cursor = answer.get("next") or ""
        if not isinstance(cursor, str):
            raise RemoteError("next must be text", code="ioffice.response")
        return tuple(found), cursor

    def set_processing(self, remote_id: str, update: ProcessingUpdate) -> None:
        """``PUT /documents/{id}/processing``."""
        body = self.mapping.processing_to_json(update)
        self._call("PUT", f"/documents/{_segment(remote_id)}/processing", body=body)

    def processing(self, remote_id: str) -> tuple[ProcessingUpdate, ...]:
        """``GET /documents/{id}/processing``: the processing history."""
        items = self._items(self._call("GET", f"/documents/{_segment(remote_id)}/processing"))
        return tuple(
            self._map(self.mapping.processing_from_json, i, f"items[{n}]") for n, i in items
        )

    def set_instruction(self, remote_id: str, instruction: Instruction) -> None:
        """``PUT /documents/{id}/instruction``: a leader's direction."""
        body = self.mapping.instruction_to_json(instruction)
        self._call("PUT", f"/documents/{_segment(remote_id)}/instruction", body=body)

    def instruction(self, remote_id: str) -> Instruction:
        """``GET /documents/{id}/instruction``."""
        answer = self._call("GET", f"/documents/{_segment(remote_id)}/instruction")
        instruction: Instruction = self._map(
            self.mapping.instruction_from_json, answer, "instruction"
        )
        return instruction

    # -- plumbing -------------------------------------------------------------------------------

    @staticmethod
    def _map(read: Callable[..., Any], data: object, where: str) -> Any:
        try:
            return read(data)
        except (EgovkitError, TypeError, ValueError) as exc:
            if isinstance(exc, EgovkitError) and exc.code.startswith("ioffice.policy"):
                raise
            raise RemoteError(
                f"{where}: unreadable answer: {exc}", code="ioffice.response"
            ) from exc

    @staticmethod
    def _object(answer: Any) -> dict[str, Any]:
        if not isinstance(answer, dict):
            raise RemoteError("the answer is not a JSON object", code="ioffice.response")
        return answer

    def _items(self, answer: Any) -> list[tuple[int, Any]]:
        items = self._object(answer).get("items")
        if not isinstance(items, list):
            raise RemoteError("the answer has no item list", code="ioffice.response")
        return list(enumerate(items))

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: dict[str, str] | None = None,
        idempotency: str = "",
        idempotent: bool | None = None,
    ) -> Any:
        """One call of the contract through :class:`egovkit.http.HttpClient` (timeouts, bounded
        answers, retries with jitter and ``Retry-After``); a POST is retried after it may have
        reached the system only when it carries an ``Idempotency-Key`` or is ``idempotent``."""
        headers = {"X-Agency": str(self.agency), "Accept": "application/json"}
        if idempotency:
            headers["Idempotency-Key"] = idempotency
        content = None
        if body is not None:
            content = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        answer = self._http.request(
            method,
            path,
            headers=headers,
            content=content,
            params=params,
            idempotent=True if idempotency else idempotent,
            prepare=self._auth.authenticate,
        )
        where = f"{method} {path}"
        _log.debug("%s answered HTTP %s", where, answer.status)
        if answer.status == 404:
            raise NotFoundError(f"{where}: not found", code="ioffice.not_found", where=path)
        if answer.status >= 400:
            raise RemoteError(
                f"{where}: HTTP {answer.status}", code=f"ioffice.http.{answer.status}"
            )
        if answer.status == 204 or not answer.body:
            return {}
        try:
            return read_json(answer.body)
        except EgovkitError as exc:
            raise RemoteError(
                f"{where}: unreadable answer: {exc}", code="ioffice.response"
            ) from exc


def _http_retry(policy: RetryPolicy | HttpRetryPolicy) -> HttpRetryPolicy:
    """The exchange retry policy this client has always taken, as egovkit.http's."""
    if isinstance(policy, HttpRetryPolicy):
        return policy
    return HttpRetryPolicy(
        attempts=policy.attempts,
        base_delay=policy.base_delay,
        max_delay=policy.max_delay,
        sleep=policy.sleep,
        random=policy.random,
    )


def _segment(text: str) -> str:
    return urllib.parse.quote(text, safe="")


def _item_object(data: object) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise TypeError("an item must be an object")
    return data


class IofficeExchange(DocumentExchange):
    """An iOffice-like system's message endpoints as a DocumentExchange (it honours
    ``Idempotency-Key`` and keeps status history, as the contract requires)."""

    capabilities = Capabilities(status_history=True, deduplicates_sends=True)

    def __init__(self, client: IofficeClient) -> None:
        self.client = client

    @property
    def agency(self) -> AgencyCode:
        return self.client.agency

    def send(
        self, data: bytes, *, kind: MessageKind, to: Sequence[AgencyCode], document_id: str
    ) -> SendReceipt:
        message_id, duplicate = self.client.post_message(
            data, kind=kind, to=to, document_id=document_id
        )
        return SendReceipt(
            message_id=message_id, document_id=document_id, kind=kind, duplicate=duplicate
        )

    def received(self, *, kind: MessageKind | None = None) -> tuple[Delivery, ...]:
        return self.client.messages(kind=kind)

    def fetch(self, message_id: str) -> bytes:
        return self.client.message(message_id)

    def confirm(self, message_id: str, *, ok: bool = True) -> None:
        self.client.confirm_message(message_id, ok=ok)

    def history(self, document_id: str) -> tuple[StatusEntry, ...]:
        return self.client.history(document_id)

    def close(self) -> None:
        self.client.close()


__all__ = ["Authenticator", "BearerToken", "IofficeClient", "IofficeExchange", "RemoteDocument"]
