"""Several workers on one store: pending work by index, claims with leases, a killed worker.

The 4-process contract runs here on SQLite (and in egovkit-postgres on PostgreSQL).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import egovkit
from egovkit.agencies import AgencyCode
from egovkit.exchange import ExchangeService, MemoryAxis
from egovkit.exchange.service import INBOX_ARRIVED, OUTBOX, OUTBOX_PENDING
from egovkit.ports import Record, Store
from egovkit.testing.contracts import OutboxWorkersContract, StoreFixtures
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER, agency_service, sample_document
from egovkit.testing.pki import FixturePKI


class SqliteFixtures(StoreFixtures):
    multiprocess = True

    def open_store(self, place: Path) -> Store:
        return egovkit.open(self.store_url(place))

    def store_url(self, place: Path) -> str:
        return f"sqlite:///{place / 'egov.db'}"


class TestSqliteOutboxWorkers(OutboxWorkersContract, SqliteFixtures):
    pass


@pytest.fixture(scope="module")
def pki() -> FixturePKI:
    return FixturePKI.create()


def service(
    store: Store, axis: MemoryAxis, pki: FixturePKI, agency: AgencyCode = SENDER
) -> ExchangeService:
    return agency_service(store, axis.connect(agency), pki)


def test_pending_work_is_indexed_and_leaves_the_index_when_done(pki: FixturePKI) -> None:
    axis = MemoryAxis()
    with egovkit.open("memory://") as a, egovkit.open("memory://") as b:
        sender = service(a, axis, pki)
        for number in (1, 2, 3):
            sender.submit(sample_document(number))
        assert sender.pending() == 3
        pending = [i.document_id for i in sender.outbox(state="pending")]
        assert len(pending) == len(set(pending)) == 3
        assert len(sender.flush(limit=2)) == 2
        assert sender.pending() == 1
        sender.flush()
        assert sender.pending() == 0
        assert a.records.count(OUTBOX) == 3
        receiver = service(b, axis, pki, RECIPIENT)
        assert [r.outcome for r in receiver.receive()] == ["registered"] * 3
        assert b.records.count(INBOX_ARRIVED) == 0
        assert receiver.pending() == 0  # the answers (01 and 03 for each) went out
        a.audit.verify()
        b.audit.verify()


def test_a_store_written_before_the_index_is_indexed_once(pki: FixturePKI) -> None:
    axis = MemoryAxis()
    with egovkit.open("memory://") as store:
        old = service(store, axis, pki)
        for number in (1, 2):
            old.submit(sample_document(number))
        # what an older egovkit left: outbox records without their pending rows
        with store.transaction() as uow:
            for row in list(uow.records.scan(OUTBOX_PENDING)):
                uow.records.delete(row)
        new = service(store, axis, pki)
        assert new.pending() == 2
        assert len(new.flush()) == 2
        assert new.pending() == 0
        assert store.records.find("exchange.meta", "pending-index") is not None


def test_a_stale_index_row_is_dropped(pki: FixturePKI) -> None:
    axis = MemoryAxis()
    with egovkit.open("memory://") as store:
        sender = service(store, axis, pki)
        sender.submit(sample_document(1))
        store.records.add(
            Record(collection=OUTBOX_PENDING, key="999999999999", data={"key": "edoc|gone"})
        )
        assert len(sender.flush()) == 1
        assert store.records.count(OUTBOX_PENDING) == 0
