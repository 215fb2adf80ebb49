"""Exchange: send and receive 10,000 signed documents between two SQLite stores over the
in-memory axis, block by block of 1,000.

Reported: the cost per document (sender's submit + flush, receiver's receive, which verifies,
registers and answers 01 and 03) of the last 1,000 against the first 1,000 — aim: at most 1.5x,
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
from egovkit.documents import Direction, Register
from egovkit.edxml import read, write
from egovkit.edxml.mapping import envelope_from_document
from egovkit.exchange import ExchangeService, MemoryAxis
from egovkit.ports import Store
from egovkit.signatures import sign_envelope, verify
from egovkit.storage.blobs import FileBlobStore
from egovkit.storage.sqlite import open_sqlite
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER, sample_document
from egovkit.testing.pki import FixturePKI

#: No fsync per commit or per blob (SQLite ``synchronous=normal``, blobs unsynced): the fsyncs
#: of the default settings cost the disk's time, the same for every document — about 6 per
#: document here — so they change the level, not the shape; ``--durable`` keeps them.
SYNC = "normal"


def _service(store: Store, axis: MemoryAxis, agency: object, pki: FixturePKI) -> ExchangeService:
    exchange = axis.connect(agency)  # type: ignore[arg-type]
    return ExchangeService(
        store=store,
        exchange=exchange,
        incoming_register=Register(agency=exchange.agency, direction=Direction.INCOMING),
        trust=pki.trust_store(),
        revocation=pki.revocation(),
        signer=pki.agency.signer(),
        worker=f"bench-{exchange.agency}",
    )


def _open(path: Path, durable: bool) -> Store:
    if durable:
        return egovkit.open(f"sqlite:///{path}")
    return open_sqlite(
        f"sqlite:///{path}?synchronous={SYNC}", blobs=FileBlobStore(f"{path}.blobs", fsync=False)
    )


def _blocks(pki: FixturePKI, blocks: int, size: int, *, durable: bool = False) -> list[float]:
    """Seconds per document of each block of ``size`` documents sent and received."""
    axis = MemoryAxis()
    per_document: list[float] = []
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
                start = time.perf_counter()
                for _ in range(size):
                    number += 1
                    sender.submit(sample_document(number))
                sent = sender.flush()
                results = receiver.receive()
                elapsed = time.perf_counter() - start
                assert len(sent) == size
                assert [r.outcome for r in results] == ["registered"] * size, results[:3]
                per_document.append(elapsed / size)
    return per_document


def _library(pki: FixturePKI, count: int) -> float:
    """Seconds per document of the library work alone: envelope, write, sign, verify, read."""
    signer, trust, revocation = pki.agency.signer(), pki.trust_store(), pki.revocation()
    start = time.perf_counter()
    for number in range(1, count + 1):
        data = sign_envelope(write(envelope_from_document(sample_document(number))), signer)
        report = verify(data, trust=trust, revocation=revocation)
        assert report.passed
        assert report.signed_content is not None
        read(report.signed_content)
    return (time.perf_counter() - start) / count


def run(quick: bool) -> list[Comparison]:
    blocks, size = (3, 100) if quick else (10, 1000)
    pki = FixturePKI.create()
    library = _library(pki, 50 if quick else 500)
    per_block = _blocks(pki, blocks, size)
    first, last = per_block[0], per_block[-1]
    total = sum(per_block) / len(per_block)
    shape = ", ".join(f"{p * 1000:.1f}" for p in per_block)
    return [
        Comparison(
            name=f"exchange: send + receive per document, last {size:,} of {blocks * size:,}",
            ours=last,
            peer_name=f"first {size:,}",
            peer=first,
            target="≤ 1.5 (flat)",
            notes=f"ms per document by block: {shape}",
        ),
        Comparison(
            name="exchange: send + receive per document (two SQLite stores)",
            ours=total,
            peer_name="library work alone (write + sign + read + verify)",
            peer=library,
            target="report",
            notes="the rest: store transactions, queue claims, answers 01/03 and their sending",
        ),
    ]


if __name__ == "__main__":
    import sys

    from run import table

    print(table(run("--quick" in sys.argv)))
