"""egovkit-lgsp: a provincial gateway's document exchange (LGSP, nền tảng tích hợp, chia sẻ
dữ liệu cấp tỉnh) as an egovkit :class:`~egovkit.exchange.ports.DocumentExchange`.

>>> from egovkit.agencies import AgencyCode
>>> from egovkit_lgsp import open_exchange
>>> exchange = open_exchange(
...     "lgsp+https://lgsp.example.invalid:8243",
...     agency=AgencyCode.parse("000.00.00.H47"),
...     client_id="consumer-key",
...     client_secret="not-a-real-secret",
...     unit_key="not-a-real-unit-key",
... )
>>> str(exchange.agency)
'000.00.00.H47'
>>> exchange.close()
"""

from __future__ import annotations

from typing import Any

from egovkit.agencies.codes import AgencyCode
from egovkit.errors import ConfigurationError
from egovkit_lgsp.client import LgspClient
from egovkit_lgsp.exchange import LgspExchange
from egovkit_lgsp.oauth import ClientCredentials
from egovkit_lgsp.wire import Answer, LgspDialect, Message, Unit, read_answer, write_answer


def open_exchange(url: str, *, agency: AgencyCode, **options: Any) -> LgspExchange:
    """The exchange an ``lgsp+https://host[:port]`` (or ``lgsp+http://``) URL names, for
    ``agency``; ``options`` go to :class:`~egovkit_lgsp.client.LgspClient` (``client_id``,
    ``client_secret``, ``unit_key``, ``dialect``…)."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in ("lgsp+https", "lgsp+http", "lgsp"):
        raise ConfigurationError(
            f"an LGSP URL looks like 'lgsp+https://host:port': {url!r}", code="lgsp.url"
        )
    base = ("http://" if scheme == "lgsp+http" else "https://") + rest
    # The generic ``egovkit exchange`` options name the OAuth2 client "system" and "secret".
    if "system_id" in options:
        options.setdefault("client_id", options.pop("system_id"))
    if "secret" in options:
        options.setdefault("client_secret", options.pop("secret"))
    if not options.get("unit_key"):
        raise ConfigurationError(
            "the gateway needs the unit's key (secretDonVi): pass unit_key=…",
            code="lgsp.unit_key",
            where="unit_key",
        )
    for needed in ("client_id", "client_secret"):
        if not options.get(needed):
            raise ConfigurationError(
                f"the gateway needs {needed} (OAuth2 client credentials)",
                code="lgsp.auth",
                where=needed,
            )
    return LgspExchange(LgspClient(base, agency=agency, **options))


__all__ = [
    "Answer",
    "ClientCredentials",
    "LgspClient",
    "LgspDialect",
    "LgspExchange",
    "Message",
    "Unit",
    "open_exchange",
    "read_answer",
    "write_answer",
]
