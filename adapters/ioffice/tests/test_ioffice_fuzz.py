"""The iOffice test server fuzzed from the shipped OpenAPI file: every answer to every request
schemathesis generates from the contract (valid and invalid) must match the contract.

Two outside references: openapi-spec-validator checks the file against the OpenAPI 3.0
specification, and schemathesis turns it into requests and checks the answers (status codes,
content types, response schemas, no server errors).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename
from schemathesis.specs.openapi.checks import unsupported_method

from egovkit_ioffice import OPENAPI
from egovkit_ioffice.testing import IofficeTestServer

TOKEN = "fuzz-token"


def test_the_contract_is_valid_openapi_3() -> None:
    spec, _ = read_from_filename(str(OPENAPI))
    validate(spec)  # raises with the path of the first violation


@pytest.fixture(scope="module")
def server() -> Iterator[IofficeTestServer]:
    with IofficeTestServer(token=TOKEN) as running:
        yield running


schema = schemathesis.openapi.from_path(str(OPENAPI))
# The core's generic test HTTP server speaks GET, POST and PUT only (anything else is its own
# 501, outside this contract): undeclared methods are tried among those.
schema.config.phases.coverage.unexpected_methods = {"get", "post", "put"}


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_answer_matches_the_contract(
    case: schemathesis.Case[Any], server: IofficeTestServer
) -> None:
    case.call_and_validate(
        base_url=server.url,
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
        # An undeclared method on a declared path gets 404 there, not 405 with an Allow header.
        excluded_checks=[unsupported_method],
    )
