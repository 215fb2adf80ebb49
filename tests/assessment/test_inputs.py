"""Input files are hostile: limits, typed errors naming row and column, no NaN, no guessing."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.assessment import Measure, merge_units, parse_measure, read_units, read_units_csv
from egovkit.assessment.inputs import (
    UnitInput,
    read_units_json,
    units_from_records,
    units_to_csv,
    units_to_json,
)
from egovkit.errors import (
    ConflictError,
    NotFoundError,
    ParseError,
    UnsafeInputError,
    ValidationError,
)
from egovkit.text import clean


@pytest.mark.parametrize(
    ("text", "value", "denominator"),
    [
        ("0.95", "0.95", None),
        ("95%", "0.95", None),
        ("29,9%", "0.299", None),
        ("0,3 %", "0.003", None),
        ("5/20", "5", "20"),
        (" 10 / 13 ", "10", "13"),
        ("có", "1", None),
        ("Không", "0", None),
        ("yes", "1", None),
    ],
)
def test_cells(text: str, value: str, denominator: str | None) -> None:
    measure = parse_measure(text)
    assert measure == Measure(
        value=Decimal(value), denominator=None if denominator is None else Decimal(denominator)
    )


@pytest.mark.parametrize("text", ["", "  ", "-", "N/A", "na"])
def test_empty_cells_are_missing(text: str) -> None:
    assert parse_measure(text) is None


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("NaN", ParseError),
        ("Infinity", ParseError),
        ("-inf", ParseError),
        ("1,234.5", ParseError),
        ("1,2,3", ParseError),
        ("abc", ParseError),
        ("1e999999", UnsafeInputError),
        ("1" * 300, UnsafeInputError),
    ],
)
def test_bad_cells(text: str, error: type[ParseError | UnsafeInputError]) -> None:
    with pytest.raises(error):
        parse_measure(text, where="row 2.a")


measures = st.builds(
    Measure,
    value=st.decimals(min_value=-(10**9), max_value=10**9, places=4),
    denominator=st.none() | st.decimals(min_value=0, max_value=10**9, places=2),
)


@given(measures)
def test_measure_text_round_trip(measure: Measure) -> None:
    assert parse_measure(str(measure)) == measure


def test_csv_reader_attributes_fractions_and_pairs(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "\ufeffunit,level,a,b.numerator,b.denominator\n"
        "Xã Đông,commune,70%,3,262\n"
        "\n"
        "Huyện Tây,district,,10,13\n",
        encoding="utf-8",
    )
    got = read_units(path, attributes=["level"])
    assert [u.unit for u in got] == ["Xã Đông", "Huyện Tây"]
    assert got[0].attributes == {"level": "commune"}
    assert got[0].values["b"] == Measure(value=Decimal(3), denominator=Decimal(262))
    assert got[0].values["a"].value == Decimal("0.7")
    assert "a" not in got[1].values  # empty cell: missing, not zero


def test_unit_names_are_nfc() -> None:
    decomposed = "Đa\u0300 Na\u0306\u0303ng"
    got = read_units_csv(io.StringIO(f"unit,a\n{decomposed},1\n"))
    assert got[0].unit == "Đà Nẵng"


@pytest.mark.parametrize(
    ("text", "code", "where"),
    [
        ("", "assessment.input.empty", ""),
        ("name,a\nX,1\n", "assessment.input.unit", "header"),
        ("unit,a,a\nX,1,2\n", "assessment.input.header", "header"),
        ("unit,a\nX,1,2\n", "assessment.input.row", "row 2"),
        ("unit,a\nX,abc\n", "assessment.input.number", "row[0].a"),
        ('unit,a\n"X,1\n', "assessment.input.csv", "line 2"),
        ("unit,b.numerator\nX,1\n", "assessment.input.value", "row[0].b"),
    ],
)
def test_csv_errors_name_the_place(text: str, code: str, where: str) -> None:
    with pytest.raises(ParseError) as info:
        read_units_csv(io.StringIO(text))
    assert info.value.code == code
    assert info.value.where == where


def test_duplicate_units_are_refused() -> None:
    with pytest.raises(ValidationError) as info:
        read_units_csv(io.StringIO("unit,a\nX,1\nX,2\n"))
    assert info.value.code == "assessment.input.duplicate_unit"


def test_size_and_count_limits(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("unit,a\n" + "X,1\n" * 100, encoding="utf-8")
    with pytest.raises(UnsafeInputError):
        read_units_csv(path, max_bytes=100)
    with pytest.raises(UnsafeInputError):
        read_units_csv(io.StringIO("unit,a\nX,1\n" * 2), max_bytes=10)
    rows = "".join(f"U{i},1\n" for i in range(20))
    with pytest.raises(UnsafeInputError) as info:
        read_units_csv(io.StringIO("unit,a\n" + rows), max_units=10)
    assert info.value.code == "assessment.input.too_many_units"
    with pytest.raises(UnsafeInputError):
        read_units_csv(io.StringIO(",".join(["unit", *(f"c{i}" for i in range(3000))]) + "\n"))


def test_json_shapes() -> None:
    flat = read_units_json(io.StringIO('[{"unit": "A", "a": 0.5, "b": "3/4", "c": true}]'))
    nested = read_units_json(
        io.StringIO(
            '{"units": [{"unit": "A", "values": {"a": 0.5, "b": {"numerator": 3, '
            '"denominator": 4}, "c": 1}}]}'
        )
    )
    assert flat == nested
    assert flat[0].values["a"].value == Decimal("0.5")  # read as a decimal, not a float


@pytest.mark.parametrize(
    ("text", "error", "code"),
    [
        ('{"a": 1}', ParseError, "assessment.input.shape"),
        ('[{"unit": "A", "a": NaN}]', ParseError, "assessment.input.syntax"),
        ('[{"unit": "A", "a": [1]}]', ParseError, "assessment.input.value"),
        ('[{"a": 1}]', ParseError, "assessment.input.unit"),
        ('[{"unit": "A", "level": 3}]', ParseError, "assessment.input.attribute"),
        ("[" * 100_000 + "]" * 100_000, UnsafeInputError, "assessment.input.depth"),
    ],
)
def test_json_errors(text: str, error: type[ParseError | UnsafeInputError], code: str) -> None:
    with pytest.raises(error) as info:
        read_units_json(io.StringIO(text), attributes=["level"])
    assert info.value.code == code


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "in.xlsx"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(ParseError) as info:
        read_units(path)
    assert info.value.code == "assessment.input.format"


def test_json_file(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps([{"unit": "A", "a": 1}]), encoding="utf-8")
    assert read_units(path)[0].values["a"].value == 1


def test_merge_errors() -> None:
    people = units_from_records(
        [
            {"unit": "A", "level": "x", "a": 1},
            {"unit": "B", "level": "y", "a": 1},
            {"unit": "C", "a": 1},
        ],
        attributes=["level"],
    )
    with pytest.raises(NotFoundError):
        merge_units(people, {"N": ["A", "Z"]})
    with pytest.raises(ValidationError):
        merge_units(people, {"N": ["A", "B"]})  # different attributes
    with pytest.raises(ValidationError):
        merge_units(people, {"N": ["A"], "M": ["A"]})
    with pytest.raises(ConflictError):
        merge_units(people, {"C": ["A"]})


def test_merge_keeps_a_value_missing_when_a_predecessor_lacks_it() -> None:
    people = units_from_records([{"unit": "A", "a": 1, "b": 1}, {"unit": "B", "a": 0}])
    merged = merge_units(people, {"AB": ["A", "B"]})
    assert merged[0].values == {"a": Measure(value=Decimal("0.5"))}


def test_long_unit_names_and_wide_records_are_refused() -> None:
    with pytest.raises(UnsafeInputError) as info:
        units_from_records([{"unit": "X" * 1000, "a": 1}])
    assert info.value.where == "input[0].unit"
    with pytest.raises(UnsafeInputError):
        units_from_records([{"unit": "X", "values": {f"c{i}": 1 for i in range(3000)}}])


names = (
    st.text(st.characters(exclude_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1, max_size=12)
    .map(lambda t: t.strip())
    .filter(lambda t: t and t == clean(t))
)
ids = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda t: t not in ("unit", "level", "values", "attributes", "merged_from")
)
unit_inputs = st.lists(
    st.builds(
        UnitInput,
        unit=names,
        values=st.dictionaries(ids, measures, max_size=4),
        attributes=st.dictionaries(st.just("level"), names, max_size=1),
    ),
    max_size=5,
    unique_by=lambda u: u.unit,
)


@given(unit_inputs)
def test_units_json_round_trip(units: list[UnitInput]) -> None:
    merged = [attrs.evolve(u, merged_from=("A", "B")) for u in units[:1]] + units[1:]
    assert read_units_json(io.StringIO(units_to_json(merged)), attributes=["level"]) == merged


@given(unit_inputs)
def test_units_csv_round_trip(units: list[UnitInput]) -> None:
    assert read_units_csv(io.StringIO(units_to_csv(units)), attributes=["level"]) == units


def test_known_indicators_refuse_other_columns_before_reading_them() -> None:
    with pytest.raises(ValidationError) as info:
        read_units_csv(io.StringIO("unit,a,b.numerator,note\nX,1,2,free text\n"), indicators=["a"])
    assert [f.where for f in info.value.findings] == ["b.numerator", "note"]
    with pytest.raises(ValidationError) as info:
        read_units_json(io.StringIO('[{"unit": "X", "a": 1, "note": "x"}]'), indicators=["a"])
    assert info.value.findings[0].where == "units[0].note"
    got = read_units_csv(io.StringIO("unit,a.numerator,a.denominator\nX,1,2\n"), indicators=["a"])
    assert got[0].values["a"] == Measure(value=Decimal(1), denominator=Decimal(2))
