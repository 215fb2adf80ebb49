"""The filesystem blob store: layout, atomic writes, corruption, crafted names."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from egovkit.errors import ValidationError
from egovkit.ports import IntegrityError
from egovkit.storage import FileBlobStore


def test_files_are_named_by_digest_only(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path / "blobs")
    ref = store.put(b"content")
    path = store.path_for(ref.sha256)
    assert path == tmp_path / "blobs" / ref.sha256[:2] / ref.sha256[2:4] / ref.sha256
    assert path.read_bytes() == b"content"
    assert list((tmp_path / "blobs" / "tmp").iterdir()) == []


def test_a_failed_put_leaves_nothing(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)

    def broken() -> Iterator[bytes]:
        yield b"first part"
        raise RuntimeError("source failed")

    with pytest.raises(RuntimeError):
        store.put(broken())
    assert list(store.digests()) == []
    assert list((tmp_path / "tmp").iterdir()) == []


def test_corruption_on_disk_is_detected_when_read(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    ref = store.put(b"original content")
    store.path_for(ref.sha256).write_bytes(b"changed content!")
    with pytest.raises(IntegrityError) as caught:
        store.get(ref.sha256)
    assert caught.value.code == "blob.corrupt"


def test_junk_in_the_directory_is_not_a_blob(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    ref = store.put(b"x")
    (tmp_path / "ab" / "cd").mkdir(parents=True)
    (tmp_path / "ab" / "cd" / "notes.txt").write_text("hi")
    (tmp_path / "tmp" / "put-1.part").write_bytes(b"half")
    assert list(store.digests()) == [ref.sha256]


def test_leftovers_of_a_crash_are_swept(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    old = tmp_path / "tmp" / "put-old.part"
    new = tmp_path / "tmp" / "put-new.part"
    old.write_bytes(b"half")
    new.write_bytes(b"in progress")
    os.utime(old, (time.time() - 90_000, time.time() - 90_000))
    assert store.remove_leftovers() == 1
    assert not old.exists()
    assert new.exists()


@pytest.mark.parametrize("name", ["../" * 5 + "etc/passwd", "/etc/passwd", "..", "a" * 64 + "/.."])
def test_no_name_reaches_outside(tmp_path: Path, name: str) -> None:
    store = FileBlobStore(tmp_path / "blobs")
    with pytest.raises(ValidationError):
        store.path_for(name)
    with pytest.raises(ValidationError):
        store.put(b"x", expected=name)


def test_concurrent_puts_of_the_same_content(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    data = b"same" * 100_000
    errors: list[BaseException] = []

    def put() -> None:
        try:
            assert store.put(data).sha256 == hashlib.sha256(data).hexdigest()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=put) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert store.get(hashlib.sha256(data).hexdigest()) == data
    assert list((tmp_path / "tmp").iterdir()) == []
