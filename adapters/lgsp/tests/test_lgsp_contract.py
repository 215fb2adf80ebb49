"""The DocumentExchange contract suite against the LGSP client and the test gateway."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from egovkit.agencies.codes import AgencyCode
from egovkit.exchange import DocumentExchange
from egovkit.testing.contracts.exchange import ExchangeContract, ExchangeFixtures
from egovkit_lgsp import LgspClient, LgspExchange
from egovkit_lgsp.testing import GatewayTestServer


class GatewayFixtures(ExchangeFixtures):
    """Each agency is its own unit with its own OAuth2 client."""

    @pytest.fixture(autouse=True)
    def _gateway(
        self,
        make_gateway: Callable[..., GatewayTestServer],
        connect: Callable[..., LgspClient],
    ) -> Iterator[None]:
        self.make_client: Callable[[GatewayTestServer, AgencyCode], Any] = connect
        with make_gateway() as server:
            self.server = server
            yield

    def connect(self, agency: AgencyCode) -> DocumentExchange:
        return LgspExchange(self.make_client(self.server, agency))


class TestLgspExchange(ExchangeContract, GatewayFixtures):
    pass
