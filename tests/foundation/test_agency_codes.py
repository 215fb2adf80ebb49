from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given

from egovkit.agencies import AgencyCode
from egovkit.errors import ParseError, ValidationError
from egovkit.findings import Severity
from egovkit.testing import strategies as egst


def test_parse_the_decision_20_example() -> None:
    code = AgencyCode.parse("000.00.00.H41")
    assert str(code) == "000.00.00.H41"
    assert code.level1 == "H41"
    assert code.levels == ("H41", "00", "00", "000")
    assert code.level == 1
    assert code.parent is None
    assert code.findings == ()


def test_levels_and_parents_of_deeper_units() -> None:
    office = AgencyCode.parse("000.00.01.H53")
    assert office.level == 2
    assert office.parent == AgencyCode.parse("000.00.00.H53")
    district_body = AgencyCode.parse("001.00.10.H47")
    assert district_body.level == 4
    assert [str(a) for a in district_body.ancestors] == ["000.00.10.H47", "000.00.00.H47"]
    assert district_body.is_within(AgencyCode.province("H47"))
    assert not district_body.is_within(AgencyCode.province("H41"))


@given(egst.agency_codes())
def test_parse_of_str_gives_the_code_back(code: AgencyCode) -> None:
    assert AgencyCode.parse(str(code)) == code
    assert AgencyCode.parse(str(code), strict=False) == code
    assert len(str(code)) == 13


@given(egst.agency_codes())
def test_ancestors_end_at_level_one(code: AgencyCode) -> None:
    chain = code.ancestors
    assert len(chain) == sum(1 for group in code.levels[1:] if group.strip("0"))
    assert [a.level for a in chain] == sorted((a.level for a in chain), reverse=True)
    assert all(a.level1 == code.level1 for a in chain)
    if chain:
        assert chain[-1] == AgencyCode.province(code.level1)


def test_legacy_shape_is_refused_when_strict() -> None:
    with pytest.raises(ParseError) as caught:
        AgencyCode.parse("28.22.H17")
    assert caught.value.code == "agency_code.legacy_shape"
    assert "strict=False" in caught.value.message


def test_legacy_shape_reads_leniently_with_a_finding() -> None:
    code = AgencyCode.parse("28.22.H17", strict=False)
    assert str(code) == "000.28.22.H17"  # never emitted in the legacy shape
    assert code.level1 == "H17"
    assert [f.code for f in code.findings] == ["agency_code.legacy_shape"]
    assert code.findings[0].severity is Severity.ERROR
    assert "28.22.H17" in code.findings[0].message


@given(egst.legacy_agency_code_texts())
def test_every_legacy_shape_needs_leniency(text: str) -> None:
    with pytest.raises(ParseError):
        AgencyCode.parse(text)
    code = AgencyCode.parse(text, strict=False)
    assert str(code).endswith(text)
    assert code.is_lenient


def test_lenient_repairs_case_and_spaces_as_warnings() -> None:
    code = AgencyCode.parse("  000.00.00.h41 ", strict=False)
    assert code == AgencyCode.parse("000.00.00.H41")
    assert {f.code for f in code.findings} == {"agency_code.whitespace", "agency_code.case"}
    assert all(f.severity is Severity.WARNING for f in code.findings)
    with pytest.raises(ParseError):
        AgencyCode.parse("000.00.00.h41")


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("000.0x.00.H41", 5),
        ("", 0),
        ("000.00.00.H411", 13),
        ("000-00.00.H41", 3),
        ("000.00.00.141", 10),
        ("abc", 0),
    ],
)
def test_garbage_raises_naming_the_position(text: str, position: int) -> None:
    for strict in (True, False):
        with pytest.raises(ParseError) as caught:
            AgencyCode.parse(text, strict=strict)
        assert caught.value.position == position
        assert f"position {position + 1}" in caught.value.message


@given(egst.invalid_agency_code_texts())
def test_invalid_texts_always_raise_parse_errors(text: str) -> None:
    with pytest.raises(ParseError):
        AgencyCode.parse(text)


def test_non_text_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        AgencyCode.parse(41)  # type: ignore[arg-type]


def test_decomposed_unicode_is_not_mistaken_for_digits() -> None:
    text = unicodedata.normalize("NFD", "000.00.00.H41")
    assert AgencyCode.parse(text) == AgencyCode.province("H41")
    with pytest.raises(ParseError):
        AgencyCode.parse("000.00.00.H٤1")  # an Arabic-Indic digit


def test_building_from_bad_groups_is_refused() -> None:
    with pytest.raises(ValidationError):
        AgencyCode(level1="H4", level2="00")


def test_findings_take_no_part_in_equality_or_hash() -> None:
    lenient = AgencyCode.parse(" 000.00.00.H41", strict=False)
    strict = AgencyCode.parse("000.00.00.H41")
    assert lenient == strict
    assert hash(lenient) == hash(strict)
