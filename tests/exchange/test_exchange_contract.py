"""The DocumentExchange contract suite against the in-memory exchange."""

from __future__ import annotations

import pytest

from egovkit.agencies.codes import AgencyCode
from egovkit.exchange import DocumentExchange, MemoryAxis
from egovkit.testing.contracts.exchange import ExchangeContract, ExchangeFixtures


class MemoryFixtures(ExchangeFixtures):
    status_history = True
    deduplicates_sends = True

    @pytest.fixture(autouse=True)
    def _axis(self) -> None:
        self.axis = MemoryAxis()

    def connect(self, agency: AgencyCode) -> DocumentExchange:
        return self.axis.connect(agency)


class TestMemoryExchange(ExchangeContract, MemoryFixtures):
    pass
