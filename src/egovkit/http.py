"""One careful HTTP client for every remote system egovkit talks to (axis, portal, OCSP, LGSP).

Calls to government systems fail in a few familiar ways: a server that stalls, drops the
connection, answers 500 or 503 "come back later", or sends far more than was asked for. This
module handles them once, so adapters do not each carry a copy:

* **timeouts** on every network operation, and an optional ``deadline`` for a whole answer (a
  server that drips one byte a second never trips a read timeout);
* **bounded reads**: an answer larger than ``max_response_bytes`` (announced or streamed) is
  refused with :class:`~egovkit.errors.UnsafeInputError` before it is held in memory;
* **retries** with exponential backoff and full jitter, only for failures that say they are
  transient (timeouts, dropped connections, 5xx, 429) and only when repeating the request is
  safe: the caller says so with ``idempotent``; a request that is not idempotent is retried
  only when it certainly never reached the server (the connection could not be opened);
* **Retry-After** (seconds or an HTTP-date) on 429 and 503 answers, capped at
  ``max_retry_after`` of :class:`RetryPolicy`;
* **no secrets** in ``repr``, logs or errors: messages name the method and the URL path only —
  never headers, bodies, credentials in the URL or its query string.

Errors are :class:`~egovkit.errors.RemoteError` with codes under the client's ``name``
(``<name>.timeout``, ``<name>.connection``, ``<name>.tls``, ``<name>.http.<status>``,
``<name>.url``) and :class:`~egovkit.errors.UnsafeInputError` ``<name>.response.size``.
Statuses the caller must interpret (2xx, 3xx, 4xx other than 429) come back as an
:class:`HttpAnswer`.
"""

from __future__ import annotations

import email.utils
import logging
import random as _random
import ssl
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Final

import attrs
import httpx

from egovkit.errors import ConfigurationError, RemoteError, UnsafeInputError

_log = logging.getLogger(__name__)

#: Answers larger than this are refused unless the client says otherwise (16 MiB).
DEFAULT_MAX_RESPONSE_BYTES: Final = 16 * 1024 * 1024
#: Statuses that mean "try again later" besides every 5xx.
RETRYABLE_STATUSES: Final = frozenset({408, 429})
#: Statuses whose ``Retry-After`` header is honoured.
RETRY_AFTER_STATUSES: Final = frozenset({429, 503})
#: Methods that are idempotent by definition (RFC 9110 §9.2.2).
IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})


def _not_negative(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if value < 0:
        raise ConfigurationError(
            f"{attribute.name} must be >= 0, not {value!r}",
            code="http.retry.config",
            where=attribute.name,
        )


def _at_least_one(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ConfigurationError(
            f"{attribute.name} must be >= 1, not {value!r}",
            code="http.retry.config",
            where=attribute.name,
        )


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How often and how patiently to retry.

    ``attempts`` calls in all; retry ``n`` (0 for the first) waits a random time in
    ``[0, min(max_delay, base_delay * 2**n)]`` seconds ("full jitter", so many clients do not
    return to a recovering server together), or what ``Retry-After`` asks, at most
    ``max_retry_after`` seconds. ``sleep`` and ``random`` are injectable so tests never wait.
    """

    attempts: int = attrs.field(default=4, validator=_at_least_one)
    base_delay: float = attrs.field(default=0.2, validator=_not_negative)
    max_delay: float = attrs.field(default=5.0, validator=_not_negative)
    max_retry_after: float = attrs.field(default=30.0, validator=_not_negative)
    sleep: Callable[[float], None] = attrs.field(default=time.sleep, eq=False, repr=False)
    random: Callable[[], float] = attrs.field(default=_random.random, eq=False, repr=False)

    def backoff(self, retry: int) -> float:
        """The jittered wait before retry number ``retry`` (0 for the first retry)."""
        ceiling = min(self.max_delay, self.base_delay * (2.0**retry))
        return float(ceiling * self.random())

    def wait(self, retry: int, retry_after: float | None) -> float:
        """The wait before retry ``retry``: the server's ``Retry-After`` (capped) if it gave
        one, else :meth:`backoff`."""
        if retry_after is not None:
            return min(self.max_retry_after, max(0.0, retry_after))
        return self.backoff(retry)


#: One attempt, no retries (tests of a single call; callers that retry at a higher level).
NO_RETRY: Final = RetryPolicy(attempts=1)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: delay-seconds or an HTTP-date
    (RFC 9110 §10.2.3); ``None`` when absent or unreadable (a past date gives 0)."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text))
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" means UTC as well (RFC 5322 §3.3)
        when = when.replace(tzinfo=UTC)
    moment = now or datetime.now(UTC)
    return max(0.0, (when - moment).total_seconds())


@attrs.frozen(kw_only=True)
class HttpAnswer:
    """A complete, size-checked answer. ``body`` is never printed by ``repr``."""

    status: int
    headers: httpx.Headers = attrs.field(eq=False, repr=False)
    body: bytes = attrs.field(repr=False)
    url_path: str

    @property
    def ok(self) -> bool:
        """2xx."""
        return 200 <= self.status < 300

    def text(self, encoding: str = "utf-8") -> str:
        """The body as text (undecodable bytes replaced)."""
        return self.body.decode(encoding, errors="replace")


class _TransientError(Exception):
    """Internal: a failed attempt, with what the retry loop needs to decide."""

    def __init__(self, error: RemoteError, *, delivered: bool, retry_after: float | None) -> None:
        super().__init__(error.message)
        self.error = error
        self.delivered = delivered
        self.retry_after = retry_after


def _safe_url(url: httpx.URL) -> str:
    """Scheme, host, port and path: no userinfo, no query (either may hold a token)."""
    return str(url.copy_with(query=None, fragment=None, username=None, password=None))


class _RedactUrls(logging.Filter):
    """httpx logs each request's full URL at INFO; drop its userinfo and query first."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(a, httpx.URL) for a in record.args):
            record.args = tuple(
                _safe_url(a) if isinstance(a, httpx.URL) else a for a in record.args
            )
        return True


def _install_redaction() -> None:
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, _RedactUrls) for f in logger.filters):
        logger.addFilter(_RedactUrls())


_install_redaction()


class HttpClient:
    """Requests to one remote system with timeouts, bounded reads and safe retries.

    ``name`` prefixes error codes (``vdxp``, ``lgsp``…). ``base_url`` may be empty when every
    call passes an absolute URL. ``auth`` is any :class:`httpx.Auth`; ``prepare`` hooks given
    to :meth:`request` can change each request (sign it) after its headers are final.
    ``transport`` replaces the network (``httpx.MockTransport`` in tests).
    """

    def __init__(
        self,
        base_url: str = "",
        *,
        name: str = "http",
        timeout: float | httpx.Timeout = 30.0,
        deadline: float | None = None,
        retry: RetryPolicy | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        verify: bool | ssl.SSLContext = True,
        transport: httpx.BaseTransport | None = None,
        auth: httpx.Auth | None = None,
        headers: Mapping[str, str] | None = None,
        on_retry: Callable[[int, RemoteError], None] | None = None,
    ) -> None:
        if base_url and not base_url.lower().startswith(("http://", "https://")):
            raise ConfigurationError(
                "the base URL must be an http(s) URL", code=f"{name}.url", where="base_url"
            )
        if max_response_bytes < 1:
            raise ConfigurationError(
                "max_response_bytes must be >= 1", code=f"{name}.config", where="max_response_bytes"
            )
        self.name = name
        self.retry = retry or RetryPolicy()
        self.max_response_bytes = max_response_bytes
        self.deadline = deadline
        self._on_retry = on_retry
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            verify=verify,
            transport=transport,
            auth=auth,
            headers=dict(headers or {}),
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        base = _safe_url(self._http.base_url) if str(self._http.base_url) else ""
        return f"HttpClient({base!r}, name={self.name!r})"

    @property
    def base_url(self) -> str:
        """The base URL without credentials or query."""
        return _safe_url(self._http.base_url)

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        params: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        prepare: Callable[[httpx.Request], None] | None = None,
    ) -> HttpAnswer:
        """Send one request (retried as the policy allows) and read its whole answer.

        ``idempotent`` says whether sending the request twice is harmless; by default it is
        true for GET, HEAD, OPTIONS, PUT, DELETE and TRACE. ``prepare`` runs on every attempt
        just before sending (signatures with a fresh timestamp, a refreshed token).
        Raises :class:`~egovkit.errors.RemoteError` for transport failures and retryable
        statuses once the retries are spent; other statuses are returned.
        """
        method = method.upper()
        safe = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        for retry in range(self.retry.attempts):
            try:
                return self._once(method, url, headers, content, params, prepare)
            except _TransientError as failure:
                last = retry == self.retry.attempts - 1
                if last or (failure.delivered and not safe):
                    if not last:
                        _log.debug(
                            "%s: not retried, the request may have been processed",
                            failure.error.message,
                        )
                    raise failure.error from failure.error.__cause__
                if self._on_retry is not None:
                    self._on_retry(retry + 1, failure.error)
                pause = self.retry.wait(retry, failure.retry_after)
                _log.debug("%s; retry %d in %.2f s", failure.error.message, retry + 1, pause)
                self.retry.sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover

    # -- one attempt ------------------------------------------------------------------------

    def _once(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        content: bytes | None,
        params: Mapping[str, str] | None,
        prepare: Callable[[httpx.Request], None] | None,
    ) -> HttpAnswer:
        request = self._http.build_request(
            method, url, headers=dict(headers or {}), content=content, params=dict(params or {})
        )
        if request.url.scheme not in ("http", "https"):
            raise RemoteError(
                f"refusing a {request.url.scheme!r} URL: only http and https are used",
                code=f"{self.name}.url",
            )
        where = f"{method} {request.url.path}"
        if prepare is not None:
            prepare(request)
        try:
            response = self._http.send(request, stream=True)
        except httpx.TimeoutException as exc:
            delivered = not isinstance(exc, httpx.ConnectTimeout)
            raise self._transient(f"{where}: timed out", "timeout", exc, delivered) from exc
        except httpx.TransportError as exc:
            if isinstance(exc, httpx.ConnectError) and "CERTIFICATE" in str(exc).upper():
                raise RemoteError(
                    f"{where}: the server's TLS certificate was not trusted",
                    code=f"{self.name}.tls",
                ) from exc
            delivered = not isinstance(exc, httpx.ConnectError)
            raise self._transient(
                f"{where}: connection failed ({type(exc).__name__})", "connection", exc, delivered
            ) from exc
        try:
            body = self._read(response, where)
        except httpx.TimeoutException as exc:
            raise self._transient(f"{where}: the answer stalled", "timeout", exc, True) from exc
        except httpx.TransportError as exc:
            raise self._transient(
                f"{where}: the answer was cut off ({type(exc).__name__})", "connection", exc, True
            ) from exc
        finally:
            response.close()
        status = response.status_code
        _log.debug("%s answered HTTP %s (%d bytes)", where, status, len(body))
        if status >= 500 or status in RETRYABLE_STATUSES:
            retry_after = None
            if status in RETRY_AFTER_STATUSES:
                retry_after = parse_retry_after(response.headers.get("retry-after"))
            error = RemoteError(
                f"{where}: HTTP {status}", code=f"{self.name}.http.{status}", retryable=True
            )
            # 429 and 503 say the server did not handle the request (RFC 6585 §4, RFC 9110
            # §15.6.4): repeating even a non-idempotent one is safe then.
            delivered = status not in RETRY_AFTER_STATUSES
            raise _TransientError(error, delivered=delivered, retry_after=retry_after)
        return HttpAnswer(
            status=status, headers=response.headers, body=body, url_path=request.url.path
        )

    def _transient(
        self, message: str, kind: str, exc: Exception, delivered: bool
    ) -> _TransientError:
        error = RemoteError(message, code=f"{self.name}.{kind}", retryable=True)
        error.__cause__ = exc
        return _TransientError(error, delivered=delivered, retry_after=None)

    def _read(self, response: httpx.Response, where: str) -> bytes:
        limit = self.max_response_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise UnsafeInputError(
                f"{where}: the answer announces {declared} bytes, more than the {limit} accepted",
                code=f"{self.name}.response.size",
            )
        ends = None if self.deadline is None else time.monotonic() + self.deadline
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise UnsafeInputError(
                    f"{where}: the answer is larger than the {limit} bytes accepted",
                    code=f"{self.name}.response.size",
                )
            if ends is not None and time.monotonic() > ends:
                raise httpx.ReadTimeout(f"answer not complete within {self.deadline} s")
            chunks.append(chunk)
        return b"".join(chunks)


__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "IDEMPOTENT_METHODS",
    "NO_RETRY",
    "RETRYABLE_STATUSES",
    "RETRY_AFTER_STATUSES",
    "HttpAnswer",
    "HttpClient",
    "RetryPolicy",
    "parse_retry_after",
]
