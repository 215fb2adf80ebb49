"""One composition point: a URL picks the store.

Adapters are found by URL scheme in the ``egovkit.stores`` entry-point group (and blob stores in
``egovkit.blob_stores``); each entry point names a factory ``open(url, *, blobs=None,
**options) -> Store``. The embedded backends are built in and loaded only when used, so
``import egovkit`` never imports ``sqlite3`` or a database driver. An unknown scheme raises
:class:`~egovkit.errors.ConfigurationError` naming the package to install.
"""

from __future__ import annotations

import importlib
import os
import urllib.parse
from collections.abc import Callable
from typing import Any, Final, cast

from egovkit.errors import ConfigurationError
from egovkit.ports import BlobStore, Store

STORES_GROUP: Final = "egovkit.stores"
BLOB_STORES_GROUP: Final = "egovkit.blob_stores"

#: Built-in stores: scheme -> "module:function".
BUILTIN_STORES: Final = {
    "memory": "egovkit.storage.memory:open_memory",
    "sqlite": "egovkit.storage.sqlite:open_sqlite",
}

#: Built-in blob stores.
BUILTIN_BLOB_STORES: Final = {
    "memory": "egovkit.storage.registry:_open_memory_blobs",
    "file": "egovkit.storage.registry:_open_file_blobs",
}

#: Schemes served by a separate distribution, with the command that installs it.
KNOWN_ADAPTERS: Final = {
    "postgresql": "pip install egovkit-postgres",
    "postgres": "pip install egovkit-postgres",
}

StoreFactory = Callable[..., Store]
BlobStoreFactory = Callable[[str], BlobStore]


def _scheme(url: str) -> str:
    if "://" not in url:
        raise ConfigurationError(
            f"a store URL looks like 'sqlite:///egov.db' or 'memory://': {url!r}",
            code="store.url",
            where="url",
        )
    return url.split("://", 1)[0].lower()


def _load(target: str, scheme: str) -> Any:
    module_name, _, attribute = target.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise ConfigurationError(
            f"the adapter for {scheme}:// ({target}) cannot be loaded: {exc}",
            code="store.adapter_broken",
            where=scheme,
        ) from exc


def _entry_point(group: str, scheme: str) -> Any | None:
    from importlib.metadata import entry_points

    for entry in entry_points(group=group):
        if entry.name == scheme:
            try:
                return entry.load()
            except Exception as exc:  # a broken third-party package must not crash the lookup
                raise ConfigurationError(
                    f"the adapter for {scheme}:// ({entry.value}) cannot be loaded: {exc}",
                    code="store.adapter_broken",
                    where=scheme,
                ) from exc
    return None


def _unknown(scheme: str, kind: str) -> ConfigurationError:
    hint = KNOWN_ADAPTERS.get(scheme)
    advice = (
        f"; install its adapter: {hint}"
        if hint
        else "; install the package that provides it, or register one under the "
        f"'{STORES_GROUP}' entry-point group"
    )
    return ConfigurationError(
        f"no {kind} adapter for the URL scheme {scheme!r}{advice}",
        code="store.unknown_scheme",
        where=scheme,
    )


def store_factory(scheme: str) -> StoreFactory:
    """The factory that opens ``scheme://`` stores (an entry point wins over a built-in)."""
    found = _entry_point(STORES_GROUP, scheme)
    if found is None and scheme in BUILTIN_STORES:
        found = _load(BUILTIN_STORES[scheme], scheme)
    if found is None:
        raise _unknown(scheme, "store")
    return cast(StoreFactory, found)


def open_store(
    url: str,
    *,
    blobs: str | BlobStore | None = None,
    actor: str | None = None,
    **options: Any,
) -> Store:
    """Open the store a URL names: ``memory://``, ``sqlite:///egov.db``,
    ``postgresql://user@host/db`` (with ``egovkit-postgres`` installed), …

    ``blobs`` overrides where files go (a :class:`~egovkit.ports.BlobStore` or a URL such as
    ``file:///srv/egov/blobs``); ``actor`` names who the audit log records by default.

    >>> from egovkit.storage import open_store
    >>> with open_store("memory://", actor="văn thư") as store:
    ...     store.records.count("documents")
    0
    """
    scheme = _scheme(url)
    factory = store_factory(scheme)
    if isinstance(blobs, str):
        blobs = open_blob_store(blobs)
    if blobs is not None:
        options["blobs"] = blobs
    if actor is not None:
        options["actor"] = actor
    return factory(url, **options)


def open_blob_store(url: str) -> BlobStore:
    """Open a blob store by URL: ``file:///srv/egov/blobs``, ``memory://``, or a plug-in's."""
    scheme = _scheme(url)
    found = _entry_point(BLOB_STORES_GROUP, scheme)
    if found is None and scheme in BUILTIN_BLOB_STORES:
        found = _load(BUILTIN_BLOB_STORES[scheme], scheme)
    if found is None:
        raise _unknown(scheme, "blob store")
    return cast(BlobStoreFactory, found)(url)


def blob_store_option(value: str) -> BlobStore:
    """The blob store a ``blobs=`` URL option names: a URL (``file:///srv/blobs``) or a plain
    directory path."""
    if "://" in value:
        return open_blob_store(value)
    from egovkit.storage.blobs import FileBlobStore

    return FileBlobStore(value)


def _open_memory_blobs(url: str) -> BlobStore:
    from egovkit.storage.blobs import MemoryBlobStore

    return MemoryBlobStore()


def _open_file_blobs(url: str) -> BlobStore:
    from egovkit.storage.blobs import FileBlobStore

    parts = urllib.parse.urlsplit(url)
    if parts.netloc not in {"", "localhost"} or not parts.path:
        raise ConfigurationError(
            f"a blob directory URL looks like file:///srv/egov/blobs: {url!r}",
            code="store.url",
            where="url",
        )
    return FileBlobStore(os.fspath(urllib.parse.unquote(parts.path)))


__all__ = [
    "BLOB_STORES_GROUP",
    "BUILTIN_BLOB_STORES",
    "BUILTIN_STORES",
    "KNOWN_ADAPTERS",
    "STORES_GROUP",
    "blob_store_option",
    "open_blob_store",
    "open_store",
    "store_factory",
]
