"""The port value objects: keys, records, digests, audit entries and chains."""

from __future__ import annotations

import datetime as dt
import io

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.errors import ValidationError
from egovkit.ports import (
    GENESIS,
    AuditEntry,
    AuditHead,
    IntegrityError,
    Record,
    SequenceKey,
    canonical_json,
    check_digest,
    iter_chunks,
    verify_chain,
)

texts = st.text(min_size=1, max_size=12).filter(lambda t: "/" not in t)


@given(namespace=texts, parts=st.lists(texts, max_size=5))
def test_sequence_keys_parse_their_text(namespace: str, parts: list[str]) -> None:
    key = SequenceKey(namespace, parts)
    assert SequenceKey.parse(str(key)) == key


def test_record_digest_is_over_canonical_json() -> None:
    a = Record(collection="c", key="k", data={"b": 1, "a": "Việt"})
    b = Record(collection="c", key="k", data={"a": "Việt", "b": 1})
    assert a.body() == '{"a":"Việt","b":1}'
    assert a.digest() == b.digest()
    assert canonical_json([1, {"z": None}]) == '[1,{"z":null}]'


@pytest.mark.parametrize("version", [-1, True, 1.5])
def test_record_versions_are_whole_numbers(version: object) -> None:
    with pytest.raises(ValidationError):
        Record(collection="c", key="k", version=version)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["", "g" * 64, "A" * 64, "0" * 65, "../" + "0" * 61])
def test_digests_are_64_lower_hex(value: str) -> None:
    with pytest.raises(ValidationError):
        check_digest(value)


def test_iter_chunks_reads_every_source_kind() -> None:
    data = b"x" * 25
    assert b"".join(iter_chunks(data, 10)) == data
    assert list(iter_chunks(io.BytesIO(data), 10)) == [b"x" * 10, b"x" * 10, b"x" * 5]
    assert b"".join(iter_chunks([b"ab", b"", b"c"])) == b"abc"
    with pytest.raises(ValidationError):
        list(iter_chunks(["text"]))  # type: ignore[list-item]


_AT = dt.datetime(2026, 1, 5, 8, 30, tzinfo=dt.UTC)


def _chain(length: int) -> list[AuditEntry]:
    head = AuditHead(sequence=0, hash=GENESIS)
    entries = []
    for n in range(length):
        entry = AuditEntry.chained(
            head,
            at=_AT,
            actor="a",
            action="add",
            collection="c",
            key=f"k{n}",
            version=1,
            before=None,
            after="0" * 64,
        )
        entries.append(entry)
        head = AuditHead(sequence=entry.sequence, hash=entry.hash)
    return entries


entry_fields = st.fixed_dictionaries(
    {
        "actor": st.text(max_size=20),
        "action": st.sampled_from(["add", "update", "delete", "allocate"]),
        "collection": st.text(max_size=10),
        "key": st.text(max_size=20),
        "version": st.integers(min_value=0, max_value=2**40),
        "before": st.none() | st.just("a" * 64),
        "after": st.none() | st.just("b" * 64),
        "at": st.datetimes(timezones=st.just(dt.UTC)),
    }
)


@given(fields=entry_fields)
def test_audit_entries_round_trip_through_dicts(fields: dict[str, object]) -> None:
    entry = AuditEntry.chained(AuditHead(sequence=4, hash="c" * 64), **fields)  # type: ignore[arg-type]
    assert AuditEntry.from_dict(entry.to_dict()) == entry
    assert entry.expected_hash() == entry.hash


def test_a_whole_chain_verifies_to_its_head() -> None:
    entries = _chain(5)
    head = verify_chain(entries)
    assert head == AuditHead(sequence=5, hash=entries[-1].hash)
    assert verify_chain([]) == AuditHead(sequence=0, hash=GENESIS)


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        (lambda e: [*e[:2], attrs.evolve(e[2], key="other"), *e[3:]], "audit.modified"),
        (lambda e: e[:2] + e[3:], "audit.gap"),
        (lambda e: [e[0], e[2], e[1], *e[3:]], "audit.gap"),
        (lambda e: [e[0], e[1], e[1], *e[2:]], "audit.order"),
        (lambda e: e[1:], "audit.gap"),
    ],
)
def test_chain_tampering_is_named(tamper: object, code: str) -> None:
    entries = _chain(5)
    with pytest.raises(IntegrityError) as caught:
        verify_chain(tamper(entries))  # type: ignore[operator]
    assert caught.value.code == code


def test_truncation_is_caught_against_the_recorded_head() -> None:
    entries = _chain(5)
    head = AuditHead(sequence=5, hash=entries[-1].hash)
    with pytest.raises(IntegrityError) as caught:
        verify_chain(entries[:3], head)
    assert caught.value.code == "audit.truncated"


def test_malformed_entries_are_integrity_errors() -> None:
    with pytest.raises(IntegrityError):
        AuditEntry.from_dict({"sequence": "1"})
