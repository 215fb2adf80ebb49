"""OAuth2 client credentials for the gateway: fetch a token, keep it until it expires, renew it.

The client-credentials grant (RFC 6749 §4.4): ``POST <token_url>`` with
``grant_type=client_credentials`` and the client's id and secret in HTTP Basic (§2.3.1), as a
WSO2 API Manager gateway expects (the Quảng Nam sample fetches its token from ``/token`` with a
consumer key and secret). The token is reused until ``expires_in`` minus a margin, renewed
before; an answer 401 to a call means the gateway dropped it early: the token is renewed once
and the call repeated once. Neither the client secret nor the token appears in ``repr``, logs
or errors.
"""

from __future__ import annotations

import base64
import threading
import time
import urllib.parse
from collections.abc import Callable

import httpx

import egovkit.http
from egovkit.errors import ConfigurationError, EgovkitError, RemoteError
from egovkit_lgsp.wire import TOKEN_REQUEST, read_token

#: Lifetime assumed when the token answer gives no ``expires_in`` (seconds).
DEFAULT_LIFETIME = 300.0
#: Renew this many seconds before the token expires.
MARGIN = 30.0


class ClientCredentials:
    """Adds ``Authorization: Bearer <token>`` to requests and renews the token.

    ``token_http`` is the :class:`~egovkit.http.HttpClient` that reaches the token endpoint
    (its own timeouts and retries); ``clock`` is a monotonic clock in seconds.
    """

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        client_secret: str,
        token_http: egovkit.http.HttpClient,
        clock: Callable[[], float] = time.monotonic,
        default_lifetime: float = DEFAULT_LIFETIME,
        margin: float = MARGIN,
    ) -> None:
        if not client_id or not client_secret:
            raise ConfigurationError(
                "the gateway needs a client id and secret (consumer key and secret)",
                code="lgsp.auth",
                where="client_id",
            )
        self.token_url = token_url
        self.client_id = client_id
        self._basic = egovkit.http.Secret(
            "Basic "
            + base64.b64encode(f"{_form(client_id)}:{_form(client_secret)}".encode()).decode()
        )
        self._http = token_http
        self._clock = clock
        self._default = default_lifetime
        self._margin = margin
        self._lock = threading.Lock()
        self._token: egovkit.http.Secret | None = None
        self._expires = 0.0
        self.fetched = 0  # tokens fetched so far (for monitoring and tests)

    def __repr__(self) -> str:
        return f"ClientCredentials(token_url={self.token_url!r}, client_id={self.client_id!r})"

    def token(self, *, renew: bool = False) -> str:
        """The current token, fetched or renewed when missing, expiring or ``renew``."""
        with self._lock:
            if renew or self._token is None or self._clock() >= self._expires:
                value, self._expires = self._fetch()
                self._token = egovkit.http.Secret(value)
                self.fetched += 1
            return self._token.reveal()

    def forget(self, used: str) -> None:
        """Drop the token ``used`` if it is still the current one (the gateway refused it)."""
        with self._lock:
            if self._token is not None and self._token.reveal() == used:
                self._token = None

    def authorize(self, request: httpx.Request) -> str:
        """Put the current token on ``request``; returns it (to :meth:`forget` after a 401)."""
        used = self.token()
        request.headers["Authorization"] = f"Bearer {used}"
        return used

    def _fetch(self) -> tuple[str, float]:
        answer = self._http.request(
            "POST",
            self.token_url,
            headers={
                "Authorization": self._basic.reveal(),
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            content=TOKEN_REQUEST,
            idempotent=True,  # asking for a token twice is harmless
        )
        if not answer.ok:
            raise RemoteError(
                f"the token endpoint refused the client credentials (HTTP {answer.status})",
                code="lgsp.token.refused",
                where="token_url",
            )
        try:
            token = read_token(answer.body)
        except EgovkitError as exc:
            raise RemoteError(
                f"unreadable token answer: {exc.message}", code="lgsp.token", where="token_url"
            ) from exc
        lifetime = self._default if token.expires_in is None else token.expires_in
        return token.access_token, self._clock() + max(0.0, lifetime - self._margin)


def _form(text: str) -> str:
    """RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding."""
    return urllib.parse.quote_plus(text)


__all__ = ["DEFAULT_LIFETIME", "MARGIN", "ClientCredentials"]
