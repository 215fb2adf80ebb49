from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.agencies import Agency, AgencyCatalogue, AgencyCode
from egovkit.errors import NotFoundError, ParseError, ValidationError
from egovkit.testing import strategies as egst

CSV = """code,name,parent,abbreviation,valid_from,valid_to
000.00.00.H53,UBND tỉnh Tây Ninh,,UBND,2008-01-01,
000.00.01.H53,Văn phòng UBND Tây Ninh,,VP,2008-01-01,
000.00.10.H53,UBND huyện Cũ,,UBND,2008-01-01,2025-07-01
000.00.10.H53,UBND xã Mới,,UBND,2025-07-01,
"""


def test_reads_csv_with_validity_periods() -> None:
    catalogue = AgencyCatalogue.read_csv(io.StringIO(CSV))
    assert len(catalogue) == 4
    assert catalogue.get("000.00.10.H53", on=dt.date(2020, 1, 1)).name == "UBND huyện Cũ"
    assert catalogue.get("000.00.10.H53", on=dt.date(2025, 7, 1)).name == "UBND xã Mới"
    assert catalogue.get("000.00.10.H53").name == "UBND xã Mới"  # latest by default
    assert "000.00.01.H53" in catalogue
    assert AgencyCode.parse("000.00.99.H53") not in catalogue


def test_children_and_ancestors_follow_the_code_structure() -> None:
    catalogue = AgencyCatalogue.read_csv(io.StringIO(CSV))
    children = catalogue.children("000.00.00.H53", on=dt.date(2026, 1, 1))
    assert [a.name for a in children] == ["Văn phòng UBND Tây Ninh", "UBND xã Mới"]
    assert [a.name for a in catalogue.ancestors("000.00.01.H53")] == ["UBND tỉnh Tây Ninh"]


def test_missing_agency_is_a_not_found_error() -> None:
    catalogue = AgencyCatalogue.read_csv(io.StringIO(CSV))
    with pytest.raises(NotFoundError):
        catalogue.get("000.00.00.H41")
    with pytest.raises(NotFoundError):
        catalogue.get("000.00.00.H53", on=dt.date(2000, 1, 1))


def test_every_bad_row_is_reported_at_once() -> None:
    bad = CSV + "28.22.H17,Legacy,,,,\n000.00.00.H54,,,,,\n000.00.00.H55,X,,,2020-13-01,\n"
    with pytest.raises(ValidationError) as caught:
        AgencyCatalogue.read_csv(io.StringIO(bad))
    wheres = [f.where for f in caught.value.findings]
    assert wheres == ["CSV record 5: agency_code", "CSV record 6: name", "CSV record 7: valid_from"]


def test_overlapping_periods_are_refused() -> None:
    code = AgencyCode.province("H41")
    with pytest.raises(ValidationError) as caught:
        AgencyCatalogue(
            [
                Agency(code=code, name="A", valid_from=dt.date(2020, 1, 1)),
                Agency(code=code, name="B", valid_from=dt.date(2024, 1, 1)),
            ]
        )
    assert caught.value.findings[0].code == "agency_catalogue.overlap"


def test_missing_columns_and_bad_json_are_parse_errors(tmp_path: Path) -> None:
    with pytest.raises(ParseError):
        AgencyCatalogue.read_csv(io.StringIO("name\nX\n"))
    path = tmp_path / "c.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ParseError):
        AgencyCatalogue.read_json(path)
    path.write_text('{"code": "000.00.00.H41"}', encoding="utf-8")
    with pytest.raises(ParseError):
        AgencyCatalogue.read_json(path)
    with pytest.raises(ParseError):
        AgencyCatalogue.read_json(tmp_path / "missing.json")


def test_json_field_of_wrong_type_is_reported() -> None:
    with pytest.raises(ValidationError) as caught:
        AgencyCatalogue.read_json(io.StringIO('[{"code": 41, "name": "X"}]'))
    assert caught.value.findings[0].where == "JSON record 1: code"


def test_agency_names_are_nfc_and_validity_must_be_ordered() -> None:
    agency = Agency(code=AgencyCode.province("H41"), name="  Nghe\u0323 An  ")
    assert agency.name == "Nghẹ An"
    with pytest.raises(ValidationError):
        Agency(
            code=AgencyCode.province("H41"),
            name="X",
            valid_from=dt.date(2025, 1, 1),
            valid_to=dt.date(2024, 1, 1),
        )


_agencies = st.builds(
    Agency,
    code=egst.agency_codes(),
    name=egst.vietnamese_text(),
    parent=st.one_of(st.none(), egst.agency_codes()),
    abbreviation=st.one_of(st.none(), st.sampled_from(["UBND", "SNV", "VP"])),
    valid_from=st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1))),
)


@given(st.lists(_agencies, max_size=8, unique_by=lambda a: a.code))
def test_csv_and_json_round_trip(agencies: list[Agency]) -> None:
    catalogue = AgencyCatalogue(agencies)
    assert AgencyCatalogue.read_csv(io.StringIO(catalogue.to_csv())) == catalogue
    assert AgencyCatalogue.read_json(io.StringIO(catalogue.to_json())) == catalogue
