"""Property: an outgoing document survives envelope → bytes → envelope → incoming document."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.agencies import AgencyCode
from egovkit.documents import (
    AgencyRef,
    Competence,
    Direction,
    Document,
    DocumentNumber,
    DocumentType,
    Signer,
    Urgency,
)
from egovkit.edxml import Envelope, document_from_envelope, envelope_from_document, read, write
from egovkit.edxml.dates import format_date, format_timestamp, read_date, read_timestamp

words = st.text(
    st.characters(categories=("L", "N"), exclude_characters="\ufffe\uffff"), min_size=1, max_size=8
)
names = st.lists(words, min_size=1, max_size=3).map(" ".join)
codes = st.builds(
    AgencyCode,
    level1=st.from_regex(r"[GH][0-9]{2}", fullmatch=True),
    level2=st.from_regex(r"[0-9]{2}", fullmatch=True),
)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))
numbers = st.builds(
    DocumentNumber,
    number=st.integers(min_value=1, max_value=99_999),
    notation=st.from_regex(r"[A-ZĐ]{1,4}(-[A-ZĐ]{1,4}){0,2}", fullmatch=True),
    year=st.none() | st.integers(min_value=1990, max_value=2090),
)
signers = st.builds(
    Signer,
    full_name=names,
    position=names,
    competence=st.none() | st.sampled_from(Competence),
)
documents = st.builds(
    Document,
    direction=st.just(Direction.OUTGOING),
    type=st.sampled_from(DocumentType.all()),
    issuer=st.builds(AgencyRef, name=names, code=codes),
    number=numbers,
    place=st.none() | names,
    issued_on=dates,
    subject=names,
    content=st.text(max_size=30)
    .filter(lambda t: "\x00" not in t)
    .map(lambda t: "".join(c for c in t if c.isprintable() or c in "\n\t")),
    signer=st.none() | signers,
    recipients=st.lists(st.builds(AgencyRef, name=names, code=codes), min_size=1, max_size=3),
    urgency=st.none() | st.sampled_from(Urgency),
    due_date=st.none() | dates,
)


@settings(max_examples=50, deadline=None)
@given(documents)
def test_document_survives_the_envelope(document: Document) -> None:
    envelope = envelope_from_document(document, sent_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    received = read(write(envelope)).message
    assert isinstance(received, Envelope)
    incoming, findings = document_from_envelope(received)
    assert findings == ()
    assert incoming == attrs.evolve(document, direction=Direction.INCOMING)


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_date_layout_round_trip(value: dt.date) -> None:
    assert read_date(format_date(value)).value == value


@given(st.datetimes(min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(9999, 12, 30)))
def test_timestamp_layout_round_trip(value: dt.datetime) -> None:
    stamp = read_timestamp(format_timestamp(value)).value
    assert isinstance(stamp, dt.datetime)
    assert stamp.replace(tzinfo=None) == value.replace(microsecond=0)
