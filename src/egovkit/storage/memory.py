"""In-memory adapters: for tests, demos and single-process tools. Nothing survives the process."""

from __future__ import annotations

import threading

from egovkit.ports import SequenceAllocator, SequenceKey


class MemorySequenceAllocator(SequenceAllocator):
    """A thread-safe :class:`~egovkit.ports.SequenceAllocator` held in a dictionary."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[SequenceKey, int] = {}

    def allocate(self, key: SequenceKey) -> int:
        with self._lock:
            number = self._last.get(key, 0) + 1
            self._last[key] = number
            return number

    def current(self, key: SequenceKey) -> int:
        with self._lock:
            return self._last.get(key, 0)
