"""The demo's small procedure catalogue (danh mục thủ tục hành chính) for the communes: one
description per procedure, seen two ways — as a one-stop
:class:`~egovkit.dossiers.procedures.Procedure` (processing time, steps) and as a catalogue
:class:`~egovkit.services.catalogue.Procedure` (what it offers online, its fee), so the dossier
and service-level chapters speak of the same procedures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from egovkit import dossiers, services
from egovkit.agencies import AgencyCode
from egovkit.calendar import Duration
from egovkit.demo.province import PROVINCE
from egovkit.services import Capability

C = Capability
_BASIC = frozenset({C.INFORMATION, C.DOWNLOADABLE_FORMS})


@attrs.frozen(kw_only=True)
class DemoProcedure:
    """One procedure of the catalogue: its code stem, name, time, fee and online capabilities."""

    stem: str
    name: str
    field: str
    processing_time: Duration
    fee: int
    capabilities: frozenset[Capability]
    weight: int  # how common its dossiers are, relative to the others

    @property
    def code(self) -> str:
        """The full procedure code (mã TTHC) as the province publishes it."""
        return f"{self.stem}.000.00.00.{PROVINCE.level1}"

    def for_dossiers(self) -> dossiers.Procedure:
        """The procedure as the one-stop desk uses it."""
        return dossiers.Procedure(
            code=self.code, name=self.name, processing_time=self.processing_time
        )

    def for_catalogue(self, communes: Sequence[AgencyCode]) -> services.Procedure:
        """The procedure as the service catalogue and the level rules see it."""
        return services.Procedure(
            code=services.ProcedureCode.parse(self.code),
            name=self.name,
            field=self.field,
            competent_level=services.CompetentLevel.COMMUNE,
            processing_time=self.processing_time,
            fees=[services.FeeItem(name="Lệ phí", amount=self.fee)] if self.fee else [],
            capabilities=self.capabilities,
            agencies=communes,
            valid_from=dt.date(2025, 7, 1),
        )


CATALOGUE: tuple[DemoProcedure, ...] = (
    DemoProcedure(
        stem="1.001193",
        name="Đăng ký khai sinh",
        field="Hộ tịch",
        processing_time=Duration.working_hours(8),
        fee=0,
        capabilities=_BASIC
        | {C.ONLINE_SUBMISSION, C.ONLINE_PROCESSING, C.ONLINE_RESULT, C.ONLINE_PAYMENT},
        weight=5,
    ),
    DemoProcedure(
        stem="1.000894",
        name="Đăng ký kết hôn",
        field="Hộ tịch",
        processing_time=Duration.working_days(5),
        fee=0,
        capabilities=_BASIC | {C.ONLINE_SUBMISSION},
        weight=2,
    ),
    DemoProcedure(
        stem="1.004873",
        name="Xác nhận tình trạng hôn nhân",
        field="Hộ tịch",
        processing_time=Duration.working_days(3),
        fee=0,
        capabilities=_BASIC | {C.ONLINE_SUBMISSION, C.ONLINE_PROCESSING, C.ONLINE_RESULT},
        weight=3,
    ),
    DemoProcedure(
        stem="2.000815",
        name="Chứng thực bản sao từ bản chính",
        field="Chứng thực",
        processing_time=Duration.working_days(2),
        fee=2_000,
        capabilities=_BASIC,
        weight=4,
    ),
    DemoProcedure(
        stem="1.009794",
        name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
        field="Xây dựng",
        processing_time=Duration.working_days(15),
        fee=75_000,
        capabilities=_BASIC | {C.ONLINE_SUBMISSION, C.ONLINE_PAYMENT, C.POSTAL_RESULT},
        weight=1,
    ),
)
