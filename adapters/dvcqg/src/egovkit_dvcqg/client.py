"""The HTTP client of the portal, speaking one of the dialects of :mod:`egovkit_dvcqg.dialects`.

Set-up is explicit: the dialect (``envelope`` by default: one POST endpoint, JSON in and out),
an ``auth`` hook (any httpx auth, or a function that adds a token to the request), timeouts, and
a :class:`RetryPolicy`. The transport is the shared :class:`egovkit.http.HttpClient`: retries
with exponential backoff and full jitter on 5xx, 429, timeouts and dropped connections (and
``Retry-After``), never on a 4xx or on the portal's own refusal; answers read with a size cap.
:meth:`PortalClient.push` handles "đã tồn tại" by sending the object again as an update;
progress goes in chunks of at most :data:`PROGRESS_CHUNK` steps.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import attrs
import httpx

from egovkit import http
from egovkit.errors import ConfigurationError, RemoteError, UnsafeInputError
from egovkit.services import PortalRejectedError, PushAction
from egovkit.text import fold
from egovkit_dvcqg.dialects import Dialect, EnvelopeDialect, GatewayDialect, OpenCpsDialect
from egovkit_dvcqg.hostile import MAX_BODY, Obj, load_json
from egovkit_dvcqg.mapping import (
    LOOK_UP,
    SYNC_DOSSIERS,
    SYNC_PROGRESS,
    Reply,
    look_up_body,
    read_reply,
    request_body,
)

#: Progress steps per call at most (HuanVu201 ``SyncLocalDataToDVCQGService.cs``: ``Take(10)``).
PROGRESS_CHUNK: Final = 10


def _positive(_instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if value < 0:
        raise ConfigurationError(
            f"{attribute.name} must be >= 0, not {value!r}",
            code="dvcqg.retry.config",
            where=attribute.name,
        )


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How often and how long to retry: ``attempts`` calls in all; retry ``n`` (from 1) waits a
    random time up to ``min(cap, base * 2 ** (n - 1))`` seconds ("full jitter", the backoff of
    the shared :mod:`egovkit.http` client the transport runs on)."""

    attempts: int = attrs.field(default=4, validator=_positive)
    base: float = attrs.field(default=0.5, validator=_positive)
    cap: float = attrs.field(default=10.0, validator=_positive)

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait after failed attempt ``attempt``."""
        return min(self.cap, self.base * 2.0 ** (attempt - 1)) * rng.random()

    def for_http(self, sleep: Callable[[float], None], rng: random.Random) -> http.RetryPolicy:
        """The same policy for :class:`egovkit.http.HttpClient`."""
        return http.RetryPolicy(
            attempts=max(1, self.attempts),
            base_delay=self.base,
            max_delay=self.cap,
            sleep=sleep,
            random=rng.random,
        )


class PortalClient:
    """Calls to one portal endpoint.

    ``transport`` replaces the network (``httpx.MockTransport`` in tests); ``sleep`` and
    ``rng`` make backoff testable; ``on_retry(attempt, error)`` is told of each retry.
    """

    def __init__(
        self,
        endpoint: str = "",
        *,
        dialect: Dialect | None = None,
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
        if dialect is None:
            if not endpoint.startswith(("http://", "https://")):
                raise ConfigurationError(
                    f"the portal endpoint must be an http(s) URL: {endpoint!r}",
                    code="dvcqg.endpoint",
                    where="endpoint",
                )
            dialect = EnvelopeDialect(endpoint=endpoint)
        self.dialect: Dialect = dialect
        self.endpoint = "" if isinstance(dialect, GatewayDialect) else dialect.endpoint
        self._session: str | None = None
        self.retry = retry or RetryPolicy()
        self._limit = max_response_bytes
        chance = rng or random.Random()  # noqa: S311 - jitter, not security
        self._prepare: Callable[[httpx.Request], None] | None = None
        if auth is not None and not isinstance(auth, httpx.Auth):
            hook = auth

            def prepare(request: httpx.Request) -> None:
                hook(request)  # it adds its header to the request itself

            self._prepare = prepare
        self._http = http.HttpClient(
            name="dvcqg",
            auth=auth if isinstance(auth, httpx.Auth) else None,
            timeout=timeout,
            retry=self.retry.for_http(sleep, chance),
            max_response_bytes=max_response_bytes,
            transport=transport,
            headers={"Accept": "application/json", **(headers or {})},
            on_retry=on_retry,
        )

    # -- calls -------------------------------------------------------------------------------

    def call(self, service: str, data: Sequence[object], *, updating: bool = False) -> Reply:
        """POST one envelope call and read the answer; retried as ``retry`` says. A transport
        failure that outlasts the retries raises a retryable
        :class:`~egovkit.errors.RemoteError` (``dvcqg.unavailable``)."""
        return self.request(request_body(service, data, updating=updating))

    def request(self, fields: Mapping[str, Any]) -> Reply:
        """POST one call of the ``envelope`` or ``opencps`` dialect with these top-level
        ``fields`` (``opencps`` adds ``session`` and ``madonvi`` and the ``dstcode`` header)."""
        dialect = self.dialect
        where = str(fields.get("service", "call"))
        if isinstance(dialect, GatewayDialect):
            raise ConfigurationError(
                f"the gateway dialect has no {where} service (only dossiers and progress)",
                code="dvcqg.dialect.unsupported",
                where=where,
            )
        if isinstance(dialect, OpenCpsDialect):
            body = {"session": self._login(), "madonvi": dialect.unit, **fields}
            headers = {"dstcode": dialect.dstcode}
            return read_reply(self._json(dialect.endpoint, body, headers, where))
        return read_reply(self._json(dialect.endpoint, dict(fields), {}, where))

    def _login(self) -> str:
        """The OpenCPS session: ``{"username", "password"}`` posted to the authentication
        endpoint, answered ``{"session", "error_code": 0}``; kept for the client's life."""
        dialect = self.dialect
        assert isinstance(dialect, OpenCpsDialect)
        if self._session is None:
            body = {"username": dialect.username, "password": dialect.password}
            answer = Obj(self._json(dialect.auth_endpoint, body, {}, "login"), "")
            reply = read_reply(answer.data)
            session = answer.text("session", max_length=4096)
            if not reply.ok or not session:
                raise RemoteError(
                    f"the portal refused the login (error {reply.error_code}: {reply.message})",
                    code="dvcqg.login",
                    where="login",
                )
            self._session = session
        return self._session

    def _json(self, url: str, body: object, headers: Mapping[str, str], where: str) -> object:
        return load_json(self._post(url, body, headers, where), limit=self._limit)

    def _post(self, url: str, body: object, headers: Mapping[str, str], where: str) -> bytes:
        """POST ``body`` as JSON through :class:`egovkit.http.HttpClient` (timeouts, bounded
        reads, retries): the answer's bytes. A portal call may be repeated (an existing dossier
        is updated), so every call is sent as idempotent."""
        content = json.dumps(body, ensure_ascii=False).encode("utf-8")
        try:
            answer = self._http.request(
                "POST",
                url,
                headers={"Content-Type": "application/json", **headers},
                content=content,
                idempotent=True,
                prepare=self._prepare,
            )
        except UnsafeInputError as exc:
            raise UnsafeInputError(
                f"the portal answered too much: {exc.message}",
                code="dvcqg.json.too_large",
                where="body",
            ) from exc
        except RemoteError as exc:
            if not exc.retryable:
                raise
            raise RemoteError(
                f"{where}: the portal failed {self.retry.attempts} time(s): {exc.message}",
                code="dvcqg.unavailable",
                where=where,
                retryable=True,
            ) from exc
        if not answer.ok:
            raise RemoteError(
                f"the portal refused the request with HTTP {answer.status}",
                code="dvcqg.http_status",
                where="endpoint",
            )
        return answer.body

    def push(self, service: str, item: Mapping[str, Any], *, where: str = "") -> PushAction:
        """Create ``item``; when the portal says it exists ("đã tồn tại"), update it. A refusal
        raises :class:`~egovkit.services.portal.PortalRejectedError` with the portal's message.
        On the gateway dialect ``DongBoHoSoMC`` goes to the create URL, then the update URL."""
        if isinstance(self.dialect, GatewayDialect):
            if service != SYNC_DOSSIERS:
                raise ConfigurationError(
                    f"the gateway dialect has no {service} service",
                    code="dvcqg.dialect.unsupported",
                    where=service,
                )
            create, update = self.dialect.create_url, self.dialect.update_url
            reply = read_reply(self._json(create, [dict(item)], {}, service))
            if reply.ok:
                return PushAction.CREATED
            if reply.already_exists:
                reply = read_reply(self._json(update, [dict(item)], {}, service))
                if reply.ok:
                    return PushAction.UPDATED
            raise _rejection(service, reply, where)
        reply = self.call(service, [item])
        if reply.ok:
            return PushAction.CREATED
        if reply.already_exists:
            again = self.call(service, [item], updating=True)
            if again.ok:
                return PushAction.UPDATED
            reply = again
        raise _rejection(service, reply, where)

    def push_progress(self, items: Sequence[Mapping[str, Any]], *, where: str = "") -> int:
        """Send progress steps in chunks of at most :data:`PROGRESS_CHUNK`; the number sent.
        On the gateway dialect each chunk's plain-text answer must say "thành công"."""
        for first in range(0, len(items), PROGRESS_CHUNK):
            chunk = [dict(i) for i in items[first : first + PROGRESS_CHUNK]]
            if isinstance(self.dialect, GatewayDialect):
                raw = self._post(self.dialect.progress_url, chunk, {}, SYNC_PROGRESS)
                text = raw.decode("utf-8", errors="replace")[:2000]
                if "thanh cong" not in fold(text):
                    raise PortalRejectedError(
                        f"{SYNC_PROGRESS}: the gateway refused {where or 'the steps'} ({text})",
                        portal_code="",
                        portal_message=text,
                        where=where or SYNC_PROGRESS,
                    )
            else:
                ensure_ok(SYNC_PROGRESS, self.call(SYNC_PROGRESS, chunk), where=where)
        return len(items)

    def look_up(self, code: str) -> list[object]:
        """``TraCuuHoSo``: what the portal holds for dossier ``code`` (its ``result`` list;
        empty when the portal has never received it)."""
        reply = ensure_ok(LOOK_UP, self.request(look_up_body(code)), where=code)
        return reply.results()

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


__all__ = ["PROGRESS_CHUNK", "PortalClient", "RetryPolicy", "bearer", "ensure_ok"]
