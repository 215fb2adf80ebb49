"""The DocumentExchange contract suite against the iOffice-like client and test server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from egovkit.agencies.codes import AgencyCode
from egovkit.exchange import DocumentExchange, RetryPolicy
from egovkit.testing.contracts.exchange import ExchangeContract, ExchangeFixtures
from egovkit_ioffice import BearerToken, IofficeClient, IofficeExchange
from egovkit_ioffice.testing import IofficeTestServer

TOKEN = "contract-token"


class IofficeFixtures(ExchangeFixtures):
    status_history = True
    deduplicates_sends = True

    @pytest.fixture(autouse=True)
    def _server(self) -> Iterator[None]:
        with IofficeTestServer(token=TOKEN) as server:
            self.server = server
            yield

    def connect(self, agency: AgencyCode) -> DocumentExchange:
        client = IofficeClient(
            self.server.url,
            agency=agency,
            auth=BearerToken(TOKEN),
            timeout=5.0,
            retry=RetryPolicy(sleep=lambda _s: None),
        )
        return IofficeExchange(client)


class TestIofficeExchange(ExchangeContract, IofficeFixtures):
    pass
