"""The parts of the exchange: retries, the registry, stored forms, hostile deliveries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import egovkit
from egovkit.documents import Direction, Register
from egovkit.errors import (
    ConfigurationError,
    PolicyError,
    RemoteError,
    UnsafeInputError,
    ValidationError,
)
from egovkit.exchange import (
    ExchangeService,
    MemoryAxis,
    MemoryExchange,
    MessageKind,
    OutboxItem,
    RetryPolicy,
)
from egovkit.exchange.registry import memory_axis, open_exchange
from egovkit.ports import Record
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER, sample_envelope, sample_status
from egovkit.testing.pki import FixturePKI
from egovkit.testing.strategies.agencies import agency_codes


def test_retry_backs_off_with_jitter_and_only_for_retryable_errors() -> None:
    waits: list[float] = []
    draws = iter([1.0, 0.5, 0.25])
    policy = RetryPolicy(
        attempts=4, base_delay=1.0, max_delay=3.0, sleep=waits.append, random=lambda: next(draws)
    )
    calls = {"n": 0}

    def flaky() -> str:
        calls["n"] += 1
        if calls["n"] < 4:
            raise RemoteError("busy", retryable=True)
        return "ok"

    assert policy.call(flaky) == "ok"
    assert waits == [1.0, 1.0, 0.75]  # 1*1.0, 2*0.5, min(3, 4)*0.25

    def refused() -> str:
        raise RemoteError("no", retryable=False)

    with pytest.raises(RemoteError):
        RetryPolicy(sleep=waits.append).call(refused)
    assert len(waits) == 3


@given(st.integers(0, 20), st.floats(0, 1))
def test_delays_stay_within_bounds(retry: int, draw: float) -> None:
    policy = RetryPolicy(base_delay=0.2, max_delay=5.0, random=lambda: draw)
    assert 0 <= policy.delay(retry) <= 5.0


def test_registry() -> None:
    a = open_exchange("memory://registry-test", agency=SENDER)
    b = open_exchange("memory://registry-test", agency=RECIPIENT)
    document_id, data = sample_envelope()
    a.send(data, kind=MessageKind.EDOC, to=[RECIPIENT], document_id=document_id)
    assert len(b.received()) == 1
    assert memory_axis("registry-test") is memory_axis("registry-test")
    with pytest.raises(ConfigurationError) as caught:
        open_exchange("nosuch+https://x", agency=SENDER)
    assert caught.value.code == "exchange.unknown_scheme"
    with pytest.raises(ConfigurationError):
        open_exchange("no-scheme", agency=SENDER)


def test_history_is_a_capability() -> None:
    from egovkit.exchange import DocumentExchange

    class Bare(DocumentExchange):
        agency = SENDER

        def send(self, *a: object, **k: object) -> object:  # type: ignore[override]
            raise NotImplementedError

        def received(self, *, kind: MessageKind | None = None) -> tuple[()]:
            return ()

        def fetch(self, message_id: str) -> bytes:
            return b""

        def confirm(self, message_id: str, *, ok: bool = True) -> None:
            pass

    with pytest.raises(PolicyError):
        Bare().history("x")
    status = sample_status("")
    with pytest.raises(ValidationError):
        Bare().acknowledge(status, to=SENDER)


@given(
    key=st.text(min_size=1, max_size=30).filter(str.isprintable),
    kind=st.sampled_from(MessageKind),
    to=st.lists(agency_codes(), min_size=1, max_size=3),
    state=st.sampled_from(["pending", "sent"]),
    attempts=st.integers(0, 100),
    text=st.text(max_size=30),
)
def test_outbox_items_round_trip(
    key: str, kind: MessageKind, to: list[object], state: str, attempts: int, text: str
) -> None:
    item = OutboxItem(
        key=key,
        kind=kind,
        document_id=text,
        to=tuple(to),  # type: ignore[arg-type]
        sha256="0" * 64,
        state=state,
        message_id=text,
        attempts=attempts,
        last_error=text,
    )
    record = Record(collection="exchange.outbox", key=key, data=item.to_dict())
    assert OutboxItem.from_record(record) == item


def test_hostile_deliveries_are_dropped_not_crashing(tmp_path: Path) -> None:
    pki = FixturePKI.create()
    axis = MemoryAxis()
    with egovkit.open(f"sqlite:///{tmp_path / 'b.db'}") as store:
        receiver = ExchangeService(
            store=store,
            exchange=axis.connect(RECIPIENT),
            incoming_register=Register(agency=RECIPIENT, direction=Direction.INCOMING),
            trust=pki.trust_store(),
            revocation=pki.revocation(),
        )
        sender = axis.connect(SENDER)
        sender.send(b"<not xml", kind=MessageKind.EDOC, to=[RECIPIENT], document_id="x")
        sender.send(
            b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>",
            kind=MessageKind.STATUS,
            to=[RECIPIENT],
            document_id="y",
        )
        document_id, data = sample_envelope()
        no_id = data.replace(document_id.encode(), b"")
        sender.send(no_id, kind=MessageKind.EDOC, to=[RECIPIENT], document_id="z")
        results = receiver.receive()
        assert [r.outcome for r in results] == ["unreadable"] * 3
        assert receiver.receive() == []
        assert list(store.documents.all()) == []


def test_clock_is_used_for_registration_dates(tmp_path: Path) -> None:
    pki = FixturePKI.create()
    axis = MemoryAxis()
    moment = dt.datetime.combine(pki.now.date(), dt.time(23, 30), tzinfo=dt.UTC)
    with egovkit.open("memory://") as a_store, egovkit.open("memory://") as b_store:
        from egovkit.testing.contracts.exchange import sample_document

        ExchangeService(
            store=a_store,
            exchange=axis.connect(SENDER),
            incoming_register=Register(agency=SENDER, direction=Direction.INCOMING),
            trust=pki.trust_store(),
            signer=pki.agency.signer(),
        ).send(sample_document())
        receiver = ExchangeService(
            store=b_store,
            exchange=axis.connect(RECIPIENT),
            incoming_register=Register(agency=RECIPIENT, direction=Direction.INCOMING),
            trust=pki.trust_store(),
            revocation=pki.revocation(),
            clock=lambda: moment,
        )
        [result] = receiver.receive()
        assert result.outcome == "registered"
        # 23:30 UTC is already the next day in Vietnam (UTC+7): the arrival date says so.
        [entry] = b_store.register_entries.entries(
            receiver.incoming_register, (moment + dt.timedelta(hours=7)).year, secret=False
        )
        assert entry.registered_on == (moment + dt.timedelta(hours=7)).date()


class HostileFetch(MemoryExchange):
    def fetch(self, message_id: str) -> bytes:
        raise UnsafeInputError("not base64", code="test.base64")


def test_hostile_content_from_the_exchange_is_refused_once() -> None:
    pki = FixturePKI.create()
    axis = MemoryAxis()
    document_id, data = sample_envelope()
    axis.connect(SENDER).send(data, kind=MessageKind.EDOC, to=[RECIPIENT], document_id=document_id)
    with egovkit.open("memory://") as store:
        receiver = ExchangeService(
            store=store,
            exchange=HostileFetch(axis, RECIPIENT),
            incoming_register=Register(agency=RECIPIENT, direction=Direction.INCOMING),
            trust=pki.trust_store(),
        )
        [result] = receiver.receive()
        assert result.outcome == "unreadable"
        assert "not base64" in result.reason
        assert receiver.receive() == []  # confirmed (as failed): not listed again
