"""open_store: schemes, entry points, install hints, and a cheap ``import egovkit``."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from egovkit.errors import ConfigurationError
from egovkit.ports import BlobStore, Record, Store
from egovkit.storage import MemoryBlobStore, open_blob_store, open_store
from egovkit.storage.blobs import FileBlobStore


def test_memory_stores_are_independent() -> None:
    with open_store("memory://") as one, open_store("memory://") as two:
        one.records.add(Record(collection="c", key="k"))
        assert two.records.count("c") == 0
        assert one.scheme == "memory"


def test_sqlite_store_persists_between_openings(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'egov.db'}"
    with open_store(url, actor="văn thư") as store:
        store.records.add(Record(collection="c", key="k", data={"x": 1}))
        blob = store.blobs.put(b"file")
    with open_store(url) as store:
        assert store.records.get("c", "k").data == {"x": 1}
        assert store.blobs.get(blob.sha256) == b"file"
        assert [e.actor for e in store.audit.entries()] == ["văn thư"]
    assert (tmp_path / "egov.db.blobs").is_dir()


def test_relative_sqlite_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///relative.db") as store:
        store.records.add(Record(collection="c", key="k"))
    assert (tmp_path / "relative.db").is_file()


def test_blobs_can_live_elsewhere(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'egov.db'}"
    with open_store(url, blobs=f"file://{tmp_path / 'files'}") as store:
        ref = store.blobs.put(b"abc")
    assert (tmp_path / "files" / ref.sha256[:2] / ref.sha256[2:4] / ref.sha256).is_file()
    with open_store(f"{url}?blobs={tmp_path / 'other'}") as store:
        store.blobs.put(b"abc")
    assert (tmp_path / "other").is_dir()
    with open_store(f"{url}?blobs=file://{tmp_path / 'third'}") as store:
        store.blobs.put(b"abc")
    assert (tmp_path / "third").is_dir()
    memory = MemoryBlobStore()
    with open_store("memory://", blobs=memory) as store:
        assert store.blobs is memory


def test_blob_store_urls(tmp_path: Path) -> None:
    assert isinstance(open_blob_store(f"file://{tmp_path}"), FileBlobStore)
    assert isinstance(open_blob_store("memory://"), MemoryBlobStore)
    with pytest.raises(ConfigurationError):
        open_blob_store("file://remote-host/x")


def test_an_unknown_scheme_names_the_package_to_install() -> None:
    with pytest.raises(ConfigurationError) as caught:
        open_store("mongodb://host/db")
    assert caught.value.code == "store.unknown_scheme"
    assert "egovkit.stores" in caught.value.message


def test_postgres_hint_when_the_adapter_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    from egovkit.storage import registry

    monkeypatch.setattr(registry, "_entry_point", lambda group, scheme: None)
    with pytest.raises(ConfigurationError) as caught:
        open_store("postgresql://user@host/db")
    assert "pip install egovkit-postgres" in caught.value.message


@pytest.mark.parametrize(
    "url",
    ["egov.db", "sqlite://host/egov.db", "sqlite:///", "sqlite:///x.db?colour=red",
     "sqlite:///x.db?synchronous=off", "sqlite:///x.db?timeout=soon"],
)  # fmt: skip
def test_bad_urls_are_configuration_errors(url: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        open_store(url)


class _PluginStore(MemoryBlobStore):
    pass


def _plugin(url: str, **options: Any) -> Store:
    from egovkit.storage.memory import open_memory

    store = open_memory(url, **{k: v for k, v in options.items() if k != "blobs"})
    store.scheme = "plugin"
    return store


def test_entry_points_add_schemes(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.metadata.entry_points

    def fake(**kwargs: Any) -> Any:
        if kwargs.get("group") == "egovkit.stores":
            return [
                importlib.metadata.EntryPoint(
                    name="plugin", value=f"{__name__}:_plugin", group="egovkit.stores"
                )
            ]
        if kwargs.get("group") == "egovkit.blob_stores":
            return [
                importlib.metadata.EntryPoint(
                    name="broken", value="no_such_module:x", group="egovkit.blob_stores"
                )
            ]
        return real(**kwargs)

    monkeypatch.setattr(importlib.metadata, "entry_points", fake)
    monkeypatch.setitem(sys.modules, __name__, sys.modules[__name__])
    with open_store("plugin://anything") as store:
        assert store.scheme == "plugin"
    with pytest.raises(ConfigurationError) as caught:
        open_blob_store("broken://x")
    assert caught.value.code == "store.adapter_broken"


def test_importing_egovkit_loads_no_database_driver() -> None:
    code = (
        "import sys, egovkit, egovkit.storage, egovkit.ports; "
        "bad = {'sqlite3', 'psycopg', 'egovkit.documents'} & set(sys.modules); "
        "print(sorted(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_blob_store_port_is_what_stores_expose() -> None:
    with open_store("memory://") as store:
        assert isinstance(store.blobs, BlobStore)
