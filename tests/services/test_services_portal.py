from __future__ import annotations

import pytest

from egovkit.services import MemoryPortalGateway, PortalGateway, PortalRejectedError
from egovkit.services.contract import PortalGatewayContract, sample_dossier


class TestMemoryGateway(PortalGatewayContract):
    def make_gateway(self) -> PortalGateway:
        return MemoryPortalGateway()


def test_rejection_carries_the_portal_message() -> None:
    gateway = MemoryPortalGateway(reject=lambda d: "Mã TTHC không tồn tại")
    with pytest.raises(PortalRejectedError) as caught:
        gateway.push_dossier(sample_dossier())
    assert caught.value.portal_message == "Mã TTHC không tồn tại"
    assert not caught.value.retryable


def test_progress_of_an_unknown_dossier_is_refused() -> None:
    with pytest.raises(PortalRejectedError):
        MemoryPortalGateway().push_progress(sample_dossier())
