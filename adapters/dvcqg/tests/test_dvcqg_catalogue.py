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


#: ``LayDanhSachTTHC`` ``result`` entries: ``MATTHC``, ``TENTTHC`` (OpenCPS v2
#: ``DVCQGIntegrationActionImpl.java`` reads only these two of each entry).
LISTED: list[dict[str, Any]] = [
    {"MATTHC": "1.001612.000.00.00.H99", "TENTTHC": "Đăng ký khai sinh"},
    {"MATTHC": "2.000488.000.00.00.H99", "TENTTHC": "Cấp giấy phép xây dựng"},
]
#: ``LayThuTuc`` ``result[0]`` packets, written from the keys and types the sources read:
#: HuanVu201 ``Catalog/ThuTucApp/AddThuTucTypes.cs`` (every scalar a string: ``KENH``,
#: ``THOIGIANGIAIQUYET``, ``SOTIEN``…) and OpenCPS v2 (``LINHVUCTHUCHIEN[0].MALINHVUC``,
#: ``CACHTHUCTHUCHIEN[].KENH`` as an int, ``THOIGIAN[].THOIGIANGIAIQUYET`` with ``getInt``,
#: ``PHILEPHI[0].SOTIEN`` with ``getDouble``, ``THANHPHANHOSO[].GIAYTO[]{MAGIAYTO, TENGIAYTO,
#: TENMAUDON, URL}``). The second packet uses OpenCPS's numeric types, the first H's strings.
DETAILS: dict[str, dict[str, Any]] = {
    "1.001612.000.00.00.H99": {
        "MATTHC": "1.001612.000.00.00.H99",
        "TENTTHC": "Đăng ký khai sinh",
        "MACOQUANCONGBO": "G22",
        "LOAITTHC": "1",
        "TRANGTHAI": "1",
        "CAPTHUCHIEN": [{"CAPTHUCHIEN": "3", "TENCAP": "Cấp Xã"}],
        "LINHVUCTHUCHIEN": [{"MALINHVUC": "G22-HT", "TENLINHVUC": "Hộ tịch"}],
        "CACHTHUCTHUCHIEN": [
            {
                "KENH": "2",
                "THOIGIAN": [
                    {
                        "THOIGIANGIAIQUYET": "1",
                        "DONVITINH": "Ngày làm việc",
                        "MOTA": "",
                        "PHILEPHI": [
                            {"MAPHILEPHI": "LP", "SOTIEN": "0", "DONVI": "Đồng", "MOTA": "Miễn"}
                        ],
                    }
                ],
            },
            {
                "KENH": "1",
                "THOIGIAN": [
                    {"THOIGIANGIAIQUYET": "1", "DONVITINH": "Ngày làm việc", "PHILEPHI": []}
                ],
            },
        ],
        "THANHPHANHOSO": [
            {
                "TRUONGHOP": "",
                "GIAYTO": [
                    {
                        "MAGIAYTO": "GT01",
                        "TENGIAYTO": "Tờ khai đăng ký khai sinh",
                        "SOBANCHINH": "1",
                        "SOBANSAO": "0",
                        "TENMAUDON": "to-khai.docx",
                        "URL": "https://csdl.dichvucong.gov.vn/to-khai.docx",
                        "MA_KQ_THAYTHE": "",
                    }
                ],
            }
        ],
        "KETQUATHUCHIEN": [{"MAKETQUA": "KQ01", "TENKETQUA": "Giấy khai sinh"}],
    },
    "2.000488.000.00.00.H99": {
        "MATTHC": "2.000488.000.00.00.H99",
        "TENTTHC": "Cấp giấy phép xây dựng",
        "CAPTHUCHIEN": [{"CAPTHUCHIEN": "1", "TENCAP": "Cấp Tỉnh"}],
        "LINHVUCTHUCHIEN": [{"MALINHVUC": "G09-XD", "TENLINHVUC": "Xây dựng"}],
        "CACHTHUCTHUCHIEN": [
            {
                "KENH": 1,
                "THOIGIAN": [
                    {
                        "THOIGIANGIAIQUYET": 15,
                        "DONVITINH": "Ngày",
                        "MOTA": "",
                        "PHILEPHI": [
                            {
                                "MAPHILEPHI": "LP01",
                                "SOTIEN": 150000.0,
                                "DONVI": "Đồng",
                                "MOTA": "Lệ phí cấp phép",
                            }
                        ],
                    }
                ],
            }
        ],
        "THANHPHANHOSO": [
            {
                "TRUONGHOP": "Xây mới",
                "GIAYTO": [
                    {"MAGIAYTO": "GT02", "TENGIAYTO": "Đơn đề nghị", "SOBANCHINH": 1, "SOBANSAO": 2}
                ],
            }
        ],
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
    assert birth.field == "Hộ tịch"
    assert birth.processing_time == Duration.working_days(1)  # the direct channel (KENH 1)
    assert birth.fees == ()  # a 0 fee is no fee
    assert birth.components[0].name == "Tờ khai đăng ký khai sinh"
    assert {Capability.DOWNLOADABLE_FORMS, Capability.ONLINE_SUBMISSION} <= birth.capabilities
    assert permit.competent_level is CompetentLevel.PROVINCE
    assert permit.processing_time == Duration.calendar_days(15)
    assert permit.fees == (FeeItem(name="Lệ phí cấp phép", amount=150_000),)
    assert permit.components[0].copies == 2
    assert Capability.ONLINE_SUBMISSION not in permit.capabilities
    services = [r["service"] for r in portal.requests]
    assert services == ["LayDanhSachTTHC", "LayThuTuc", "LayThuTuc"]
    # maTTHC at the top level, as OpenCPS sends it (body.put("maTTHC", …)), no data list
    assert portal.requests[1] == {"service": "LayThuTuc", "maTTHC": "1.001612.000.00.00.H99"}


def test_a_local_muc_do_table_gives_the_level() -> None:
    """MucDo is a local attribute of a unit's procedures (HuanVu ``DonViThuTucs``), not a
    portal key: a table supplies it."""
    info = procedure_from_portal(
        LISTED[0],
        DETAILS[LISTED[0]["MATTHC"]],
        valid_from=date(2026, 1, 1),
        muc_do=lambda code: 4,
    )
    assert classify(info, scheme_id=DECREE_42_2022).muc_do == 4
    plain = procedure_from_portal(
        LISTED[1], DETAILS[LISTED[1]["MATTHC"]], valid_from=date(2026, 1, 1)
    )
    assert classify(plain, scheme_id=DECREE_42_2022).muc_do == 2


def _broken(**change: object) -> dict[str, Any]:
    return {**DETAILS["2.000488.000.00.00.H99"], **change}


@pytest.mark.parametrize(
    ("listed", "detail", "where"),
    [
        ({"MATTHC": "ABC", "TENTTHC": "x"}, _broken(), "result[0].MATTHC"),
        (LISTED[1], _broken(CAPTHUCHIEN=[{"TENCAP": "Cấp thôn"}]), "result[0].detail.CAPTHUCHIEN"),
        (LISTED[1], _broken(CAPTHUCHIEN="Cấp Tỉnh"), "result[0].detail.CAPTHUCHIEN"),
        (
            LISTED[1],
            _broken(THANHPHANHOSO=[{"GIAYTO": [{"TENGIAYTO": None}]}]),
            "result[0].detail.THANHPHANHOSO[0].GIAYTO[0].TENGIAYTO",
        ),
        ({"MATTHC": None}, None, "result[0].MATTHC"),
    ],
)
def test_bad_entries_name_the_key(listed: object, detail: object, where: str) -> None:
    with pytest.raises(ParseError) as caught:
        procedure_from_portal(listed, detail, valid_from=date(2026, 1, 1), where="result[0]")
    assert caught.value.where == where
