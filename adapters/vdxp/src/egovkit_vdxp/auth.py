"""Authentication of requests to the axis: the SDK's signed headers by default, or your own.

:class:`SystemCredentials` signs every request as the VPCP Java SDK does (see
:mod:`egovkit_vdxp.protocol`): the system id and a fresh timestamp travel as ``XroadVnpt-*``
headers, and an HMAC-SHA256 of all parameter headers, keyed by the secret, proves that the
sender holds the secret — the secret itself is never sent, logged, printed or put in an error.
A deployment behind a gateway that signs for it passes :class:`NoAuthentication`, or any
:class:`Authenticator` (one method that adds headers to a request).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol

import attrs
import httpx

from egovkit.errors import ConfigurationError
from egovkit_vdxp.protocol import SDK_USER_AGENT, SDK_VERSION, sign_request


class Authenticator(Protocol):
    """Adds whatever the axis needs to trust a request (headers) to ``request``."""

    def authenticate(self, request: httpx.Request) -> None:
        """Change ``request`` in place (usually its headers)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _not_empty(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value:
        raise ConfigurationError(
            f"{attribute.name} is empty", code="vdxp.auth", where=attribute.name
        )


@attrs.frozen(kw_only=True)
class SystemCredentials:
    """The connected system's id (mã hệ thống, the agency code the axis registered) and its
    secret, used only as the HMAC key. ``clock`` gives each request's timestamp."""

    system_id: str = attrs.field(validator=_not_empty)
    secret: str = attrs.field(repr=False, validator=_not_empty)
    clock: Callable[[], dt.datetime] = attrs.field(default=_now, eq=False, repr=False)
    user_agent: str = SDK_USER_AGENT
    version: str = SDK_VERSION

    def authenticate(self, request: httpx.Request) -> None:
        """Add ``XroadVnpt-systemid``, ``XroadVnpt-timestamp`` and the signing headers."""
        sign_request(
            request,
            system_id=self.system_id,
            secret=self.secret,
            moment=self.clock(),
            user_agent=self.user_agent,
            version=self.version,
        )


@attrs.frozen
class NoAuthentication:
    """Send requests as they are (a local gateway that authenticates for you)."""

    def authenticate(self, request: httpx.Request) -> None:
        """Nothing to add."""


__all__ = ["Authenticator", "NoAuthentication", "SystemCredentials"]
