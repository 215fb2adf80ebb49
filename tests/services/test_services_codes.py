from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.errors import ParseError
from egovkit.services import CodeShape, ProcedureCode

from ._strategies import procedure_codes


@pytest.mark.parametrize(
    ("text", "shape", "stem"),
    [
        ("1.003560.000.00.00.H56", CodeShape.FULL, "1.003560"),
        ("2.000488.000.00.00.H56", CodeShape.FULL, "2.000488"),
        ("2.002621.H56", CodeShape.SHORT, "2.002621"),
        ("2.000477", CodeShape.STEM, "2.000477"),
    ],
)
def test_shapes_seen_in_the_national_database(text: str, shape: CodeShape, stem: str) -> None:
    code = ProcedureCode.parse(text)
    assert (code.shape, code.stem, str(code)) == (shape, stem, text)


@pytest.mark.parametrize(
    "text", ["", "2.00047", "2.0004777", "2.002621.h56", "2.002621.H5", " 2.000477", "x.000477"]
)
def test_other_text_is_refused(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        ProcedureCode.parse(text)
    assert caught.value.code == "services.procedure_code.syntax"


def test_non_text_is_refused() -> None:
    with pytest.raises(ParseError):
        ProcedureCode.parse(42)  # type: ignore[arg-type]


@given(procedure_codes())
def test_parse_reads_str_back(code: ProcedureCode) -> None:
    assert ProcedureCode.parse(str(code)) == code


@given(procedure_codes(), procedure_codes())
def test_same_procedure_is_the_stem(a: ProcedureCode, b: ProcedureCode) -> None:
    assert a.same_procedure(b) == (a.stem == b.stem)


@given(st.text(max_size=30))
def test_parse_never_crashes(text: str) -> None:
    try:
        code = ProcedureCode.parse(text)
    except ParseError as exc:
        error: ParseError | None = exc
    else:
        error = None
        assert str(code) == text
    assert error is None or error.where == "code"
