"""A crash at any step of sending or receiving loses nothing and duplicates nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import egovkit
from egovkit.agencies import AgencyCode
from egovkit.exchange import (
    DocumentExchange,
    ExchangeService,
    MemoryAxis,
    MemoryExchange,
    MessageKind,
    SendReceipt,
)
from egovkit.ports import Store
from egovkit.signatures import verify as real_verify
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER, agency_service, sample_document
from egovkit.testing.pki import FixturePKI


class Crash(BaseException):
    """Stands for the process dying (not an error anyone catches)."""


@pytest.fixture(scope="module")
def pki() -> FixturePKI:
    return FixturePKI.create()


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'agency.db'}"


def service(
    store: Store, exchange: DocumentExchange, pki: FixturePKI, **options: Any
) -> ExchangeService:
    """A service restarted under the same worker name, so it takes back its own claims at
    once (another name waits for their lease: see the last test)."""
    return agency_service(store, exchange, pki, **{"worker": "agency-worker", **options})


class SendsThenDies(MemoryExchange):
    """Delivers the n-th message, then dies before the sender can record it."""

    def __init__(self, axis: MemoryAxis, agency: AgencyCode, die_at: int) -> None:
        super().__init__(axis, agency)
        self.die_at = die_at
        self.sent = 0

    def send(
        self, data: bytes, *, kind: MessageKind, to: Sequence[AgencyCode], document_id: str
    ) -> SendReceipt:
        receipt = super().send(data, kind=kind, to=to, document_id=document_id)
        self.sent += 1
        if self.sent == self.die_at:
            raise Crash
        return receipt


def test_sender_dies_between_sending_and_recording(store_url: str, pki: FixturePKI) -> None:
    axis = MemoryAxis()
    with egovkit.open(store_url) as store:
        dying = service(store, SendsThenDies(axis, SENDER, die_at=3), pki)
        for number in range(1, 6):
            dying.submit(sample_document(number))
        with pytest.raises(Crash):
            dying.flush()
    with egovkit.open(store_url) as store:  # the restarted process
        again = service(store, axis.connect(SENDER), pki)
        assert len(list(again.outbox(state="pending"))) == 3
        again.flush()
        assert len(list(again.outbox(state="sent"))) == 5
    documents = [d for _, kind, d in axis.accepted if kind is MessageKind.EDOC]
    assert len(documents) == len(set(documents)) == 5  # the axis recognised the resend


def test_receiver_dies_before_registering(
    store_url: str, pki: FixturePKI, monkeypatch: pytest.MonkeyPatch
) -> None:
    axis = MemoryAxis()
    with egovkit.open("memory://") as store_a:
        sender = service(store_a, axis.connect(SENDER), pki)
        for number in (1, 2, 3):
            sender.send(sample_document(number))
    calls = {"n": 0}

    def verify_then_die(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 2:
            raise Crash
        return real_verify(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("egovkit.exchange.service.verify", verify_then_die)
    with egovkit.open(store_url) as store, pytest.raises(Crash):
        service(store, axis.connect(RECIPIENT), pki).receive()
    monkeypatch.setattr("egovkit.exchange.service.verify", real_verify)
    with egovkit.open(store_url) as store:
        receiver = service(store, axis.connect(RECIPIENT), pki)
        states = sorted(i["state"] for i in receiver.inbox())
        assert states == ["arrived", "registered"]  # one half done, one not started yet
        results = receiver.receive()
        assert sorted(r.outcome for r in results) == ["registered", "registered"]
        numbers = sorted(i["arrival_number"] for i in receiver.inbox())
        assert numbers == [1, 2, 3]
        assert len(list(store.documents.all())) == 3
        assert receiver.receive() == []
        store.audit.verify()


class ConfirmDies(MemoryExchange):
    def confirm(self, message_id: str, *, ok: bool = True) -> None:
        raise Crash


def test_receiver_dies_before_confirming(store_url: str, pki: FixturePKI) -> None:
    axis = MemoryAxis()
    with egovkit.open("memory://") as store_a:
        service(store_a, axis.connect(SENDER), pki).send(sample_document())
    with egovkit.open(store_url) as store, pytest.raises(Crash):
        service(store, ConfirmDies(axis, RECIPIENT), pki).receive()
    with egovkit.open(store_url) as store:
        receiver = service(store, axis.connect(RECIPIENT), pki)
        results = receiver.receive()  # finished from the store; the re-listing is recognised
        assert [(r.outcome, r.arrival_number) for r in results] == [
            ("registered", 1),
            ("duplicate", 1),
        ]
        assert len(list(store.documents.all())) == 1
        assert axis.connect(RECIPIENT).received(kind=MessageKind.EDOC) == ()


def test_another_worker_takes_a_dead_workers_claims_when_their_lease_ends(
    store_url: str, pki: FixturePKI
) -> None:
    axis = MemoryAxis()
    now = [1_000.0]
    with egovkit.open(store_url) as store:
        dying = service(
            store,
            SendsThenDies(axis, SENDER, die_at=2),
            pki,
            worker="w1",
            batch=3,
            lease_clock=lambda: now[0],
        )
        for number in range(1, 6):
            dying.submit(sample_document(number))
        with pytest.raises(Crash):
            dying.flush()  # claimed 1-3, sent 1 and 2, recorded 1
    with egovkit.open(store_url) as store:
        other = service(
            store,
            axis.connect(SENDER),
            pki,
            worker="w2",
            lease=dt.timedelta(seconds=60),
            lease_clock=lambda: now[0],
        )
        sent = [i.document_id.rsplit(",", 1)[1] for i in other.flush()]
        assert sent == ["04/UBND-VP", "05/UBND-VP"]
        assert other.pending() == 2  # 2 and 3 are still w1's
        now[0] += 299  # the default lease is 5 minutes
        assert other.flush() == []
        now[0] += 2
        assert len(other.flush()) == 2
        assert other.pending() == 0
    documents = [d for _, kind, d in axis.accepted if kind is MessageKind.EDOC]
    assert len(documents) == len(set(documents)) == 5
