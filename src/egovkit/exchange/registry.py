"""Open a document exchange from a URL: the scheme picks the adapter.

Adapters register a factory ``open_exchange(url, *, agency, **options)`` in the
``egovkit.exchanges`` entry-point group under the name before ``+`` in the scheme
(``vdxp+https://…`` → ``vdxp``; ``ioffice+https://…`` → ``ioffice``). ``memory://NAME`` is
built in: agencies opening the same name in one process share one
:class:`~egovkit.exchange.memory.MemoryAxis`. An unknown scheme raises
:class:`~egovkit.errors.ConfigurationError` naming the package to install.
"""

from __future__ import annotations

import threading
from importlib.metadata import entry_points
from typing import Any, Final, cast

from egovkit.agencies.codes import AgencyCode
from egovkit.errors import ConfigurationError
from egovkit.exchange.memory import MemoryAxis
from egovkit.exchange.ports import DocumentExchange

EXCHANGES_GROUP: Final = "egovkit.exchanges"

#: Schemes served by a separate distribution, with the command that installs it.
KNOWN_ADAPTERS: Final = {
    "vdxp": "pip install egovkit-vdxp",
    "ioffice": "pip install egovkit-ioffice",
}

_AXES: dict[str, MemoryAxis] = {}
_LOCK = threading.Lock()


def memory_axis(name: str) -> MemoryAxis:
    """The process-wide in-memory axis called ``name`` (created on first use)."""
    with _LOCK:
        return _AXES.setdefault(name, MemoryAxis())


def open_exchange(url: str, *, agency: AgencyCode, **options: Any) -> DocumentExchange:
    """The exchange ``url`` names, as ``agency`` sees it; ``options`` go to the adapter."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ConfigurationError(
            f"an exchange URL looks like 'vdxp+https://host/path' or 'memory://name': {url!r}",
            code="exchange.url",
            where="url",
        )
    family = scheme.split("+", 1)[0].lower()
    if family == "memory":
        return memory_axis(rest or "default").connect(agency)
    for entry in entry_points(group=EXCHANGES_GROUP):
        if entry.name == family:
            try:
                factory = entry.load()
            except Exception as exc:  # a broken third-party package must not crash the lookup
                raise ConfigurationError(
                    f"the exchange adapter {family!r} cannot be loaded: {exc}",
                    code="exchange.adapter_broken",
                    where=family,
                ) from exc
            return cast(DocumentExchange, factory(url, agency=agency, **options))
    hint = KNOWN_ADAPTERS.get(family)
    advice = f"; install its adapter: {hint}" if hint else ""
    raise ConfigurationError(
        f"no exchange adapter for the URL scheme {scheme!r}{advice}",
        code="exchange.unknown_scheme",
        where=scheme,
    )


__all__ = ["EXCHANGES_GROUP", "KNOWN_ADAPTERS", "memory_axis", "open_exchange"]
