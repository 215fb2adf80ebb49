"""egovkit-ioffice: iOffice-like document-management systems (phần mềm quản lý văn bản và điều
hành) through a documented REST contract (:data:`OPENAPI`), as an egovkit
:class:`~egovkit.exchange.ports.DocumentExchange` and a client for processing status and
leaders' directions.

>>> from egovkit_ioffice import OPENAPI
>>> OPENAPI.read_text(encoding="utf-8").startswith("openapi: 3")
True
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, Final

from egovkit.agencies.codes import AgencyCode
from egovkit.errors import ConfigurationError
from egovkit_ioffice.client import (
    Authenticator,
    BearerToken,
    IofficeClient,
    IofficeExchange,
    RemoteDocument,
)
from egovkit_ioffice.mapping import IofficeMapping, read_json
from egovkit_ioffice.model import Instruction, ProcessingStatus, ProcessingUpdate

#: The REST contract a vendor implements (OpenAPI 3, YAML).
OPENAPI: Final[Traversable] = files(__name__) / "openapi.yaml"


def open_exchange(url: str, *, agency: AgencyCode, **options: Any) -> IofficeExchange:
    """The exchange an ``ioffice+https://host/base`` (or ``ioffice+http://``) URL names, for
    ``agency``; ``options`` go to :class:`~egovkit_ioffice.client.IofficeClient`. Credentials
    are ``auth`` (an Authenticator) or ``token`` (also accepted as ``secret``) for
    :class:`~egovkit_ioffice.client.BearerToken`."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in ("ioffice+https", "ioffice+http", "ioffice"):
        raise ConfigurationError(
            f"an iOffice URL looks like 'ioffice+https://host/path': {url!r}",
            code="ioffice.url",
            where="url",
        )
    base = ("http://" if scheme == "ioffice+http" else "https://") + rest
    auth = options.pop("auth", None)
    token = options.pop("token", None) or options.pop("secret", None)
    options.pop("system_id", None)
    if auth is None and token:
        auth = BearerToken(token)
    if auth is None:
        raise ConfigurationError(
            "the system needs credentials: pass auth=BearerToken(...) or your Authenticator",
            code="ioffice.auth",
            where="auth",
        )
    return IofficeExchange(IofficeClient(base, agency=agency, auth=auth, **options))


__all__ = [
    "OPENAPI",
    "Authenticator",
    "BearerToken",
    "Instruction",
    "IofficeClient",
    "IofficeExchange",
    "IofficeMapping",
    "ProcessingStatus",
    "ProcessingUpdate",
    "RemoteDocument",
    "open_exchange",
    "read_json",
]
