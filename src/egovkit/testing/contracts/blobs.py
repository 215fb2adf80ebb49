"""Contracts for content-addressed blob stores."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator

import pytest

from egovkit.errors import NotFoundError, ValidationError
from egovkit.ports import IntegrityError, Store


class BlobContract:
    """put/open/stat/digests, streaming both ways, names that cannot escape."""

    def test_put_returns_the_sha256_and_size(self, store: Store) -> None:
        data = "Quyết định số 15/QĐ-UBND".encode()
        ref = store.blobs.put(data)
        assert ref.sha256 == hashlib.sha256(data).hexdigest()
        assert ref.size == len(data)
        assert store.blobs.get(ref.sha256) == data
        assert store.blobs.stat(ref.sha256) == ref
        assert store.blobs.exists(ref.sha256)

    def test_files_iterables_and_bytes_give_the_same_blob(self, store: Store) -> None:
        data = bytes(range(256)) * 100
        chunks: Iterator[bytes] = (data[i : i + 1000] for i in range(0, len(data), 1000))
        refs = {
            store.blobs.put(data),
            store.blobs.put(io.BytesIO(data)),
            store.blobs.put(chunks),
        }
        assert len(refs) == 1
        assert list(store.blobs.digests()) == [hashlib.sha256(data).hexdigest()]

    def test_large_blobs_stream_in_chunks(self, store: Store) -> None:
        block = b"0123456789abcdef" * 65_536  # 1 MiB
        ref = store.blobs.put(block for _ in range(5))
        assert ref.size == 5 * len(block)
        hasher = hashlib.sha256()
        pieces = 0
        for chunk in store.blobs.open(ref.sha256):
            hasher.update(chunk)
            pieces += 1
        assert hasher.hexdigest() == ref.sha256
        assert pieces > 1

    def test_empty_blob(self, store: Store) -> None:
        ref = store.blobs.put(b"")
        assert ref.size == 0
        assert store.blobs.get(ref.sha256) == b""

    def test_expected_digest_mismatch_stores_nothing(self, store: Store) -> None:
        wrong = hashlib.sha256(b"other").hexdigest()
        with pytest.raises(IntegrityError):
            store.blobs.put(b"content", expected=wrong)
        assert list(store.blobs.digests()) == []
        ref = store.blobs.put(b"content", expected=hashlib.sha256(b"content").hexdigest())
        assert ref.size == 7

    def test_unknown_digest_is_not_found(self, store: Store) -> None:
        missing = hashlib.sha256(b"missing").hexdigest()
        assert store.blobs.stat(missing) is None
        with pytest.raises(NotFoundError):
            store.blobs.get(missing)

    @pytest.mark.parametrize(
        "name", ["../../etc/passwd", "/etc/passwd", "A" * 64, "ab/cd", "", "0" * 63 + "/"]
    )
    def test_crafted_names_are_refused(self, store: Store, name: str) -> None:
        with pytest.raises(ValidationError):
            store.blobs.get(name)
        with pytest.raises(ValidationError):
            store.blobs.stat(name)


__all__ = ["BlobContract"]
