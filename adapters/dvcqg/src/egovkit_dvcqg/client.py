"""The HTTP client of the portal: one POST endpoint, JSON in and out.

Set-up is explicit: an ``auth`` hook (any httpx auth, or a function that adds a token to the
request), timeouts, and a :class:`RetryPolicy` — retries with exponential backoff and jitter on
5xx, 429, timeouts and dropped connections, never on a 4xx or on the portal's own refusal.
``push`` handles "đã tồn tại" by sending the object again as an update.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import attrs
import httpx

from egovkit.errors import ConfigurationError, RemoteError, UnsafeInputError
from egovkit.services import PortalRejectedError, PushAction
from egovkit_dvcqg.hostile import MAX_BODY, load_json
from egovkit_dvcqg.mapping import Reply, read_reply, request_body

#: Statuses retried besides 5xx: too many requests.
_RETRY_STATUSES: Final = frozenset({429})


def _positive(_instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if value < 0:
        raise ConfigurationError(
            f"{attribute.name} must be >= 0, not {value!r}",
            code="dvcqg.retry.config",
            where=attribute.name,
        )


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How often and how long to retry: attempt ``n`` (from 1) waits
    ``min(cap, base * 2 ** (n - 1))``, plus up to ``jitter`` of that at random."""

    attempts: int = attrs.field(default=4, validator=_positive)
    base: float = attrs.field(default=0.5, validator=_positive)
    cap: float = attrs.field(default=10.0, validator=_positive)
    jitter: float = attrs.field(default=0.25, validator=_positive)

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait after failed attempt ``attempt``."""
        plain = min(self.cap, self.base * 2.0 ** (attempt - 1))
        return plain + plain * self.jitter * rng.random()


class PortalClient:
    """Calls to one portal endpoint.

    ``transport`` replaces the network (``httpx.MockTransport`` in tests); ``sleep`` and
    ``rng`` make backoff testable; ``on_retry(attempt, error)`` is told of each retry.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        auth: httpx.Auth | Callable[[httpx.Request], httpx.Request] | None = None,
        timeout: float | httpx.Timeout = 30.0,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        headers: Mapping[str, str] | None = None,
        max_response_bytes: int = MAX_BODY,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        on_retry: Callable[[int, Exception], None] | None = None,
    ) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"the portal endpoint must be an http(s) URL: {endpoint!r}",
                code="dvcqg.endpoint",
                where="endpoint",
            )
        self.endpoint = endpoint
        self.retry = retry or RetryPolicy()
        self._limit = max_response_bytes
        self._sleep = sleep
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self._on_retry = on_retry
        self._http = httpx.Client(
            auth=auth,
            timeout=timeout,
            transport=transport,
            headers={"Accept": "application/json", **(headers or {})},
        )

    # -- calls -------------------------------------------------------------------------------

    def call(self, service: str, data: Sequence[object], *, updating: bool = False) -> Reply:
        """POST one call and read the answer; retried as ``retry`` says. A transport
        failure that outlasts the retries raises a retryable
        :class:`~egovkit.errors.RemoteError` (``dvcqg.unavailable``)."""
        body = request_body(service, data, updating=updating)
        attempt = 1
        while True:
            try:
                return self._once(body)
            except RemoteError as exc:
                if not exc.retryable or attempt >= self.retry.attempts:
                    if exc.retryable:
                        raise RemoteError(
                            f"{service}: the portal failed {attempt} time(s): {exc.message}",
                            code="dvcqg.unavailable",
                            where=service,
                            retryable=True,
                        ) from exc
                    raise
                if self._on_retry is not None:
                    self._on_retry(attempt, exc)
                self._sleep(self.retry.delay(attempt, self._rng))
                attempt += 1

    def _once(self, body: dict[str, Any]) -> Reply:
        try:
            with self._http.stream("POST", self.endpoint, json=body) as response:
                raw = self._read(response)
        except httpx.TimeoutException as exc:
            raise RemoteError(
                f"the portal timed out ({type(exc).__name__})",
                code="dvcqg.timeout",
                where="endpoint",
                retryable=True,
            ) from exc
        except httpx.TransportError as exc:
            raise RemoteError(
                f"the connection to the portal failed ({type(exc).__name__}: {exc})",
                code="dvcqg.connection",
                where="endpoint",
                retryable=True,
            ) from exc
        return read_reply(load_json(raw, limit=self._limit))

    def _read(self, response: httpx.Response) -> bytes:
        status = response.status_code
        if status >= 500 or status in _RETRY_STATUSES:
            raise RemoteError(
                f"the portal answered HTTP {status}",
                code="dvcqg.http_status",
                where="endpoint",
                retryable=True,
            )
        if status >= 400:
            raise RemoteError(
                f"the portal refused the request with HTTP {status}",
                code="dvcqg.http_status",
                where="endpoint",
            )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._limit:
            raise UnsafeInputError(
                f"the portal announced {declared} bytes, more than the {self._limit} accepted",
                code="dvcqg.json.too_large",
                where="body",
            )
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self._limit:
                raise UnsafeInputError(
                    f"the portal answered more than {self._limit} bytes",
                    code="dvcqg.json.too_large",
                    where="body",
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def push(self, service: str, item: Mapping[str, Any], *, where: str = "") -> PushAction:
        """Create ``item``; when the portal says it exists ("đã tồn tại"), update it. A refusal
        raises :class:`~egovkit.services.portal.PortalRejectedError` with the portal's message."""
        reply = self.call(service, [item])
        if reply.ok:
            return PushAction.CREATED
        if reply.already_exists:
            again = self.call(service, [item], updating=True)
            if again.ok:
                return PushAction.UPDATED
            reply = again
        raise _rejection(service, reply, where)

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> PortalClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _rejection(service: str, reply: Reply, where: str) -> PortalRejectedError:
    return PortalRejectedError(
        f"{service}: the portal refused {where or 'the call'} "
        f"(error {reply.error_code}: {reply.message})",
        portal_code=reply.error_code,
        portal_message=reply.message,
        where=where or service,
    )


def ensure_ok(service: str, reply: Reply, *, where: str = "") -> Reply:
    """``reply`` when it is a success, else a
    :class:`~egovkit.services.portal.PortalRejectedError`."""
    if not reply.ok:
        raise _rejection(service, reply, where)
    return reply


def bearer(token: Callable[[], str]) -> Callable[[httpx.Request], httpx.Request]:
    """An auth hook adding ``Authorization: Bearer <token()>`` to every request (``token`` is
    called each time, so it can refresh)."""

    def hook(request: httpx.Request) -> httpx.Request:
        request.headers["Authorization"] = f"Bearer {token()}"
        return request

    return hook


__all__ = ["PortalClient", "RetryPolicy", "bearer", "ensure_ok"]
