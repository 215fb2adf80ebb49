"""Contract: claims with leases (:meth:`~egovkit.ports.RecordRepository.claim`) give each free
record to one worker, skip held ones, expire, and survive concurrent claimers.

:class:`ClaimContract` is part of :class:`~egovkit.testing.contracts.StoreContract`;
:class:`OutboxWorkersContract` (4 exchange worker processes over 2,000 documents, one killed
with SIGKILL mid-batch) is adopted separately, as it takes a while.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import ClassVar

import pytest

from egovkit.ports import Record, Store
from egovkit.storage.claims import LEASE_OWNER, LEASE_UNTIL
from egovkit.testing.contracts import _claim_workers
from egovkit.testing.contracts.concurrency import ProcessHelpers

QUEUE = "contract.queue"


def _fill(store: Store, count: int) -> None:
    store.records.add_many(
        Record(collection=QUEUE, key=f"q{i:05d}", data={"i": i}) for i in range(count)
    )


class ClaimContract(ProcessHelpers):
    """Claims in one process, then from several processes at once."""

    def test_claims_take_free_records_in_key_order(self, store: Store) -> None:
        _fill(store, 10)
        first = store.records.claim(QUEUE, owner="a", now=100, until=200, limit=4)
        assert [r.key for r in first] == ["q00000", "q00001", "q00002", "q00003"]
        assert all(r.data[LEASE_UNTIL] == 200 and r.data[LEASE_OWNER] == "a" for r in first)
        assert all(r.version == 2 and r.data["i"] == int(r.key[1:]) for r in first)
        second = store.records.claim(QUEUE, owner="b", now=150, until=250, limit=4)
        assert [r.key for r in second] == ["q00004", "q00005", "q00006", "q00007"]
        third = store.records.claim(QUEUE, owner="b", now=150, until=250, after="q00007")
        assert [r.key for r in third] == ["q00008", "q00009"]
        assert store.records.claim(QUEUE, owner="c", now=199, until=300) == []
        expired = store.records.claim(QUEUE, owner="c", now=200, until=300, limit=10)
        assert [r.key for r in expired] == ["q00000", "q00001", "q00002", "q00003"]
        assert store.records.get(QUEUE, "q00000").data[LEASE_OWNER] == "c"
        store.audit.verify()

    def test_an_owner_takes_back_its_own_claims(self, store: Store) -> None:
        _fill(store, 3)
        store.records.claim(QUEUE, owner="w1", now=0, until=10**12)
        assert store.records.claim(QUEUE, owner="w2", now=1, until=2) == []
        again = store.records.claim(QUEUE, owner="w1", now=1, until=10**12)
        assert [r.key for r in again] == ["q00000", "q00001", "q00002"]

    def test_a_claim_in_a_rolled_back_transaction_is_undone(self, store: Store) -> None:
        _fill(store, 2)

        class StopError(Exception):
            pass

        def claim_then_fail() -> None:
            with store.transaction() as uow:
                assert len(uow.records.claim(QUEUE, owner="a", now=0, until=10**12)) == 2
                raise StopError

        with pytest.raises(StopError):
            claim_then_fail()
        assert len(store.records.claim(QUEUE, owner="b", now=0, until=10)) == 2

    def test_claimed_records_are_removed_as_work_is_done(self, store: Store) -> None:
        _fill(store, 5)
        done = []
        while batch := store.records.claim(QUEUE, owner="a", now=0, until=10, limit=2):
            for record in batch:
                store.records.delete(record)
                done.append(record.key)
        assert done == [f"q{i:05d}" for i in range(5)]
        assert store.records.count(QUEUE) == 0

    def test_concurrent_claimers_take_each_record_once(self, tmp_path: Path) -> None:
        url = self._url(tmp_path)
        from egovkit.storage import open_store

        total = 600
        with open_store(url) as store:
            _fill(store, total)
        results = self._in_processes(_claim_workers.drain, url, QUEUE)
        taken = Counter(key for keys in results for key in keys)
        assert sorted(taken) == [f"q{i:05d}" for i in range(total)]
        assert set(taken.values()) == {1}
        with open_store(url) as store:
            assert store.records.count(QUEUE) == 0
            store.audit.verify()


class OutboxWorkersContract(ProcessHelpers):
    """4 worker processes flush one outbox of 2,000 documents; one is SIGKILLed mid-batch.
    Every document reaches the exchange; only the killed worker's unrecorded sends are sent
    again, by the others, once its lease ends (the receiver recognises them by DocumentId)."""

    workers: ClassVar[int] = 4
    outbox_documents: ClassVar[int] = 2000
    #: Items a worker claims at a time, and for how long (seconds).
    claim_batch: ClassVar[int] = 5
    claim_lease: ClassVar[float] = 4.0

    @pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
    def test_workers_send_each_document_once_with_one_killed(self, tmp_path: Path) -> None:
        url = self._url(tmp_path)
        log = tmp_path / "sent.log"
        log.touch()
        _claim_workers.fill_outbox(url, self.outbox_documents)
        hang_after = 7  # the victim sends 7 items of a batch, then hangs until it is killed
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "egovkit.testing.contracts._claim_workers",
                    url,
                    str(log),
                    f"w{n}",
                    str(self.claim_batch),
                    str(self.claim_lease),
                    str(hang_after if n == 0 else 0),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for n in range(self.workers)
        ]
        deadline = time.monotonic() + self.process_timeout
        try:
            while _sent_by(log, "w0") < hang_after:
                assert procs[0].poll() is None, procs[0].stderr.read() if procs[0].stderr else ""
                assert time.monotonic() < deadline, "the victim never got going"
                time.sleep(0.02)
            os.kill(procs[0].pid, signal.SIGKILL)
            procs[0].wait(timeout=30)
            for proc in procs[1:]:
                proc.wait(timeout=max(deadline - time.monotonic(), 1))
                errors = proc.stderr.read().decode() if proc.stderr else ""
                assert proc.returncode == 0, errors
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait(timeout=10)
                if proc.stderr:
                    proc.stderr.close()
        lines = [line.split(" ", 1) for line in log.read_text().splitlines()]
        sends = Counter(document for _, document in lines)
        assert len(sends) == self.outbox_documents  # every document reached the exchange
        again = {document for document, n in sends.items() if n > 1}
        by_victim = {document for worker, document in lines if worker == "w0"}
        assert by_victim  # the victim did send before it died
        # Sent twice: only what the victim sent and could not record (at most its batch).
        assert again <= by_victim
        assert len(again) <= self.claim_batch
        assert all(n <= 2 for n in sends.values())
        from egovkit.storage import open_store

        with open_store(url) as store:
            states = Counter(r.data["state"] for r in store.records.scan("exchange.outbox"))
            assert states == {"sent": self.outbox_documents}
            assert store.records.count("exchange.outbox.pending") == 0
            store.audit.verify()


def _sent_by(log: Path, worker: str) -> int:
    return sum(1 for line in log.read_text().splitlines() if line.startswith(worker + " "))


__all__ = ["ClaimContract", "OutboxWorkersContract"]
