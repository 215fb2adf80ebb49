from __future__ import annotations

import pytest
from hypothesis import given

from egovkit.documents import DocumentNumber, DocumentType, notation_for
from egovkit.errors import ParseError, ValidationError
from egovkit.testing import strategies as egst


def test_the_examples_of_the_issue() -> None:
    number = DocumentNumber.parse("15/QĐ-BNV")
    assert number.number == 15
    assert number.notation == "QĐ-BNV"
    assert str(DocumentNumber(number=5, notation="BNV-VP")) == "05/BNV-VP"


def test_leading_zero_is_optional_on_input_and_always_written() -> None:
    assert DocumentNumber.parse("5/BNV-VP") == DocumentNumber.parse("05/BNV-VP")
    assert str(DocumentNumber.parse("5/BNV-VP")) == "05/BNV-VP"
    assert str(DocumentNumber(number=123, notation="UBND-VX")) == "123/UBND-VX"


def test_normative_documents_keep_their_year() -> None:
    number = DocumentNumber.parse("30/2020/NĐ-CP")
    assert (number.number, number.year, number.notation) == (30, 2020, "NĐ-CP")
    assert str(number) == "30/2020/NĐ-CP"


def test_notation_parts_and_type() -> None:
    number = DocumentNumber.parse("12/TTr-SNV")
    assert number.notation_parts == ("TTr", "SNV")
    assert number.type_abbreviation == "TTr"
    assert DocumentNumber.parse("12/UBND-VX").type_abbreviation is None


@given(egst.document_numbers())
def test_parse_of_str_gives_the_number_back(number: DocumentNumber) -> None:
    assert DocumentNumber.parse(str(number)) == number


@given(egst.invalid_document_number_texts())
def test_invalid_texts_raise_parse_errors(text: str) -> None:
    with pytest.raises(ParseError):
        DocumentNumber.parse(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("74fass22", "document_number.syntax"),
        ("15/QĐ BNV", "document_number.notation"),
        ("0/QĐ-BNV", "document_number.range"),
        ("15/QĐ-", "document_number.notation"),
        ("15/" + "A" * 31, "document_number.notation"),
        ("", "document_number.syntax"),
    ],
)
def test_real_world_garbage_names_the_rule(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        DocumentNumber.parse(text)
    assert caught.value.code == code


def test_constructor_checks_values() -> None:
    with pytest.raises(ValidationError):
        DocumentNumber(number=0, notation="QĐ-X")
    with pytest.raises(ValidationError):
        DocumentNumber(number=True, notation="QĐ-X")
    with pytest.raises(ValidationError):
        DocumentNumber(number=1, notation="QĐ-X", year=20)


def test_notation_builder_follows_appendix_one() -> None:
    assert notation_for(DocumentType.get("decision"), "UBND") == "QĐ-UBND"
    assert notation_for(DocumentType.get("official_letter"), "UBND", "VX") == "UBND-VX"
    assert notation_for(DocumentType.get("regulation"), "BNV") == "QyĐ-BNV"
    with pytest.raises(ValidationError):
        notation_for(DocumentType.get("decision"), "UB ND")
    with pytest.raises(ValidationError) as caught:
        notation_for(DocumentType.get("decision"), "UBND", "VP")
    assert caught.value.code == "document_number.unit_not_allowed"
