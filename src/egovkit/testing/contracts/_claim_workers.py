"""Worker processes of the claim contracts (top-level functions for ``spawn``, and a ``main``
run as ``python -m egovkit.testing.contracts._claim_workers URL LOG NAME BATCH LEASE HANG``).

The exchange worker sends through :class:`LogExchange`, which appends ``<worker> <DocumentId>``
to a shared file for every send (one ``write`` on an ``O_APPEND`` descriptor: lines from
several processes never interleave), so the test sees every send, including those of the
worker it kills.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Sequence

from egovkit.agencies.codes import AgencyCode
from egovkit.errors import NotFoundError
from egovkit.exchange.ports import Delivery, DocumentExchange, MessageKind, SendReceipt
from egovkit.exchange.service import ExchangeService
from egovkit.ports import Store

#: Seconds a worker keeps flushing before it gives up (the contract's bound).
WORKER_DEADLINE = 600.0


def drain(url: str, collection: str) -> list[str]:
    """Claim and remove records of ``collection`` a few at a time until none is left."""
    from egovkit.storage import open_store

    owner = f"p{os.getpid()}"
    taken: list[str] = []
    with open_store(url) as store:
        while True:
            now = time.time_ns() // 1000
            batch = store.records.claim(
                collection, owner=owner, now=now, until=now + 60_000_000, limit=3
            )
            if not batch:
                return taken
            for record in batch:
                store.records.delete(record)
                taken.append(record.key)


class LogExchange(DocumentExchange):
    """Sends to a log file; ``hang_after`` > 0: hang (until killed) after that many sends."""

    def __init__(self, log: str, worker: str, hang_after: int = 0) -> None:
        from egovkit.testing.contracts.exchange import SENDER

        self._agency = SENDER
        self._fd = os.open(log, os.O_WRONLY | os.O_APPEND)
        self._worker = worker
        self._hang_after = hang_after
        self._sent = 0

    @property
    def agency(self) -> AgencyCode:
        return self._agency

    def send(
        self, data: bytes, *, kind: MessageKind, to: Sequence[AgencyCode], document_id: str
    ) -> SendReceipt:
        os.write(self._fd, f"{self._worker} {document_id}\n".encode())
        self._sent += 1
        if self._sent == self._hang_after:
            time.sleep(WORKER_DEADLINE)  # stands for a worker stuck mid-batch, then killed
        return SendReceipt(message_id=f"m-{document_id}", document_id=document_id, kind=kind)

    def received(self, *, kind: MessageKind | None = None) -> tuple[Delivery, ...]:
        return ()

    def fetch(self, message_id: str) -> bytes:
        raise NotFoundError("nothing to fetch", code="exchange.not_found", where=message_id)

    def confirm(self, message_id: str, *, ok: bool = True) -> None:
        return None

    def close(self) -> None:
        os.close(self._fd)


def _service(store: Store, exchange: DocumentExchange, **options: object) -> ExchangeService:
    from egovkit.documents import Direction, Register
    from egovkit.signatures import TrustStore

    return ExchangeService(
        store=store,
        exchange=exchange,
        incoming_register=Register(agency=exchange.agency, direction=Direction.INCOMING),
        trust=TrustStore(anchors=()),
        **options,  # type: ignore[arg-type]
    )


def fill_outbox(url: str, count: int) -> None:
    """Queue ``count`` unsigned documents (numbers 1…count) in the outbox at ``url``."""
    from egovkit.storage import open_store
    from egovkit.testing.contracts.exchange import sample_document

    with open_store(url) as store:
        exchange = _Idle()
        service = _service(store, exchange)
        for number in range(1, count + 1):
            service.submit(sample_document(number))


class _Idle(LogExchange):
    """An exchange that is never used (filling the outbox sends nothing)."""

    def __init__(self) -> None:
        from egovkit.testing.contracts.exchange import SENDER

        self._agency = SENDER

    def send(
        self, data: bytes, *, kind: MessageKind, to: Sequence[AgencyCode], document_id: str
    ) -> SendReceipt:
        raise AssertionError("filling the outbox sends nothing")

    def close(self) -> None:
        return None


def main(argv: Sequence[str]) -> int:
    """Flush the outbox at ``argv[0]`` until nothing is pending."""
    from egovkit.storage import open_store

    url, log, worker, batch, lease, hang_after = argv
    deadline = time.monotonic() + WORKER_DEADLINE
    with open_store(url) as store, LogExchange(log, worker, int(hang_after)) as exchange:
        service = _service(
            store,
            exchange,
            worker=worker,
            batch=int(batch),
            lease=dt.timedelta(seconds=float(lease)),
        )
        while service.pending() and time.monotonic() < deadline:
            if not service.flush():
                time.sleep(0.2)  # the rest is claimed by others (or by a dead worker)
        return 0 if not service.pending() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
