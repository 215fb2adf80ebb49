"""Dossier codes: text form, allocation per unit per day, concurrency and overflow."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ, NaiveDatetimeError
from egovkit.dossiers import (
    FOUR_DIGIT_LIMIT,
    CodeOverflow,
    DossierCode,
    DossierCodeExhaustedError,
    allocate_dossier_code,
)
from egovkit.errors import ConflictError, ParseError, ValidationError
from egovkit.ports import SequenceAllocator, SequenceKey
from egovkit.storage.memory import MemorySequenceAllocator
from egovkit.testing.strategies.dossiers import (
    dossier_code_texts,
    dossier_codes,
    invalid_dossier_code_texts,
)

UNIT = AgencyCode.parse("000.00.01.H53")
OTHER = AgencyCode.parse("000.00.02.H53")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant in Vietnam."""
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM_TZ)


@given(dossier_codes())
def test_parse_reads_back_what_str_writes(code: DossierCode) -> None:
    assert DossierCode.parse(str(code)) == code


@given(dossier_code_texts())
def test_str_writes_back_what_parse_reads(text: str) -> None:
    assert str(DossierCode.parse(text)) == text


@given(invalid_dossier_code_texts())
def test_invalid_texts_are_refused(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        DossierCode.parse(text)
    assert caught.value.code.startswith("dossier.code.")


def test_the_text_form() -> None:
    code = DossierCode(agency=UNIT, day=date(2026, 2, 13), number=42)
    assert str(code) == "000.00.01.H53-260213-0042"
    assert str(DossierCode(agency=UNIT, day=date(2026, 2, 13), number=12345)).endswith("-12345")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("000.00.01.H53-261301-0001", "dossier.code.date"),
        ("000.00.01.H53-260213-0000", "dossier.code.number"),
        ("000.00.01.H53-260213-00042", "dossier.code.number"),
        ("28.22.H17-260213-0001", "dossier.code.syntax"),
        ("000.00.01.H53-260213-42", "dossier.code.syntax"),
    ],
)
def test_refusals_say_what_is_wrong(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        DossierCode.parse(text)
    assert caught.value.code == code


def test_parse_refuses_non_text() -> None:
    with pytest.raises(ParseError):
        DossierCode.parse(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("number", [0, -1, True, 1.0])
def test_numbers_are_whole_and_positive(number: object) -> None:
    with pytest.raises(ValidationError):
        DossierCode(agency=UNIT, day=date(2026, 1, 1), number=number)  # type: ignore[arg-type]


def test_days_outside_two_digit_years_are_refused() -> None:
    with pytest.raises(ValidationError):
        DossierCode(agency=UNIT, day=date(1999, 12, 31), number=1)


def test_codes_sort_by_unit_day_and_number() -> None:
    codes = [
        DossierCode(agency=OTHER, day=date(2026, 1, 1), number=1),
        DossierCode(agency=UNIT, day=date(2026, 1, 2), number=1),
        DossierCode(agency=UNIT, day=date(2026, 1, 1), number=10),
        DossierCode(agency=UNIT, day=date(2026, 1, 1), number=2),
    ]
    assert [str(c) for c in sorted(codes)] == [
        "000.00.01.H53-260101-0002",
        "000.00.01.H53-260101-0010",
        "000.00.01.H53-260102-0001",
        "000.00.02.H53-260101-0001",
    ]


def test_counters_are_per_unit_and_per_day() -> None:
    sequences = MemorySequenceAllocator()
    first = allocate_dossier_code(sequences, UNIT, at(2026, 3, 2, 8))
    second = allocate_dossier_code(sequences, UNIT, at(2026, 3, 2, 16))
    other_unit = allocate_dossier_code(sequences, OTHER, at(2026, 3, 2, 9))
    next_day = allocate_dossier_code(sequences, UNIT, at(2026, 3, 3, 7))
    assert [str(c) for c in (first, second, other_unit, next_day)] == [
        "000.00.01.H53-260302-0001",
        "000.00.01.H53-260302-0002",
        "000.00.02.H53-260302-0001",
        "000.00.01.H53-260303-0001",
    ]
    assert sequences.current(DossierCode.sequence_key(UNIT, date(2026, 3, 2))) == 2


def test_the_day_is_vietnams_day() -> None:
    sequences = MemorySequenceAllocator()
    # 17:30 UTC on 2 March is 00:30 on 3 March in Vietnam
    code = allocate_dossier_code(sequences, UNIT, datetime(2026, 3, 2, 17, 30, tzinfo=UTC))
    assert code.day == date(2026, 3, 3)
    with pytest.raises(NaiveDatetimeError):
        allocate_dossier_code(sequences, UNIT, datetime(2026, 3, 2, 9))


def test_the_sequence_key_names_unit_and_day() -> None:
    key = DossierCode.sequence_key(UNIT, date(2026, 3, 2))
    assert str(key) == "dossier-code/000.00.01.H53/2026-03-02"
    assert SequenceKey.parse(str(key)) == key


def test_codes_are_unique_under_concurrency() -> None:
    sequences = MemorySequenceAllocator()
    found: list[DossierCode] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def desk(unit: AgencyCode) -> None:
        barrier.wait()
        mine = [allocate_dossier_code(sequences, unit, at(2026, 3, 2, 9)) for _ in range(250)]
        with lock:
            found.extend(mine)

    threads = [threading.Thread(target=desk, args=(UNIT if i % 2 else OTHER,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 2000
    assert len({str(c) for c in found}) == 2000
    for unit in (UNIT, OTHER):
        numbers = sorted(c.number for c in found if c.agency == unit)
        assert numbers == list(range(1, 1001))  # gap-free as well as unique


class _Preset(SequenceAllocator):
    """An allocator whose counter starts just below the four-digit limit."""

    def __init__(self, start: int) -> None:
        self.last = start

    def allocate(self, key: SequenceKey) -> int:
        self.last += 1
        return self.last

    def current(self, key: SequenceKey) -> int:
        return self.last


def test_past_9999_a_day_the_number_widens_by_default() -> None:
    sequences = _Preset(FOUR_DIGIT_LIMIT - 1)
    last_four = allocate_dossier_code(sequences, UNIT, at(2026, 3, 2, 9))
    widened = allocate_dossier_code(sequences, UNIT, at(2026, 3, 2, 9))
    assert str(last_four).endswith("-9999")
    assert str(widened) == "000.00.01.H53-260302-10000"
    assert DossierCode.parse(str(widened)) == widened
    assert last_four < widened


def test_past_9999_a_day_refuse_raises_a_conflict() -> None:
    sequences = _Preset(FOUR_DIGIT_LIMIT - 1)
    allocate_dossier_code(sequences, UNIT, at(2026, 3, 2, 9), overflow=CodeOverflow.REFUSE)
    with pytest.raises(DossierCodeExhaustedError) as caught:
        allocate_dossier_code(sequences, UNIT, at(2026, 3, 2, 9), overflow=CodeOverflow.REFUSE)
    assert isinstance(caught.value, ConflictError)
    assert caught.value.code == "dossier.code.exhausted"


@settings(max_examples=20)
@given(dossier_codes(wide=False))
def test_four_digit_codes_have_a_fixed_length(code: DossierCode) -> None:
    assert len(str(code)) == len("000.00.01.H53-260213-0042")
