"""Time-stamps (dấu thời gian, RFC 3161): an HTTP client for the core ``TimeStamper`` port.

A time-stamp proves the signature existed at a time, which is what keeps it verifiable after
the certificate expires. The Government Cipher Committee's service is slow at times (round
trips of minutes were measured), so the HTTP client (egovkit's shared :mod:`egovkit.http`)
bounds each call with a timeout and the answer's size, retries a few times on timeouts, dropped
connections, 5xx and 429 answers (honouring ``Retry-After``), and limits how many requests run
at once.
"""

from __future__ import annotations

import random as _random
import secrets
import threading
from typing import TYPE_CHECKING, Any

from asn1crypto import algos, cms, tsp  # type: ignore[import-untyped]
from pyhanko.sign.timestamps.api import TimeStamper as PyHankoTimeStamper

from egovkit.errors import RemoteError, UnsafeInputError
from egovkit.signatures.algorithms import DigestAlgorithm
from egovkit.signatures.timestamps import TimeStamper

if TYPE_CHECKING:
    import httpx

    from egovkit.http import HttpClient


def request_der(digest: bytes, algorithm: DigestAlgorithm, nonce: int) -> bytes:
    """An RFC 3161 ``TimeStampReq`` asking for the TSA's certificate."""
    request = tsp.TimeStampReq(
        {
            "version": 1,
            "message_imprint": tsp.MessageImprint(
                {
                    "hash_algorithm": algos.DigestAlgorithm({"algorithm": algorithm.value}),
                    "hashed_message": digest,
                }
            ),
            "nonce": nonce,
            "cert_req": True,
        }
    )
    der: bytes = request.dump()
    return der


def token_from_response(body: bytes, digest: bytes, nonce: int, *, where: str) -> bytes:
    """The token in a ``TimeStampResp``, checked against the request (imprint and nonce)."""
    try:
        response = tsp.TimeStampResp.load(body)
        status = response["status"]["status"].native
        if status not in ("granted", "granted_with_mods"):
            text = response["status"]["status_string"].native
            raise RemoteError(
                f"the time-stamp authority refused: {status} {text or ''}".strip(),
                code="pdf.tsa.refused",
                where=where,
            )
        token = response["time_stamp_token"]
        info = token["content"]["encap_content_info"]["content"].parsed
        imprint = info["message_imprint"]["hashed_message"].native
        answered_nonce = info["nonce"].native
    except RemoteError:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise RemoteError(
            f"unreadable time-stamp response: {exc}", code="pdf.tsa.bad_response", where=where
        ) from exc
    if imprint != digest or answered_nonce != nonce:
        raise RemoteError(
            "the time-stamp answers another request (imprint or nonce differ)",
            code="pdf.tsa.mismatch",
            where=where,
        )
    return bytes(token.dump())


class HttpTimeStamper(TimeStamper):
    """An RFC 3161 client over HTTP, on the shared :class:`egovkit.http.HttpClient`.

    ``timeout`` bounds one attempt (seconds), ``attempts`` counts tries, the n-th retry waiting
    between half and all of ``backoff * 2**n`` seconds (jittered, so many signers do not return
    together) or what a 429/503 ``Retry-After`` asks; ``max_concurrent`` caps requests in
    flight from this object across threads; ``max_bytes`` bounds the answer. Defaults follow
    what works with the slow government service (180 s, 3 attempts, 4 at once). ``transport``
    replaces the network (``httpx.MockTransport`` in tests).

    Error codes: ``pdf.tsa.timeout``, ``pdf.tsa.fetch`` (connection), ``pdf.tsa.http_status``,
    ``pdf.tsa.too_large``, ``pdf.tsa.tls``, and those of ``token_from_response``.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 180.0,
        attempts: int = 3,
        backoff: float = 1.0,
        max_concurrent: int = 4,
        max_bytes: int = 1024 * 1024,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not url.lower().startswith(("http://", "https://")):
            raise RemoteError(
                f"refusing time-stamp URL {url!r}: only http and https",
                code="pdf.tsa.url_scheme",
                where=url,
            )
        self.url = url
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.max_bytes = max_bytes
        self._transport = transport
        self._slots = threading.BoundedSemaphore(max(1, max_concurrent))

    def _client(self) -> HttpClient:
        from egovkit.http import HttpClient, RetryPolicy

        retry = RetryPolicy(
            attempts=self.attempts,
            base_delay=self.backoff,
            max_delay=self.backoff * 2 ** (self.attempts - 1),
            random=lambda: 0.5 + 0.5 * _random.random(),  # noqa: S311 - jitter, at least half
        )
        return HttpClient(
            name="pdf.tsa",
            timeout=self.timeout,
            retry=retry,
            max_response_bytes=self.max_bytes,
            transport=self._transport,
        )

    def timestamp(self, digest: bytes, algorithm: DigestAlgorithm) -> bytes:
        nonce = secrets.randbits(63)
        with self._slots:
            body = self._post(request_der(digest, algorithm, nonce))
        return token_from_response(body, digest, nonce, where=self.url)

    def _post(self, body: bytes) -> bytes:
        """One time-stamp request, retried as the policy allows; the answer's bytes."""
        try:
            with self._client() as client:
                answer = client.request(
                    "POST",
                    self.url,
                    content=body,
                    headers={"Content-Type": "application/timestamp-query"},
                    idempotent=True,  # asking twice for a token of the same digest is harmless
                )
        except RemoteError as exc:
            kind = exc.code.removeprefix("pdf.tsa.").split(".")[0]
            raise RemoteError(
                f"the time-stamp authority failed after {self.attempts} attempt(s): {exc.message}",
                code=_STABLE_CODES.get(kind, exc.code),
                where=self.url,
                retryable=exc.retryable,
            ) from exc
        except UnsafeInputError as exc:
            raise RemoteError(
                f"answer too large: {exc.message}", code="pdf.tsa.too_large", where=self.url
            ) from exc
        if answer.status != 200:
            raise RemoteError(f"HTTP {answer.status}", code="pdf.tsa.http_status", where=self.url)
        return answer.body


#: The codes this client has always given, by the kind of failure egovkit.http reports.
_STABLE_CODES = {
    "timeout": "pdf.tsa.timeout",
    "connection": "pdf.tsa.fetch",
    "http": "pdf.tsa.http_status",
    "tls": "pdf.tsa.tls",
    "url": "pdf.tsa.url_scheme",
}


class PyHankoTimeStamperAdapter(PyHankoTimeStamper):
    """Lets pyHanko's signing pipeline call an egovkit :class:`TimeStamper`."""

    def __init__(self, stamper: TimeStamper) -> None:
        super().__init__(include_nonce=False)  # type: ignore[no-untyped-call]
        self._stamper = stamper

    async def async_timestamp(self, message_digest: bytes, md_algorithm: str) -> Any:
        der = self._stamper.timestamp(message_digest, DigestAlgorithm(md_algorithm))
        return cms.ContentInfo.load(der)

    async def async_dummy_response(self, md_algorithm: str) -> Any:
        # Used by pyHanko to size the placeholder: a real token over a zero digest.
        algorithm = DigestAlgorithm(md_algorithm)
        return await self.async_timestamp(bytes(algorithm.size), md_algorithm)
