"""Register entries and documents survive the trip through stored JSON records."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.agencies import AgencyCode
from egovkit.documents import Direction, Document, Register, RegisterEntry
from egovkit.errors import ParseError
from egovkit.ports import canonical_json
from egovkit.storage import open_store
from egovkit.storage.codecs import entry_from_dict, entry_key, entry_prefix, entry_to_dict
from egovkit.testing import strategies as egst

entries = st.builds(
    RegisterEntry,
    register=st.builds(
        Register,
        agency=egst.agency_codes(),
        direction=st.sampled_from(Direction),
        name=st.sampled_from(["main", "Sổ mật", "văn bản đến 2"]),
    ),
    year=st.integers(min_value=2000, max_value=2099),
    number=st.integers(min_value=1, max_value=10**9),
    secret=st.booleans(),
    registered_on=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
    document=egst.documents(),
)


@settings(max_examples=40, deadline=None)
@given(entry=entries)
def test_register_entries_round_trip_through_json(entry: RegisterEntry) -> None:
    text = canonical_json(entry_to_dict(entry))
    assert entry_from_dict(json.loads(text)) == entry


@settings(max_examples=15, deadline=None)
@given(entry=entries)
def test_stored_entries_read_back_equal(entry: RegisterEntry) -> None:
    with open_store("memory://") as store:
        store.register_entries.record(entry)
        assert (
            store.register_entries.get(
                entry.register, entry.year, entry.number, secret=entry.secret
            )
            == entry
        )


@settings(max_examples=15, deadline=None)
@given(document=egst.documents())
def test_stored_documents_read_back_equal(document: Document) -> None:
    with open_store("memory://") as store:
        stored = store.documents.add(document)
        assert store.documents.get(stored.key).document == document


def test_keys_sort_by_number_under_their_register() -> None:
    register = Register(agency=AgencyCode.province("H99"), direction=Direction.OUTGOING)
    keys = [entry_key(register, 2026, n, secret=False) for n in (1, 2, 10, 100)]
    assert keys == sorted(keys)
    assert all(k.startswith(entry_prefix(register, 2026, secret=False)) for k in keys)
    assert entry_key(register, 2026, 1, secret=True) != keys[0]


def test_a_malformed_stored_entry_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        entry_from_dict({"register": {"agency": "nonsense"}})
    with pytest.raises(ParseError):
        entry_from_dict({})
