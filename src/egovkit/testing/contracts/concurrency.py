"""Contracts for several processes sharing one store (backends declaring ``multiprocess``)."""

from __future__ import annotations

import multiprocessing
import queue
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from egovkit.ports import SequenceKey
from egovkit.testing.contracts import _workers
from egovkit.testing.contracts.fixtures import StoreFixtures


class ProcessHelpers(StoreFixtures):
    """What the multi-process contracts share: a store URL and a way to run workers."""

    def _url(self, tmp_path: Path) -> str:
        if not self.multiprocess:
            pytest.skip("the backend does not declare multiprocess")
        place = tmp_path / "shared"
        place.mkdir()
        return self.store_url(place)

    def _in_processes(self, work: Callable[..., object], *args: Any) -> list[Any]:
        """Run ``work(*args)`` in ``processes`` fresh processes at once; bounded by
        ``process_timeout`` (stragglers are terminated)."""
        context = multiprocessing.get_context("spawn")
        results: Any = context.Queue()
        workers = [
            context.Process(target=_workers.report, args=(results, work, *args))
            for _ in range(self.processes)
        ]
        deadline = time.monotonic() + self.process_timeout
        try:
            for worker in workers:
                worker.start()
            outcomes = []
            for _ in workers:
                try:
                    outcomes.append(results.get(timeout=max(deadline - time.monotonic(), 0.1)))
                except queue.Empty:
                    pytest.fail(f"workers did not finish within {self.process_timeout} s")
            for worker in workers:
                worker.join(timeout=max(deadline - time.monotonic(), 0.1))
        finally:
            for worker in workers:
                if worker.is_alive():
                    worker.terminate()
                    worker.join(timeout=10)
            results.close()
            results.join_thread()
        failures = [detail for ok, detail in outcomes if not ok]
        assert not failures, failures[0]
        return [detail for _, detail in outcomes]


class ConcurrencyContract(ProcessHelpers):
    """N processes × M allocations give N×M distinct consecutive numbers; no lost update."""

    def test_allocations_from_many_processes_are_gap_free(self, tmp_path: Path) -> None:
        url = self._url(tmp_path)
        key = SequenceKey("register", ["H99", "outgoing", "main", "2026", "ordinary"])
        results = self._in_processes(_workers.allocate, url, str(key), self.allocations_per_process)
        numbers = [n for result in results for n in result]
        total = self.processes * self.allocations_per_process
        assert sorted(numbers) == list(range(1, total + 1))
        assert all(result == sorted(result) for result in results)
        from egovkit.storage import open_store

        with open_store(url) as store:
            assert store.sequences.current(key) == total
            assert store.audit.verify().sequence == total

    def test_read_modify_write_loses_no_update(self, tmp_path: Path) -> None:
        url = self._url(tmp_path)
        keys = ["a", "b", "c"]
        rounds = 25
        _workers.make_counters(url, keys)
        self._in_processes(_workers.increment, url, keys, rounds)
        from egovkit.storage import open_store

        with open_store(url) as store:
            for key in keys:
                record = store.records.get("counters", key)
                assert record.data == {"n": self.processes * rounds}
                assert record.version == self.processes * rounds + 1
            assert store.audit.verify().sequence == len(keys) * (self.processes * rounds + 1)


__all__ = ["ConcurrencyContract", "ProcessHelpers"]
