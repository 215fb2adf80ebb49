"""The fixtures class a backend overrides to adopt the storage contract suites.

Capabilities are declared here, as class attributes, and the suites skip what a backend does
not claim — never ``if backend == …`` inside a test.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

import pytest

from egovkit.ports import AuditEntry, AuditHead, Store


class StoreFixtures:
    """Base fixtures: override :meth:`open_store` (and :meth:`store_url` for ``multiprocess``).

    ``open_store(place)`` must return a new, empty store; ``place`` is a fresh directory the
    backend may use for files.
    """

    #: Several processes may open :meth:`store_url` at the same time (SQLite, PostgreSQL).
    multiprocess: ClassVar[bool] = False
    #: The contract may overwrite the stored audit log to prove tampering is detected.
    rewritable_audit: ClassVar[bool] = True
    #: Processes and allocations per process in the concurrency contract.
    processes: ClassVar[int] = 8
    allocations_per_process: ClassVar[int] = 500
    #: Seconds the concurrency contract waits for its worker processes.
    process_timeout: ClassVar[float] = 300.0

    def open_store(self, place: Path) -> Store:
        """A new, empty store; ``place`` is a fresh directory."""
        raise NotImplementedError("override open_store in your fixtures class")

    def store_url(self, place: Path) -> str:
        """A URL naming a new, empty store that other processes can open with
        :func:`egovkit.storage.open_store` (only with ``multiprocess = True``)."""
        raise NotImplementedError("override store_url when multiprocess = True")

    def rewrite_audit(self, store: Store, entries: Sequence[AuditEntry], head: AuditHead) -> None:
        """Overwrite ``store``'s audit log unchecked (only with ``rewritable_audit = True``)."""
        from egovkit.storage.engine import EngineStore, rewrite_audit

        if not isinstance(store, EngineStore):
            pytest.skip("override rewrite_audit to run the tamper contracts")
        rewrite_audit(store, entries, head)

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[Store]:
        """A fresh store, closed after the test."""
        place = tmp_path / "main"
        place.mkdir()
        opened = self.open_store(place)
        yield opened
        opened.close()

    @pytest.fixture
    def other_store(self, tmp_path: Path) -> Iterator[Store]:
        """A second fresh store (restore target)."""
        place = tmp_path / "other"
        place.mkdir()
        opened = self.open_store(place)
        yield opened
        opened.close()


__all__ = ["StoreFixtures"]
