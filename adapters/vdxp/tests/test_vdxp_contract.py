"""The DocumentExchange contract suite against the axis client and the axis test server."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from egovkit.agencies.codes import AgencyCode
from egovkit.exchange import DocumentExchange, RetryPolicy
from egovkit.testing.contracts.exchange import ExchangeContract, ExchangeFixtures
from egovkit_vdxp import SystemCredentials, VdxpClient, VdxpExchange
from egovkit_vdxp.testing import AxisTestServer


class AxisFixtures(ExchangeFixtures):
    """Each agency is its own connected system, signing as the SDK does."""

    @pytest.fixture(autouse=True)
    def _axis(
        self,
        verifying_axis: Callable[[], AxisTestServer],
        credentials: Callable[[AgencyCode], SystemCredentials],
    ) -> Iterator[None]:
        self.credentials = credentials
        with verifying_axis() as axis:
            self.axis = axis
            yield

    def connect(self, agency: AgencyCode) -> DocumentExchange:
        client = VdxpClient(
            self.axis.url,
            auth=self.credentials(agency),
            timeout=5.0,
            retry=RetryPolicy(sleep=lambda _s: None),
        )
        return VdxpExchange(client)


class TestVdxpExchange(ExchangeContract, AxisFixtures):
    pass
