"""Two units behind one test gateway, each with its own OAuth2 client and unit key.

Fixtures, not imports: pytest loads this file by path, so the tests reach it through
``make_gateway``, ``connect`` and ``lgsp_secrets``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from egovkit.agencies.codes import AgencyCode
from egovkit.http import RetryPolicy
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER
from egovkit_lgsp import LgspClient
from egovkit_lgsp.testing import GatewayTestServer

CLIENTS = {"sender-app": "sender-client-s3cret", "recipient-app": "recipient-client-s3cret"}
UNIT_KEYS = {
    "unit-key-of-the-sender-0001": str(SENDER),
    "unit-key-of-the-recipient-02": str(RECIPIENT),
}

MakeGateway = Callable[..., GatewayTestServer]
Connect = Callable[..., LgspClient]


@pytest.fixture
def make_gateway() -> MakeGateway:
    """Makes test gateways (to use in ``with``) that know both units."""

    def make(**options: Any) -> GatewayTestServer:
        return GatewayTestServer(clients=CLIENTS, units=UNIT_KEYS, **options)

    return make


@pytest.fixture
def connect() -> Connect:
    """The client of an agency's unit on a gateway, with retries that do not wait."""

    def make(server: GatewayTestServer, agency: AgencyCode, **options: Any) -> LgspClient:
        app = "sender-app" if agency == SENDER else "recipient-app"
        key = next(k for k, code in UNIT_KEYS.items() if code == str(agency))
        settings: dict[str, Any] = {
            "client_id": app,
            "client_secret": CLIENTS[app],
            "unit_key": key,
            "timeout": 5.0,
            "retry": RetryPolicy(sleep=lambda _s: None),
            "dialect": server.dialect,
        }
        settings.update(options)
        return LgspClient(server.url, agency=agency, **settings)

    return make


@pytest.fixture
def lgsp_secrets() -> tuple[str, ...]:
    """Every secret the tests use, to scan what was printed."""
    return (*CLIENTS.values(), *UNIT_KEYS)
