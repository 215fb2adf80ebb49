"""Exchange: send and receive 10,000 signed documents between two SQLite stores over the
in-memory axis, block by block of 1,000.

Reported: the CPU cost per document (sender's submit + flush, receiver's receive, which
verifies, registers and answers 01 and 03; wall time in the notes, as it also counts a busy
machine's other processes) of the last 1,000 against the first 1,000 — aim: at most 1.5x,
i.e. flat as the stores' history grows (pending work is looked up in an index, not by scanning
the outbox and inbox) — and the cost per document against the library work alone for the same
document (envelope + write + sign, then verify + read of the signed bytes), which shows what the
stores, the queue and the answers add.

``--quick``: 3 blocks of 100.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from _harness import Comparison

import egovkit
from egovkit.agencies import AgencyCode
from egovkit.edxml import read, write
from egovkit.edxml.mapping import envelope_from_document
from egovkit.exchange import ExchangeService, MemoryAxis
from egovkit.ports import Store
from egovkit.signatures import sign_envelope, verify
from egovkit.storage.blobs import FileBlobStore
from egovkit.storage.sqlite import open_sqlite
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER, agency_service, sample_document
from egovkit.testing.pki import FixturePKI

#: No fsync per commit or per blob (SQLite ``synchronous=normal``, blobs unsynced): the fsyncs
#: of the default settings cost the disk's time, the same for every document — about 6 per
#: document here — so they change the level, not the shape; ``--durable`` keeps them.
SYNC = "normal"


def _service(
    store: Store, axis: MemoryAxis, agency: AgencyCode, pki: FixturePKI
) -> ExchangeService:
    return agency_service(store, axis.connect(agency), pki, worker=f"bench-{agency}")


def _open(path: Path, durable: bool) -> Store:
    if durable:
        return egovkit.open(f"sqlite:///{path}")
    return open_sqlite(
        f"sqlite:///{path}?synchronous={SYNC}", blobs=FileBlobStore(f"{path}.blobs", fsync=False)
    )


def _blocks(
    pki: FixturePKI, blocks: int, size: int, *, durable: bool = False
) -> list[tuple[float, float]]:
    """(wall, CPU) seconds per document of each block of ``size`` documents sent and
    received. CPU time (this process's) is what the stores' growth could change; wall time
    also counts waiting for a busy machine's other processes."""
    axis = MemoryAxis()
    per_document: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory(prefix="egovkit-bench-exchange-") as place:
        root = Path(place)
        with (
            _open(root / "sender.db", durable) as a,
            _open(root / "receiver.db", durable) as b,
        ):
            sender = _service(a, axis, SENDER, pki)
            receiver = _service(b, axis, RECIPIENT, pki)
            number = 0
            for _ in range(blocks):
                start, cpu = time.perf_counter(), time.process_time()
                for _ in range(size):
                    number += 1
                    sender.submit(sample_document(number))
                sent = sender.flush()
                results = receiver.receive()
                elapsed, used = time.perf_counter() - start, time.process_time() - cpu
                assert len(sent) == size
                assert [r.outcome for r in results] == ["registered"] * size, results[:3]
                per_document.append((elapsed / size, used / size))
    return per_document


def _library(pki: FixturePKI, count: int) -> tuple[float, float]:
    """(wall, CPU) seconds per document of the library work alone: envelope, write, sign,
    verify, read."""
    signer, trust, revocation = pki.agency.signer(), pki.trust_store(), pki.revocation()
    start, cpu = time.perf_counter(), time.process_time()
    for number in range(1, count + 1):
        data = sign_envelope(write(envelope_from_document(sample_document(number))), signer)
        report = verify(data, trust=trust, revocation=revocation)
        assert report.passed
        assert report.signed_content is not None
        read(report.signed_content)
    return (time.perf_counter() - start) / count, (time.process_time() - cpu) / count


def run(quick: bool) -> list[Comparison]:
    blocks, size = (3, 100) if quick else (10, 1000)
    pki = FixturePKI.create()
    library_wall, library = _library(pki, 50 if quick else 500)
    per_block = _blocks(pki, blocks, size)
    cpu = [c for _, c in per_block]
    wall = [w for w, _ in per_block]
    return [
        Comparison(
            name=f"exchange: send + receive CPU per document, last {size:,} of {blocks * size:,}",
            ours=cpu[-1],
            peer_name=f"first {size:,}",
            peer=cpu[0],
            target="≤ 1.5 (flat)",
            notes="CPU ms per document by block: "
            + ", ".join(f"{c * 1000:.1f}" for c in cpu)
            + "; wall ms: "
            + ", ".join(f"{w * 1000:.1f}" for w in wall),
        ),
        Comparison(
            name="exchange: send + receive CPU per document (two SQLite stores)",
            ours=sum(cpu) / len(cpu),
            peer_name="library work alone (write + sign + read + verify)",
            peer=library,
            target="report",
            notes=f"wall: {sum(wall) / len(wall) * 1000:.1f} ms against "
            f"{library_wall * 1000:.1f} ms; the rest is store transactions, blob files, queue "
            "claims, and the answers 01/03 written, stored and sent",
        ),
    ]


if __name__ == "__main__":
    import sys

    from run import table

    print(table(run("--quick" in sys.argv)))
