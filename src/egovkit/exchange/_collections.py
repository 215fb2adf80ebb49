"""The store collections of the exchange service (shared by its modules)."""

from __future__ import annotations

from typing import Final

from egovkit.ports import UnitOfWork

OUTBOX: Final = "exchange.outbox"
INBOX: Final = "exchange.inbox"
STATUSES: Final = "exchange.statuses"
#: The pending work, kept apart so that finding it costs the same however long the history
#: grows: outbox items waiting to be sent (keyed by queue number) and arrivals waiting to be
#: verified (keyed by DocumentId). Workers claim them with leases
#: (:meth:`~egovkit.ports.RecordRepository.claim`).
OUTBOX_PENDING: Final = "exchange.outbox.pending"
INBOX_ARRIVED: Final = "exchange.inbox.arrived"
#: Recall and update messages received, keyed ``<target DocumentId>|<type>|<sha256>``.
CHANGES: Final = "exchange.inbox.changes"


def drop(uow: UnitOfWork, collection: str, key: str) -> None:
    """Remove an index row if it is still there."""
    row = uow.records.find(collection, key)
    if row is not None:
        uow.records.delete(row)
