"""egovkit-vdxp: the national document exchange axis (trục liên thông văn bản quốc gia, VDXP)
as an egovkit :class:`~egovkit.exchange.ports.DocumentExchange`.

>>> from egovkit.agencies import AgencyCode
>>> from egovkit_vdxp import SystemCredentials, open_exchange
>>> exchange = open_exchange(
...     "vdxp+https://axis.example.invalid/vxp",
...     agency=AgencyCode.parse("000.00.00.H99"),
...     auth=SystemCredentials(system_id="000.00.00.H99", secret="not-a-real-secret"),
... )
>>> str(exchange.agency)
'000.00.00.H99'
>>> exchange.close()
"""

from __future__ import annotations

from typing import Any

from egovkit.agencies.codes import AgencyCode
from egovkit.errors import ConfigurationError
from egovkit_vdxp.auth import Authenticator, NoAuthentication, SystemCredentials
from egovkit_vdxp.client import VdxpClient
from egovkit_vdxp.exchange import VdxpExchange
from egovkit_vdxp.wire import (
    AxisAgency,
    AxisItem,
    AxisResponse,
    SentItem,
    read_response,
    write_response,
)


def open_exchange(url: str, *, agency: AgencyCode, **options: Any) -> VdxpExchange:
    """The exchange a ``vdxp+https://host/base`` (or ``vdxp+http://``) URL names, for
    ``agency``; ``options`` go to :class:`~egovkit_vdxp.client.VdxpClient`. Credentials are
    ``auth`` (an :class:`~egovkit_vdxp.auth.Authenticator`), or ``system_id`` and ``secret``
    for :class:`~egovkit_vdxp.auth.SystemCredentials` (the SDK's signed headers); the system
    id must be ``agency``'s code, as the axis registered it."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in ("vdxp+https", "vdxp+http", "vdxp"):
        raise ConfigurationError(
            f"a VDXP URL looks like 'vdxp+https://host/path': {url!r}",
            code="vdxp.url",
            where="url",
        )
    base = ("http://" if scheme == "vdxp+http" else "https://") + rest
    auth = options.pop("auth", None)
    system_id, secret = options.pop("system_id", None), options.pop("secret", None)
    if auth is None and system_id and secret:
        auth = SystemCredentials(system_id=system_id, secret=secret)
    if auth is None:
        raise ConfigurationError(
            "the axis needs credentials: pass auth=SystemCredentials(...) or your Authenticator",
            code="vdxp.auth",
            where="auth",
        )
    return VdxpExchange(VdxpClient(base, agency=agency, auth=auth, **options))


__all__ = [
    "Authenticator",
    "AxisAgency",
    "AxisItem",
    "AxisResponse",
    "NoAuthentication",
    "SentItem",
    "SystemCredentials",
    "VdxpClient",
    "VdxpExchange",
    "open_exchange",
    "read_response",
    "write_response",
]
