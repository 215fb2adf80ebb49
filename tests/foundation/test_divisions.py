from __future__ import annotations

import datetime as dt

import pytest

from egovkit.agencies import (
    TWO_LEVEL_GOVERNMENT_FROM,
    AdministrativeDivision,
    DivisionCatalogue,
    DivisionLevel,
)
from egovkit.errors import NotFoundError, ValidationError

TODAY = dt.date(2026, 11, 21)


@pytest.fixture(scope="module")
def current() -> DivisionCatalogue:
    return DivisionCatalogue.current()


def test_thirty_four_provinces_since_the_reform(current: DivisionCatalogue) -> None:
    provinces = current.provinces(on=TODAY)
    assert len(provinces) == 34
    assert all(p.valid_from == TWO_LEVEL_GOVERNMENT_FROM for p in provinces)
    assert current.get(DivisionLevel.PROVINCE, "1", on=TODAY).name == "Thành phố Hà Nội"


def test_communes_belong_to_provinces(current: DivisionCatalogue) -> None:
    hanoi = current.get(DivisionLevel.PROVINCE, "01", on=TODAY)
    communes = current.children(hanoi, on=TODAY)
    assert communes
    assert all(c.level is DivisionLevel.COMMUNE and c.parent_code == "01" for c in communes)
    total = sum(len(current.children(p, on=TODAY)) for p in current.provinces(on=TODAY))
    assert total == 3321


def test_before_the_reform_nothing_current_applies(current: DivisionCatalogue) -> None:
    assert current.provinces(on=dt.date(2024, 1, 1)) == []
    with pytest.raises(NotFoundError):
        current.get(DivisionLevel.PROVINCE, "01", on=dt.date(2025, 6, 30))


def test_historical_districts_can_be_added_for_old_records(current: DivisionCatalogue) -> None:
    old_province = AdministrativeDivision(
        code="42",
        name="Tỉnh Hà Tĩnh",
        level=DivisionLevel.PROVINCE,
        valid_to=TWO_LEVEL_GOVERNMENT_FROM,
    )
    district = AdministrativeDivision(
        code="436",
        name="Huyện Hương Sơn",
        level=DivisionLevel.DISTRICT,
        parent_code="42",
        valid_to=TWO_LEVEL_GOVERNMENT_FROM,
    )
    catalogue = current.with_units([old_province, district])
    on_2020 = dt.date(2020, 5, 1)
    assert catalogue.get(DivisionLevel.DISTRICT, "436", on=on_2020).name == "Huyện Hương Sơn"
    assert catalogue.children(old_province, on=on_2020) == [district]
    assert catalogue.find(DivisionLevel.DISTRICT, "436", on=TODAY) is None


def test_search_ignores_diacritics_and_case(current: DivisionCatalogue) -> None:
    found = current.search("nghe an", on=TODAY)
    assert [u.name for u in found if u.level is DivisionLevel.PROVINCE] == ["Nghệ An"]


def test_divisions_validate_their_shape() -> None:
    with pytest.raises(ValidationError):
        AdministrativeDivision(code="X1", name="Bad", level=DivisionLevel.PROVINCE)
    with pytest.raises(ValidationError):
        AdministrativeDivision(code="00070", name="Orphan", level=DivisionLevel.COMMUNE)
