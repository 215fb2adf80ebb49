"""egovkit: the reusable core of Vietnamese e-government software.

Importing :mod:`egovkit` is cheap on purpose: subpackages (documents, agencies, …) load on first
use, so a CLI or a web worker pays only for what it touches.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0.dev0"

_SUBMODULES = frozenset(
    {
        "agencies",
        "assessment",
        "calendar",
        "documents",
        "dossiers",
        "edxml",
        "errors",
        "exchange",
        "findings",
        "ports",
        "services",
        "signatures",
        "storage",
        "testing",
        "text",
    }
)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from egovkit import (
        agencies,
        assessment,
        calendar,
        documents,
        dossiers,
        edxml,
        errors,
        exchange,
        findings,
        ports,
        services,
        signatures,
        storage,
        text,
    )
    from egovkit.ports import BlobStore, Store

__all__ = [
    "__version__",
    "agencies",
    "assessment",
    "calendar",
    "documents",
    "dossiers",
    "edxml",
    "errors",
    "exchange",
    "findings",
    "open",
    "ports",
    "services",
    "signatures",
    "storage",
    "text",
]


def open(
    url: str,
    *,
    blobs: str | BlobStore | None = None,
    actor: str | None = None,
    **options: Any,
) -> Store:
    """Open the store a URL names — ``memory://``, ``sqlite:///egov.db``,
    ``postgresql://user@host/db`` (with ``egovkit-postgres`` installed); see
    :func:`egovkit.storage.open_store`."""
    from egovkit.storage.registry import open_store

    return open_store(url, blobs=blobs, actor=actor, **options)


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"egovkit.{name}")
    raise AttributeError(f"module 'egovkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _SUBMODULES)
