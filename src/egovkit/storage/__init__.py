"""Embedded storage: :func:`~egovkit.storage.open_store` (the composition point), the
in-memory and SQLite stores, file blobs, backup and restore.

Submodules load on first use, so importing this package imports neither ``sqlite3`` nor the
document model.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from egovkit.storage.registry import open_blob_store, open_store

if TYPE_CHECKING:  # pragma: no cover
    from egovkit.storage.archive import BackupManifest, backup, restore, verify_archive
    from egovkit.storage.blobs import FileBlobStore, MemoryBlobStore
    from egovkit.storage.engine import EngineStore
    from egovkit.storage.memory import MemorySequenceAllocator

_LAZY = {
    "BackupManifest": "egovkit.storage.archive",
    "backup": "egovkit.storage.archive",
    "restore": "egovkit.storage.archive",
    "verify_archive": "egovkit.storage.archive",
    "FileBlobStore": "egovkit.storage.blobs",
    "MemoryBlobStore": "egovkit.storage.blobs",
    "EngineStore": "egovkit.storage.engine",
    "MemorySequenceAllocator": "egovkit.storage.memory",
}

__all__ = [
    "BackupManifest",
    "EngineStore",
    "FileBlobStore",
    "MemoryBlobStore",
    "MemorySequenceAllocator",
    "backup",
    "open_blob_store",
    "open_store",
    "restore",
    "verify_archive",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'egovkit.storage' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
