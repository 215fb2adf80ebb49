"""An HTTP client for the national document exchange axis (trục liên thông văn bản quốc gia).

Parameters travel as headers, as the VPCP SDK sends them: ``servicetype: eDoc``,
``messagetype: edoc|status``, ``from`` (the sender's code), ``to`` (a JSON list of codes),
``docId``, ``status: done|fail``; ``sendEdoc`` carries the edXML as ``application/octet-stream``
with its SHA-256 in ``hash-file``. Every call has a timeout and is retried with backoff and
jitter when the failure is transient (timeouts, dropped connections, 5xx). TLS certificates are
verified unless you pass ``verify=False`` explicitly.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import ssl
from collections.abc import Mapping, Sequence
from typing import Final

import httpx

import egovkit.exchange.retry
import egovkit_vdxp.auth
from egovkit.agencies.codes import AgencyCode
from egovkit.errors import EgovkitError, NotFoundError, RemoteError, UnsafeInputError
from egovkit.exchange.retry import RetryPolicy
from egovkit_vdxp.wire import AxisAgency, AxisItem, AxisResponse, read_response

_log = logging.getLogger(__name__)

#: Bytes accepted in one answer (an edXML with attachments, base64: a third larger).
MAX_RESPONSE_BYTES: Final = 256 * 1024 * 1024
#: Error codes of the axis that mean "no such message" (assumed; the public SDK names none).
NOT_FOUND_CODES: Final = frozenset({"404", "NOT_FOUND"})


class VdxpClient:
    """The axis' endpoints as methods; one client speaks for one agency (``from``)."""

    def __init__(
        self,
        base_url: str,
        *,
        agency: AgencyCode,
        auth: egovkit_vdxp.auth.Authenticator,
        timeout: float = 30.0,
        retry: egovkit.exchange.retry.RetryPolicy | None = None,
        verify: bool | ssl.SSLContext = True,
        transport: httpx.BaseTransport | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self.agency = agency
        self._auth = auth
        self._retry = retry or RetryPolicy()
        self._max = max_response_bytes
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            verify=verify,
            transport=transport,
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"VdxpClient({str(self._http.base_url)!r}, agency={str(self.agency)!r})"

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> VdxpClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- endpoints ----------------------------------------------------------------------------

    def send_edoc(self, data: bytes, *, to: Sequence[AgencyCode], message_type: str) -> str:
        """``/sendEdoc``: send an edXML message; returns the axis' ``DocId``."""
        headers = {
            **self._common(message_type),
            "to": json.dumps([str(code) for code in to]),
            "hash-file": hashlib.sha256(data).hexdigest(),
            "Content-Type": "application/octet-stream",
        }
        answer = self._call("/sendEdoc", headers, data)
        if not answer.doc_id:
            raise RemoteError("sendEdoc answered without a DocId", code="vdxp.response.doc_id")
        return answer.doc_id

    def received(self, *, message_type: str = "edoc") -> tuple[AxisItem, ...]:
        """``/getReceivedEdocList``: messages waiting for this agency."""
        return self._items(self._call("/getReceivedEdocList", self._common(message_type)))

    def sent(self, *, message_type: str = "edoc") -> tuple[AxisItem, ...]:
        """``/getSentEdocList``: messages this agency sent, with their delivery status."""
        return self._items(self._call("/getSentEdocList", self._common(message_type)))

    def get_edoc(self, doc_id: str) -> bytes:
        """``/getEdoc``: the edXML bytes of a message (sent base64-encoded)."""
        answer = self._call("/getEdoc", {**self._common("edoc"), "docId": doc_id})
        if not isinstance(answer.data, str):
            raise RemoteError("getEdoc answered without content", code="vdxp.response.content")
        try:
            return base64.b64decode(answer.data, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise UnsafeInputError(
                "getEdoc content is not valid base64", code="vdxp.response.base64"
            ) from exc

    def update_status(self, doc_id: str, *, done: bool = True) -> None:
        """``/updateStatus``: the message was taken (``done``) or could not be (``fail``)."""
        headers = {**self._common("edoc"), "docId": doc_id, "status": "done" if done else "fail"}
        self._call("/updateStatus", headers)

    def agencies(self) -> tuple[AxisAgency, ...]:
        """``/getAgenciesList``: the agencies connected to the axis."""
        answer = self._call("/getAgenciesList", self._common("edoc"))
        try:
            return answer.agencies()
        except EgovkitError as exc:
            raise RemoteError(f"malformed agency list: {exc}", code="vdxp.response.shape") from exc

    # -- plumbing -----------------------------------------------------------------------------

    def _common(self, message_type: str) -> dict[str, str]:
        return {"servicetype": "eDoc", "messagetype": message_type, "from": str(self.agency)}

    @staticmethod
    def _items(answer: AxisResponse) -> tuple[AxisItem, ...]:
        try:
            return answer.items()
        except EgovkitError as exc:
            raise RemoteError(f"malformed list: {exc}", code="vdxp.response.shape") from exc

    def _call(
        self, path: str, headers: Mapping[str, str], content: bytes | None = None
    ) -> AxisResponse:
        return self._retry.call(lambda: self._once(path, headers, content))

    def _once(self, path: str, headers: Mapping[str, str], content: bytes | None) -> AxisResponse:
        request = self._http.build_request("POST", path, headers=dict(headers), content=content)
        self._auth.authenticate(request)
        try:
            response = self._http.send(request, stream=True)
            try:
                raw = self._read(response, path)
            finally:
                response.close()
        except httpx.TimeoutException as exc:
            raise RemoteError(f"{path}: timed out", code="vdxp.timeout", retryable=True) from exc
        except httpx.TransportError as exc:
            tls = isinstance(exc, httpx.ConnectError) and "CERTIFICATE" in str(exc).upper()
            if tls:
                raise RemoteError(
                    f"{path}: the server's TLS certificate was not trusted",
                    code="vdxp.tls",
                ) from exc
            raise RemoteError(
                f"{path}: connection failed ({type(exc).__name__})",
                code="vdxp.connection",
                retryable=True,
            ) from exc
        _log.debug("%s answered HTTP %s", path, response.status_code)
        if response.status_code >= 500 or response.status_code == 429:
            raise RemoteError(
                f"{path}: HTTP {response.status_code}",
                code=f"vdxp.http.{response.status_code}",
                retryable=True,
            )
        if response.status_code >= 400 and not raw.lstrip().startswith(b"{"):
            raise RemoteError(
                f"{path}: HTTP {response.status_code}", code=f"vdxp.http.{response.status_code}"
            )
        try:
            answer = read_response(raw)
        except EgovkitError as exc:
            raise RemoteError(f"{path}: unreadable answer: {exc}", code="vdxp.response") from exc
        if not answer.ok:
            if answer.error_code in NOT_FOUND_CODES:
                raise NotFoundError(
                    f"{path}: {answer.error_desc or 'not found'}",
                    code="vdxp.not_found",
                    where=headers.get("docId", ""),
                )
            raise RemoteError(
                f"{path}: the axis refused ({answer.error_code}): {answer.error_desc}",
                code=f"vdxp.fail.{answer.error_code}",
            )
        return answer

    def _read(self, response: httpx.Response, path: str) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self._max:
                raise UnsafeInputError(
                    f"{path}: answer larger than {self._max} bytes", code="vdxp.response.size"
                )
            chunks.append(chunk)
        return b"".join(chunks)


__all__ = ["MAX_RESPONSE_BYTES", "VdxpClient"]
