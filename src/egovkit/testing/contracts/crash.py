"""Contract: a writer killed with SIGKILL mid-stream loses no acknowledged write and leaves
nothing torn (backends declaring ``multiprocess``: another process must be able to write)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from egovkit.testing.contracts._crash_writer import COUNTER, padding
from egovkit.testing.contracts.fixtures import StoreFixtures


class CrashContract(StoreFixtures):
    """Kill the writer right after a record, or right after a blob, then check everything."""

    @pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
    @pytest.mark.parametrize(("kill_after", "kind"), [(5, "rec"), (20, "blob"), (40, "rec")])
    def test_acknowledged_writes_survive_sigkill(
        self, tmp_path: Path, kill_after: int, kind: str
    ) -> None:
        from egovkit.storage import open_store

        if not self.multiprocess:
            pytest.skip("the backend does not declare multiprocess")
        place = tmp_path / "crash"
        place.mkdir()
        url = self.store_url(place)
        open_store(url).close()  # create the schema before the race
        acked = self._run_and_kill(url, kill_after, kind)
        records = [line for line in acked if line[0] == "rec"]
        blobs = [line for line in acked if line[0] == "blob"]
        with open_store(url) as store:
            stored = {r.key: r for r in store.records.scan("crash")}
            for _, key, number in records:
                index = int(key[1:])
                assert stored[key].data == {"i": index, "pad": padding(index)}
                assert int(number) == index + 1
            # A record and its number are committed together, never one without the other.
            assert store.sequences.current(COUNTER) == len(stored)
            assert len(stored) in {len(records), len(records) + 1}
            assert store.audit.verify().sequence == 2 * len(stored)
            for _, digest, size in blobs:
                assert len(store.blobs.get(digest)) == int(size)
            for digest in store.blobs.digests():  # nothing torn under a digest's name
                store.blobs.get(digest)
            assert len(list(store.blobs.digests())) in {len(blobs), len(blobs) + 1}

    def _run_and_kill(self, url: str, kill_after: int, kind: str) -> list[list[str]]:
        writer = subprocess.Popen(
            [sys.executable, "-m", "egovkit.testing.contracts._crash_writer", url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        acked: list[list[str]] = []
        try:
            assert writer.stdout is not None
            seen = 0
            while seen < kill_after:
                line = writer.stdout.readline()
                if not line:
                    _, error = writer.communicate(timeout=self.process_timeout)
                    pytest.fail(f"the writer stopped by itself: {error}")
                acked.append(line.split())
                seen += line.startswith(kind)
            os.kill(writer.pid, signal.SIGKILL)
            rest, _ = writer.communicate(timeout=self.process_timeout)
            acked += [line.split() for line in rest.splitlines()]
        finally:
            if writer.poll() is None:
                writer.kill()
                writer.communicate(timeout=60)
        assert writer.returncode == -signal.SIGKILL
        return acked


__all__ = ["CrashContract"]
