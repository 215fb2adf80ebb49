"""Worker processes of the concurrency contract (top-level functions, so ``spawn`` can run them).

Each worker puts ``(True, result)`` or ``(False, error text)`` on the queue it is given.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import attrs

from egovkit.errors import ConflictError
from egovkit.ports import Record, SequenceKey


def report(queue: Any, work: Callable[..., object], *args: Any) -> None:
    """Run ``work(*args)`` and put its outcome on ``queue``."""
    try:
        queue.put((True, work(*args)))
    except BaseException:
        queue.put((False, traceback.format_exc()))


def allocate(url: str, key_text: str, count: int) -> list[int]:
    """Take ``count`` numbers from one counter, each in its own transaction."""
    from egovkit.storage import open_store

    key = SequenceKey.parse(key_text)
    with open_store(url) as store:
        return [store.sequences.allocate(key) for _ in range(count)]


def increment(url: str, keys: list[str], rounds: int) -> int:
    """Read-modify-write each record ``rounds`` times, retrying on conflicts; returns retries."""
    from egovkit.storage import open_store

    retries = 0
    with open_store(url) as store:
        for _ in range(rounds):
            for key in keys:
                while True:
                    record = store.records.get("counters", key)
                    try:
                        store.records.update(attrs.evolve(record, data={"n": record.data["n"] + 1}))
                        break
                    except ConflictError:
                        retries += 1
    return retries


def make_counters(url: str, keys: list[str]) -> None:
    """Create the shared counter records (n = 0)."""
    from egovkit.storage import open_store

    with open_store(url) as store:
        store.records.add_many(Record(collection="counters", key=k, data={"n": 0}) for k in keys)
