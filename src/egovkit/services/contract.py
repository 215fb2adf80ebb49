"""The contract every :class:`~egovkit.services.portal.PortalGateway` must keep, as a test
class to inherit (the fsspec way): ``class TestMine(PortalGatewayContract)`` with a
:meth:`~PortalGatewayContract.make_gateway` that returns a fresh gateway to a portal that
holds nothing yet.
"""

from __future__ import annotations

from datetime import datetime

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ, Duration, WorkCalendar
from egovkit.dossiers import (
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    DossierCode,
)
from egovkit.dossiers import Procedure as DeskProcedure
from egovkit.services.catalogue import Procedure
from egovkit.services.portal import PortalGateway, PushAction

_UNIT = AgencyCode.parse("000.00.01.H99")


def sample_dossier(number: int = 1) -> Dossier:
    """A dossier received on 13 February 2026 by the fictional unit ``000.00.01.H99``."""
    received = datetime(2026, 2, 13, 9, 0, tzinfo=VIETNAM_TZ)
    return Dossier.receive(
        code=DossierCode(agency=_UNIT, day=received.date(), number=number),
        procedure=DeskProcedure(
            code="1.001612.000.00.00.H99",
            name="Đăng ký khai sinh",
            processing_time=Duration.working_days(3),
        ),
        applicant=Applicant(kind=ApplicantKind.CITIZEN, name="Nguyễn Văn An"),
        channel=Channel.ONLINE,
        receiving_agency=_UNIT,
        received_at=received,
        actor="Một cửa",
        calendar=WorkCalendar(),
        summary="Đăng ký khai sinh cho con",
    )


class PortalGatewayContract:
    """Behaviour shared by every portal gateway."""

    def make_gateway(self) -> PortalGateway:
        """A gateway to an empty portal (override)."""
        raise NotImplementedError

    def test_first_push_creates(self) -> None:
        gateway = self.make_gateway()
        try:
            outcome = gateway.push_dossier(sample_dossier(1))
            assert outcome.action is PushAction.CREATED
            assert outcome.dossier == str(sample_dossier(1).code)
        finally:
            gateway.close()

    def test_second_push_updates(self) -> None:
        gateway = self.make_gateway()
        try:
            dossier = sample_dossier(2)
            gateway.push_dossier(dossier)
            later = dossier.start_processing(
                at=datetime(2026, 2, 13, 10, tzinfo=VIETNAM_TZ),
                actor="Chuyên viên",
                step="Thẩm định",
            )
            assert gateway.push_dossier(later).action is PushAction.UPDATED
        finally:
            gateway.close()

    def test_progress_of_a_pushed_dossier(self) -> None:
        gateway = self.make_gateway()
        try:
            dossier = sample_dossier(3).start_processing(
                at=datetime(2026, 2, 13, 10, tzinfo=VIETNAM_TZ),
                actor="Chuyên viên",
                step="Thẩm định",
            )
            gateway.push_dossier(dossier)
            assert gateway.push_progress(dossier) == len(dossier.steps)
        finally:
            gateway.close()

    def test_procedures_are_catalogue_versions(self) -> None:
        gateway = self.make_gateway()
        try:
            assert all(isinstance(p, Procedure) for p in gateway.procedures())
        finally:
            gateway.close()


__all__ = ["PortalGatewayContract", "sample_dossier"]
