"""Shared values of the dossier tests: one calendar, two units, a builder of received dossiers."""

from __future__ import annotations

from datetime import datetime, time

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ, Duration, WorkCalendar
from egovkit.dossiers import (
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    DossierCode,
    Procedure,
    StepPlan,
)

CALENDAR = WorkCalendar()
UNIT = AgencyCode.parse("000.00.01.H53")
DEPARTMENT = AgencyCode.parse("000.00.00.H53")
CITIZEN = Applicant(kind=ApplicantKind.CITIZEN, name="Nguyễn Văn An")
SIMPLE = Procedure(
    code="1.001612.000.00.00.H53",
    name="Đăng ký khai sinh",
    processing_time=Duration.working_days(3),
)
INTER_AGENCY = Procedure(
    code="1.000001.000.00.00.H53",
    name="Cấp giấy phép xây dựng",
    processing_time=Duration.working_days(10),
    cutoff=time(15),
    steps=[
        StepPlan(name="Thẩm định", duration=Duration.working_days(6)),
        StepPlan(name="Ý kiến Sở", duration=Duration.working_days(3), agency=DEPARTMENT),
    ],
)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant in Vietnam."""
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM_TZ)


def received(
    when: datetime,
    *,
    procedure: Procedure = SIMPLE,
    number: int = 1,
    channel: Channel = Channel.DIRECT,
) -> Dossier:
    return Dossier.receive(
        code=DossierCode(agency=UNIT, day=when.date(), number=number),
        procedure=procedure,
        applicant=CITIZEN,
        channel=channel,
        receiving_agency=UNIT,
        received_at=when,
        actor="cb.tiepnhan",
        calendar=CALENDAR,
    )
