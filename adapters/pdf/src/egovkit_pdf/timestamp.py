"""Time-stamps (dấu thời gian, RFC 3161): an HTTP client for the core ``TimeStamper`` port.

A time-stamp proves the signature existed at a time, which is what keeps it verifiable after
the certificate expires. The Government Cipher Committee's service is slow at times (round
trips of minutes were measured), so the HTTP client bounds each call with a timeout, retries
a few times on timeouts, dropped connections and 5xx answers, and limits how many requests
run at once.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import TYPE_CHECKING, Any

from asn1crypto import algos, cms, tsp  # type: ignore[import-untyped]
from pyhanko.sign.timestamps.api import TimeStamper as PyHankoTimeStamper

from egovkit.errors import RemoteError
from egovkit.signatures.algorithms import DigestAlgorithm
from egovkit.signatures.timestamps import TimeStamper

if TYPE_CHECKING:
    import httpx


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
    """An RFC 3161 client over HTTP (httpx).

    ``timeout`` bounds one attempt (seconds), ``attempts`` counts tries with ``backoff``
    seconds between them (doubled each time), ``max_concurrent`` caps requests in flight from
    this object across threads. Defaults follow what works with the slow government service
    (180 s, 3 attempts, 4 at once); pass ``client`` to reuse a configured
    :class:`httpx.Client`.
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
        client: httpx.Client | None = None,
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
        self._client = client
        self._slots = threading.BoundedSemaphore(max(1, max_concurrent))

    def timestamp(self, digest: bytes, algorithm: DigestAlgorithm) -> bytes:
        last: RemoteError | None = None
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            nonce = secrets.randbits(63)
            try:
                with self._slots:
                    body = self._post(request_der(digest, algorithm, nonce))
                return token_from_response(body, digest, nonce, where=self.url)
            except RemoteError as exc:
                last = exc
                if not exc.retryable:
                    raise
        assert last is not None
        raise RemoteError(
            f"the time-stamp authority failed {self.attempts} time(s): {last.message}",
            code=last.code,
            where=self.url,
            retryable=True,
        ) from last

    def _post(self, body: bytes) -> bytes:
        import httpx

        client = self._client or httpx.Client(follow_redirects=False)
        try:
            response = client.post(
                self.url,
                content=body,
                headers={"Content-Type": "application/timestamp-query"},
                timeout=self.timeout,
            )
        except httpx.TimeoutException as exc:
            raise RemoteError(
                f"no answer within {self.timeout} s",
                code="pdf.tsa.timeout",
                where=self.url,
                retryable=True,
            ) from exc
        except httpx.HTTPError as exc:
            raise RemoteError(
                f"request failed: {exc}", code="pdf.tsa.fetch", where=self.url, retryable=True
            ) from exc
        finally:
            if self._client is None:
                client.close()
        if response.status_code != 200:
            raise RemoteError(
                f"HTTP {response.status_code}",
                code="pdf.tsa.http_status",
                where=self.url,
                retryable=response.status_code >= 500,
            )
        if len(response.content) > self.max_bytes:
            raise RemoteError("answer too large", code="pdf.tsa.too_large", where=self.url)
        return response.content


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
