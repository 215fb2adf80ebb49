"""The contract's JSON mapping: read(write(x)) == x, hostile JSON refused, vendors override."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.documents import Document, Secrecy
from egovkit.edxml import StatusCode
from egovkit.errors import EgovkitError, ParseError, PolicyError, UnsafeInputError
from egovkit.exchange import Delivery, MessageKind, StatusEntry
from egovkit.testing.contracts.exchange import sample_document
from egovkit.testing.strategies.agencies import agency_codes
from egovkit.testing.strategies.documents import agency_refs, documents, vietnamese_text
from egovkit_ioffice import Instruction, IofficeMapping, ProcessingStatus, ProcessingUpdate
from egovkit_ioffice.mapping import read_json

MAPPING = IofficeMapping()
zoned = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
)


def through_json(value: Any) -> Any:
    return read_json(json.dumps(value, ensure_ascii=False).encode())


@settings(deadline=None)
@given(documents())
def test_document_round_trip(document: Document) -> None:
    document = attrs.evolve(document, secrecy=None)
    assert MAPPING.document_from_json(through_json(MAPPING.document_to_json(document))) == document


@settings(deadline=None)
@given(
    st.builds(
        ProcessingUpdate,
        status=st.sampled_from(ProcessingStatus),
        at=st.none() | zoned,
        by=vietnamese_text(min_size=0),
        note=vietnamese_text(min_size=0),
    )
)
def test_processing_round_trip(update: ProcessingUpdate) -> None:
    assert MAPPING.processing_from_json(through_json(MAPPING.processing_to_json(update))) == update


@settings(deadline=None)
@given(
    st.builds(
        Instruction,
        lead=agency_refs(),
        cooperating=st.lists(agency_refs(), max_size=3),
        deadline=st.none() | st.dates(),
        comment=vietnamese_text(min_size=0),
        by=vietnamese_text(min_size=0),
    )
)
def test_instruction_round_trip(instruction: Instruction) -> None:
    assert (
        MAPPING.instruction_from_json(through_json(MAPPING.instruction_to_json(instruction)))
        == instruction
    )


@settings(deadline=None)
@given(
    st.builds(
        Delivery,
        message_id=st.text(min_size=1, max_size=20),
        kind=st.sampled_from(MessageKind),
        sender=st.none() | agency_codes(),
        document_id=st.text(max_size=40),
        listed_at=st.none() | zoned,
    ),
    st.builds(
        StatusEntry,
        document_id=st.text(min_size=1, max_size=40),
        status=st.sampled_from([c.wire for c in StatusCode]),
        sender=st.none() | agency_codes(),
        description=st.text(max_size=40),
        at=st.none() | zoned,
    ),
)
def test_message_values_round_trip(delivery: Delivery, entry: StatusEntry) -> None:
    assert MAPPING.delivery_from_json(through_json(MAPPING.delivery_to_json(delivery))) == delivery
    assert (
        MAPPING.status_entry_from_json(through_json(MAPPING.status_entry_to_json(entry))) == entry
    )


def test_processing_statuses_map_to_edxml_codes() -> None:
    assert [s.status_code.wire for s in ProcessingStatus] == ["04", "05", "06"]


def test_secret_documents_never_cross_the_contract() -> None:
    egov_document = sample_document()
    secret = attrs.evolve(egov_document, secrecy=Secrecy.SECRET)
    with pytest.raises(PolicyError):
        MAPPING.document_to_json(secret)
    data = MAPPING.document_to_json(egov_document)
    with pytest.raises(PolicyError):
        MAPPING.document_from_json({**data, "secrecy": "SECRET"})


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b'{"a": 1, "a": 2}', UnsafeInputError),
        (b"[" * 40 + b"]" * 40, UnsafeInputError),
        (b"[" * 100_000 + b"]" * 100_000, UnsafeInputError),
        (b'{"a": NaN}', ParseError),
        (b"\xff", ParseError),
        (b"{", ParseError),
    ],
)
def test_hostile_json_is_refused(raw: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        read_json(raw)


def test_brackets_inside_text_are_not_nesting() -> None:
    assert read_json(b'{"subject": "' + b"[" * 100 + b'"}') == {"subject": "[" * 100}


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"status": "finished"},
        {"status": 4},
        {"status": "done", "at": "yesterday"},
        {"status": "done", "at": "2026-03-02T08:00:00"},  # no zone
    ],
)
def test_bad_processing_updates_are_refused(data: object) -> None:
    with pytest.raises(ParseError):
        MAPPING.processing_from_json(data)


@settings(deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=20,
    )
)
def test_arbitrary_json_never_crashes_the_readers(data: object) -> None:
    for read in (
        MAPPING.document_from_json,
        MAPPING.processing_from_json,
        MAPPING.instruction_from_json,
        MAPPING.delivery_from_json,
        MAPPING.status_entry_from_json,
    ):
        with contextlib.suppress(EgovkitError):
            read(data)


class VendorMapping(IofficeMapping):
    """A vendor whose system calls the unit in charge "chuTri" and the others "phoiHop"."""

    def instruction_to_json(self, instruction: Instruction) -> dict[str, Any]:
        data = super().instruction_to_json(instruction)
        data["chuTri"] = data.pop("lead")
        data["phoiHop"] = data.pop("cooperating")
        return data

    def instruction_from_json(self, data: object) -> Instruction:
        assert isinstance(data, dict)
        renamed = {**data, "lead": data.get("chuTri"), "cooperating": data.get("phoiHop", [])}
        return super().instruction_from_json(renamed)


def test_a_vendor_overrides_one_method() -> None:
    egov_document = sample_document()
    assert egov_document.recipients
    instruction = Instruction(
        lead=egov_document.recipients[0], deadline=dt.date(2026, 3, 20), comment="Khẩn trương"
    )
    vendor = VendorMapping()
    data = vendor.instruction_to_json(instruction)
    assert "chuTri" in data
    assert "lead" not in data
    assert vendor.instruction_from_json(through_json(data)) == instruction
