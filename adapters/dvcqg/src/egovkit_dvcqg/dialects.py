"""The routes to the national portal that real one-stop systems use, as named dialects chosen by
configuration (:func:`dialect_from_config`).

``envelope``
    One endpoint, every call the envelope ``{"service", "isUpdating", "data"}`` and a JSON answer
    ``{"error_code", "message"}`` — egovkit's first reading, kept for portals reached through a
    proxy that adds the session itself.
``opencps``
    The route of OpenCPS v2 (``DVCQGIntegrationActionImpl.java``: ``getAccessToken``,
    ``syncData``, ``getSharingData``): log in with ``{"username", "password"}`` at an
    authentication endpoint for a ``session``; every body is the call's fields with ``session``
    and ``madonvi`` (the unit's code) added; every request carries a ``dstcode`` header.
``gateway``
    The provincial gateway route of HuanVu201/DichVuCong_KhoaLuan_PASETO
    (``SyncLocalDataToDVCQGService.cs``): the bare JSON array of dossiers posted to a create URL
    (``URLThemMoi``) or an update URL (``URLCapNhat``), progress steps to a third URL
    (``URLDongBoTienTrinh``) whose plain-text answer succeeds when it says "thành công"; there is
    no catalogue or look-up service on this route.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Final

import attrs

from egovkit.errors import ConfigurationError

#: The dialect names :func:`dialect_from_config` knows.
DIALECTS: Final = ("envelope", "opencps", "gateway")


def _url(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.startswith(("http://", "https://")):
        raise ConfigurationError(
            f"{attribute.name} must be an http(s) URL: {value!r}",
            code="dvcqg.endpoint",
            where=attribute.name,
        )


def _filled(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value:
        raise ConfigurationError(
            f"{attribute.name} is required", code="dvcqg.dialect.config", where=attribute.name
        )


@attrs.frozen(kw_only=True)
class EnvelopeDialect:
    """One endpoint, the plain envelope (no login)."""

    endpoint: str = attrs.field(validator=_url)
    name: str = "envelope"


@attrs.frozen(kw_only=True)
class OpenCpsDialect:
    """The OpenCPS session route; ``password`` is never shown by ``repr``."""

    endpoint: str = attrs.field(validator=_url)
    auth_endpoint: str = attrs.field(validator=_url)
    username: str = attrs.field(validator=_filled)
    password: str = attrs.field(repr=False, validator=_filled)
    unit: str = attrs.field(validator=_filled)  # madonvi
    dstcode: str = attrs.field(validator=_filled)
    name: str = "opencps"


@attrs.frozen(kw_only=True)
class GatewayDialect:
    """The provincial gateway route: one URL per operation."""

    create_url: str = attrs.field(validator=_url)
    update_url: str = attrs.field(validator=_url)
    progress_url: str = attrs.field(validator=_url)
    name: str = "gateway"


#: Any of the dialects.
Dialect = EnvelopeDialect | OpenCpsDialect | GatewayDialect


def _join(base: str, path: str) -> str:
    if path.startswith(("http://", "https://")) or not base:
        return path
    return base.rstrip("/") + "/" + path.lstrip("/")


def dialect_from_config(
    config: Mapping[str, Any], *, environ: Mapping[str, str] | None = None
) -> Dialect:
    """The dialect a configuration names (``"dialect"``: one of :data:`DIALECTS`, default
    ``envelope``). The password of ``opencps`` comes from the environment variable named by
    ``password_env``, never from the file. Paths of ``gateway`` may be relative to
    ``endpoint``.

    >>> from egovkit_dvcqg.dialects import dialect_from_config
    >>> dialect_from_config({"dialect": "gateway", "endpoint": "https://lgsp.example/dvc",
    ...     "create": "ThemMoi", "update": "CapNhat", "progress": "DongBoTienTrinh"}).update_url
    'https://lgsp.example/dvc/CapNhat'
    """
    env = os.environ if environ is None else environ
    name = str(config.get("dialect", "envelope"))
    endpoint = str(config.get("endpoint", ""))

    def need(key: str) -> str:
        value = config.get(key)
        if not isinstance(value, str) or not value:
            raise ConfigurationError(
                f"the {name} dialect needs {key!r}", code="dvcqg.dialect.config", where=key
            )
        return value

    if name == "envelope":
        return EnvelopeDialect(endpoint=need("endpoint"))
    if name == "opencps":
        variable = need("password_env")
        password = env.get(variable, "")
        if not password:
            raise ConfigurationError(
                f"the environment variable {variable} (the portal password) is empty",
                code="dvcqg.dialect.password",
                where="password_env",
            )
        return OpenCpsDialect(
            endpoint=need("endpoint"),
            auth_endpoint=_join(endpoint, need("auth_endpoint")),
            username=need("username"),
            password=password,
            unit=need("madonvi"),
            dstcode=need("dstcode"),
        )
    if name == "gateway":
        return GatewayDialect(
            create_url=_join(endpoint, need("create")),
            update_url=_join(endpoint, need("update")),
            progress_url=_join(endpoint, need("progress")),
        )
    raise ConfigurationError(
        f"unknown DVCQG dialect {name!r}; known: {', '.join(DIALECTS)}",
        code="dvcqg.dialect.unknown",
        where="dialect",
    )


__all__ = [
    "DIALECTS",
    "Dialect",
    "EnvelopeDialect",
    "GatewayDialect",
    "OpenCpsDialect",
    "dialect_from_config",
]
