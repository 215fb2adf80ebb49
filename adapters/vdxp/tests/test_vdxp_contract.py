"""The DocumentExchange contract suite against the axis client and the axis test server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from egovkit.agencies.codes import AgencyCode
from egovkit.exchange import DocumentExchange, RetryPolicy
from egovkit.testing.contracts.exchange import ExchangeContract, ExchangeFixtures
from egovkit_vdxp import SystemCredentials, VdxpClient, VdxpExchange
from egovkit_vdxp.testing import AxisTestServer

CREDENTIALS = ("H99-QLVB", "contract-secret")


class AxisFixtures(ExchangeFixtures):
    @pytest.fixture(autouse=True)
    def _axis(self) -> Iterator[None]:
        with AxisTestServer(credentials=CREDENTIALS) as axis:
            self.axis = axis
            yield

    def connect(self, agency: AgencyCode) -> DocumentExchange:
        client = VdxpClient(
            self.axis.url,
            agency=agency,
            auth=SystemCredentials(system_id=CREDENTIALS[0], secret=CREDENTIALS[1]),
            timeout=5.0,
            retry=RetryPolicy(sleep=lambda _s: None),
        )
        return VdxpExchange(client)


class TestVdxpExchange(ExchangeContract, AxisFixtures):
    pass
