from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from egovkit.calendar import Duration
from egovkit.errors import ParseError
from egovkit.services import (
    DECREE_42_2022,
    Capability,
    CompetentLevel,
    FeeItem,
    ProcedureCatalogue,
    classify,
)
from egovkit_dvcqg import DvcqgGateway, PortalClient, RetryPolicy, procedure_from_portal
from egovkit_dvcqg.testing import FakePortal, running_portal


@pytest.fixture
def portal() -> Iterator[FakePortal]:
    with running_portal() as fake:
        yield fake


LISTED: list[dict[str, Any]] = [
    {
        "MaTTHC": "1.001612.000.00.00.H99",
        "TenTTHC": "Đăng ký khai sinh",
        "TenLinhVuc": "Hộ tịch",
        "CapThucHien": "Cấp Xã",
        "MucDo": "4",
    },
    {
        "MaTTHC": "2.000488.000.00.00.H99",
        "TenTTHC": "Cấp giấy phép xây dựng",
        "TenLinhVuc": "Xây dựng",
        "CapThucHien": "Cấp Tỉnh",
        "MucDo": 3,
    },
]
DETAILS: dict[str, dict[str, Any]] = {
    "1.001612.000.00.00.H99": {"ThoiHanGiaiQuyet": "1", "PhiLePhi": [], "ThanhPhanHoSo": []},
    "2.000488.000.00.00.H99": {
        "ThoiHanGiaiQuyet": 15,
        "PhiLePhi": [{"TenPhiLePhi": "Lệ phí cấp phép", "Gia": "150000"}],
        "ThanhPhanHoSo": [{"TenThanhPhan": "Đơn đề nghị", "SoBanChinh": 1, "SoBanSao": 2}],
    },
}


def test_import_the_catalogue(portal: FakePortal) -> None:
    portal.procedures = LISTED
    portal.details = DETAILS
    client = PortalClient(portal.url, retry=RetryPolicy(attempts=1), timeout=2.0)
    gateway = DvcqgGateway(client, valid_from=date(2026, 1, 1))
    catalogue = ProcedureCatalogue(gateway.procedures())
    gateway.close()
    birth = catalogue.get("1.001612.000.00.00.H99", on=date(2026, 3, 1))
    permit = catalogue.get("2.000488.000.00.00.H99")
    assert birth.competent_level is CompetentLevel.COMMUNE
    assert birth.processing_time == Duration.working_days(1)
    assert classify(birth, scheme_id=DECREE_42_2022).muc_do == 4
    assert permit.fees == (FeeItem(name="Lệ phí cấp phép", amount=150_000),)
    assert permit.components[0].copies == 2
    assert classify(permit, scheme_id=DECREE_42_2022).muc_do == 3
    assert [r["service"] for r in portal.requests] == ["LayDanhSachTTHC", "LayThuTuc", "LayThuTuc"]


def test_muc_do_gives_the_fewest_capabilities() -> None:
    info = procedure_from_portal({**LISTED[0], "MucDo": "2"}, valid_from=date(2026, 1, 1))
    assert Capability.ONLINE_SUBMISSION not in info.capabilities
    assert classify(info, scheme_id=DECREE_42_2022).muc_do == 2


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"MaTTHC": "ABC"}, "data[0].MaTTHC"),
        ({"CapThucHien": "Cấp thôn"}, "data[0].CapThucHien"),
        ({"MucDo": "bốn"}, "data[0].MucDo"),
        ({"TenTTHC": None}, "data[0].TenTTHC"),
    ],
)
def test_bad_entries_name_the_key(change: dict[str, object], where: str) -> None:
    with pytest.raises(ParseError) as caught:
        procedure_from_portal({**LISTED[0], **change}, valid_from=date(2026, 1, 1), where="data[0]")
    assert caught.value.where == where
