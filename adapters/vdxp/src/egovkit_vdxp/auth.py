"""Authentication of requests to the axis: a pluggable hook, because the recipe is not public.

What is known (from the public Java SDK and its users): each connected system has a ``systemid``
and a secret, both sent as request headers, and the SDK is built on X-Road with an HMAC-SHA256
signing header (``XroadVnpt-sign-header``). How that header is computed is not published.
So :class:`SystemCredentials` sends the identity headers as the SDK's users configure them
(an ASSUMPTION: header names ``systemid`` and ``secret``), and a deployment that needs the signed
header supplies its own :class:`Authenticator` — one method that adds headers to a request.
Secrets never appear in ``repr``, logs or error messages.
"""

from __future__ import annotations

from typing import Protocol

import attrs
import httpx


class Authenticator(Protocol):
    """Adds whatever the axis needs to trust a request (headers) to ``request``."""

    def authenticate(self, request: httpx.Request) -> None:
        """Change ``request`` in place (usually its headers)."""


@attrs.frozen(kw_only=True)
class SystemCredentials:
    """The connected system's identity: ``systemid`` and its secret, sent as headers."""

    system_id: str
    secret: str = attrs.field(repr=False)
    system_header: str = "systemid"
    secret_header: str = "secret"  # noqa: S105 - a header name, not a secret

    def authenticate(self, request: httpx.Request) -> None:
        """Set the identity headers."""
        request.headers[self.system_header] = self.system_id
        request.headers[self.secret_header] = self.secret


@attrs.frozen
class NoAuthentication:
    """Send requests as they are (a local gateway that authenticates for you)."""

    def authenticate(self, request: httpx.Request) -> None:
        """Nothing to add."""


__all__ = ["Authenticator", "NoAuthentication", "SystemCredentials"]
