from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.errors import NotFoundError, ParseError, ValidationError
from egovkit.services import (
    Capability,
    CompetentLevel,
    FeeItem,
    Procedure,
    ProcedureCatalogue,
    ProcedureCode,
    read_catalogue_csv,
    write_catalogue_csv,
)

from ._strategies import procedures

CODE = ProcedureCode.parse("1.001612.000.00.00.H53")


def version(start: date, end: date | None, caps: set[Capability]) -> Procedure:
    return Procedure(
        code=CODE,
        name="Đăng ký khai sinh",
        competent_level=CompetentLevel.COMMUNE,
        capabilities=caps,
        valid_from=start,
        valid_to=end,
    )


def test_versions_by_date() -> None:
    old = version(date(2020, 1, 1), date(2024, 7, 1), {Capability.INFORMATION})
    new = version(date(2024, 7, 1), None, {Capability.INFORMATION, Capability.ONLINE_SUBMISSION})
    catalogue = ProcedureCatalogue([new, old])
    assert catalogue.find(CODE, on=date(2024, 6, 30)) == old
    assert catalogue.find(str(CODE), on=date(2024, 7, 1)) == new
    assert catalogue.find(CODE) == new
    assert catalogue.find(CODE, on=date(2019, 12, 31)) is None
    assert catalogue.on(date(2021, 1, 1)) == [old]
    assert list(catalogue) == [old, new]
    assert len(catalogue) == 2
    assert catalogue.by_stem("1.001612") == [new]
    with pytest.raises(NotFoundError):
        catalogue.get(CODE, on=date(2019, 1, 1))


def test_overlapping_versions_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        ProcedureCatalogue(
            [version(date(2020, 1, 1), None, set()), version(date(2024, 1, 1), None, set())]
        )
    assert caught.value.findings[0].code == "services.catalogue.overlap"


def test_a_version_ends_after_it_starts() -> None:
    with pytest.raises(ValidationError):
        version(date(2024, 1, 1), date(2024, 1, 1), set())


def test_negative_fee_is_refused() -> None:
    with pytest.raises(ValidationError):
        FeeItem(name="Lệ phí", amount=-1)


def test_has_fees_ignores_zero_fees() -> None:
    free = Procedure(
        code=CODE,
        name="x",
        competent_level=CompetentLevel.COMMUNE,
        fees=[FeeItem(name="Lệ phí", amount=0)],
        valid_from=date(2024, 1, 1),
    )
    assert not free.has_fees


@settings(max_examples=60)
@given(st.lists(procedures(), max_size=6, unique_by=lambda p: str(p.code)))
def test_csv_round_trip(items: list[Procedure]) -> None:
    catalogue = ProcedureCatalogue(items)
    assert read_catalogue_csv(io.StringIO(write_catalogue_csv(catalogue))) == catalogue


def test_csv_errors_name_line_and_column() -> None:
    text = (
        "code,name,competent_level,valid_from,capabilities,fees\n"
        "2.000477,A,commune,2024-01-01,information,\n"
        "2.00047,B,commune,2024-01-01,,\n"
        "2.000478,C,region,2024-01-01,,\n"
        "2.000479,D,commune,2024-13-01,,\n"
        "2.000480,E,commune,2024-01-01,teleport,\n"
        "2.000481,F,commune,2024-01-01,,Lệ phí=abc\n"
    )
    with pytest.raises(ValidationError) as caught:
        read_catalogue_csv(io.StringIO(text))
    wheres = [f.where for f in caught.value.findings]
    assert wheres == [
        "line 3: code",
        "line 4: competent_level",
        "line 5: valid_from",
        "line 6: capabilities",
        "line 7: fees",
    ]


def test_csv_needs_its_columns() -> None:
    with pytest.raises(ParseError):
        read_catalogue_csv(io.StringIO("code,name\n2.000477,A\n"))
