"""Worker of the dossier concurrency contract (top-level, so ``spawn`` can run it)."""

from __future__ import annotations

from datetime import datetime

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ, Duration
from egovkit.dossiers import Applicant, ApplicantKind, Channel, Procedure

#: The unit and the day every worker receives dossiers for.
UNIT = AgencyCode.parse("000.00.01.H99")
DAY = datetime(2026, 3, 2, 9, tzinfo=VIETNAM_TZ)
PROCEDURE = Procedure(
    code="1.001612.000.00.00.H99",
    name="Đăng ký khai sinh",
    processing_time=Duration.working_days(3),
)


def receive(url: str, count: int) -> list[str]:
    """Receive ``count`` dossiers at the desk of :data:`UNIT` on :data:`DAY`; their codes."""
    from egovkit.dossiers.persistence import DossierDesk
    from egovkit.storage import open_store

    with open_store(url) as store:
        desk = DossierDesk(store)
        return [
            desk.receive(
                procedure=PROCEDURE,
                applicant=Applicant(kind=ApplicantKind.CITIZEN, name=f"Công dân {n}"),
                channel=Channel.DIRECT,
                receiving_agency=UNIT,
                received_at=DAY,
                actor="tiếp nhận",
            ).key
            for n in range(count)
        ]
