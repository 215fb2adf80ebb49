"""An HTTP client for a provincial gateway's document exchange (LGSP, trục liên thông tỉnh).

REST resources under the gateway's base path (see :mod:`egovkit_lgsp.wire` for the routes and
what is assumed), an OAuth2 token from :class:`~egovkit_lgsp.oauth.ClientCredentials`, and the
unit key (``secretDonVi``) that tells the gateway which unit calls. The gateway knows the
sender from that key, so no ``from`` is sent. Transport is :class:`egovkit.http.HttpClient`:
timeouts, bounded answers, retries with backoff and jitter on transient failures, TLS verified.
"""

from __future__ import annotations

import base64
import binascii
import json
import ssl
import urllib.parse
from collections.abc import Sequence
from typing import Any, Final, Literal

import httpx

import egovkit.http
from egovkit.agencies.codes import AgencyCode
from egovkit.errors import (
    ConfigurationError,
    EgovkitError,
    NotFoundError,
    RemoteError,
    UnsafeInputError,
)
from egovkit_lgsp.oauth import ClientCredentials
from egovkit_lgsp.wire import STATUS_VALUES, Answer, LgspDialect, Message, Unit, read_answer

#: Bytes accepted in one answer (a base64 edXML with attachments).
MAX_RESPONSE_BYTES: Final = 256 * 1024 * 1024
#: ``errorCode`` values that mean "no such message" (assumed, like the HTTP 404).
NOT_FOUND_CODES: Final = frozenset({"404", "NOT_FOUND"})
Status = Literal["INITIAL", "PROCESSING", "DONE", "FAIL"]


class LgspClient:
    """One unit's connection to a provincial gateway.

    ``base_url`` is the gateway's address (``https://lgsp.example.gov.vn:8243``); the token
    URL and resources hang off it as ``dialect`` says. ``unit_key`` is the unit's key
    (``secretDonVi``), kept as secret as ``client_secret``.
    """

    def __init__(
        self,
        base_url: str,
        *,
        agency: AgencyCode,
        client_id: str,
        client_secret: str,
        unit_key: str,
        dialect: LgspDialect | None = None,
        timeout: float = 30.0,
        retry: egovkit.http.RetryPolicy | None = None,
        verify: bool | ssl.SSLContext = True,
        transport: httpx.BaseTransport | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        resend_on_doubt: bool = True,
        token_clock: Any = None,
    ) -> None:
        self.agency = agency
        self.dialect = dialect or LgspDialect()
        if self.dialect.unit_key_header and not unit_key:
            raise ConfigurationError(
                "the gateway needs the unit's key (secretDonVi)",
                code="lgsp.unit_key",
                where="unit_key",
            )
        self._unit_key = egovkit.http.Secret(unit_key)
        self._resend = resend_on_doubt
        options: dict[str, Any] = {
            "name": "lgsp",
            "timeout": timeout,
            "retry": retry,
            "verify": verify,
            "transport": transport,
            "max_response_bytes": max_response_bytes,
        }
        root = base_url.rstrip("/")
        self._http = egovkit.http.HttpClient(root + self.dialect.base_path, **options)
        self._token_http = egovkit.http.HttpClient(root, **options)
        extra = {} if token_clock is None else {"clock": token_clock}
        self.auth = ClientCredentials(
            token_url=root + self.dialect.token_path,
            client_id=client_id,
            client_secret=client_secret,
            token_http=self._token_http,
            **extra,
        )

    def __repr__(self) -> str:
        return f"LgspClient({self._http.base_url!r}, agency={str(self.agency)!r})"

    def close(self) -> None:
        """Close the connections."""
        self._http.close()
        self._token_http.close()

    def __enter__(self) -> LgspClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- resources ----------------------------------------------------------------------------

    def send(self, data: bytes, *, kind: str, to: Sequence[AgencyCode]) -> str:
        """``POST vanbans``: send a base64 edXML; returns the gateway's ``docId``."""
        body = self.dialect.send_body(
            base64.b64encode(data).decode("ascii"), kind, [str(code) for code in to]
        )
        answer = self._call("POST", self.dialect.messages, body=body, safe=self._resend)
        if not answer.doc_id:
            raise RemoteError("the send was answered without a docId", code="lgsp.response")
        return answer.doc_id

    def received(self, *, kind: str | None = None) -> tuple[Message, ...]:
        """``GET vanbans``: messages waiting for this unit (of ``kind``, when given)."""
        params = {self.dialect.kind_query: kind} if kind and self.dialect.kind_query else {}
        answer = self._call("GET", self.dialect.messages, params=params)
        try:
            messages = answer.messages()
        except EgovkitError as exc:
            raise RemoteError(f"malformed list: {exc}", code="lgsp.response.shape") from exc
        return tuple(m for m in messages if kind is None or m.message_type == kind)

    def fetch(self, doc_id: str) -> bytes:
        """``GET vanbans/{docId}``: the edXML bytes (sent base64-encoded)."""
        answer = self._call("GET", self._message(doc_id), where=doc_id)
        if not isinstance(answer.data, str):
            raise RemoteError("the message came without content", code="lgsp.response.content")
        try:
            return base64.b64decode(answer.data, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise UnsafeInputError(
                "the content is not valid base64", code="lgsp.response.base64"
            ) from exc

    def update_status(self, doc_id: str, status: Status) -> None:
        """``PUT vanbans/{docId}``: ``INITIAL``, ``PROCESSING``, ``DONE`` or ``FAIL``."""
        if status not in STATUS_VALUES:
            raise ConfigurationError(
                f"status must be one of {', '.join(STATUS_VALUES)}, not {status!r}",
                code="lgsp.status",
                where="status",
            )
        body = self.dialect.status_body(status)
        self._call("PUT", self._message(doc_id), body=body, where=doc_id)

    def units(self) -> tuple[Unit, ...]:
        """``GET donvilienthongs``: the units connected through the gateway."""
        answer = self._call("GET", self.dialect.units)
        try:
            return answer.units()
        except EgovkitError as exc:
            raise RemoteError(f"malformed unit list: {exc}", code="lgsp.response.shape") from exc

    # -- plumbing -----------------------------------------------------------------------------

    def _message(self, doc_id: str) -> str:
        return self.dialect.message_path(urllib.parse.quote(doc_id, safe=""))

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        safe: bool = True,
        where: str = "",
    ) -> Answer:
        headers = {"Accept": "application/json"}
        content = None
        if body is not None:
            content = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        url = "/" + path.lstrip("/")
        used: list[str] = []

        def prepare(request: httpx.Request) -> None:
            used.append(self.auth.authorize(request))
            if self.dialect.unit_key_header:
                request.headers[self.dialect.unit_key_header] = self._unit_key.reveal()

        for first in (True, False):
            answer = self._http.request(
                method,
                url,
                headers=headers,
                content=content,
                params=params,
                idempotent=safe,
                prepare=prepare,
            )
            if answer.status != 401 or not first:
                break
            self.auth.forget(used[-1])  # refused before any work: renew once, send again
        return self._read(answer, f"{method} {path}", where)

    @staticmethod
    def _read(answer: egovkit.http.HttpAnswer, what: str, where: str) -> Answer:
        if answer.status == 401:
            raise RemoteError(
                f"{what}: the gateway refused the token twice (HTTP 401)",
                code="lgsp.unauthorized",
            )
        if answer.status == 404:
            raise NotFoundError(f"{what}: not found", code="lgsp.not_found", where=where)
        looks_json = answer.body.lstrip().startswith(b"{")
        if not answer.ok and not looks_json:
            raise RemoteError(f"{what}: HTTP {answer.status}", code=f"lgsp.http.{answer.status}")
        try:
            envelope = read_answer(answer.body)
        except EgovkitError as exc:
            raise RemoteError(f"{what}: unreadable answer: {exc}", code="lgsp.response") from exc
        if envelope.ok:
            return envelope
        if envelope.error_code in NOT_FOUND_CODES:
            raise NotFoundError(
                f"{what}: {envelope.error_desc or 'not found'}", code="lgsp.not_found", where=where
            )
        raise RemoteError(
            f"{what}: the gateway refused ({envelope.error_code}): {envelope.error_desc}",
            code=f"lgsp.fail.{envelope.error_code}",
            where=where,
        )


__all__ = ["MAX_RESPONSE_BYTES", "LgspClient", "Status"]
