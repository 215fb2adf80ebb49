"""The shipped OpenAPI file documents every request the client makes, and nothing is missing."""

from __future__ import annotations

import re

import yaml

from egovkit.documents import AgencyRef
from egovkit.exchange import MessageKind, RetryPolicy
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER, sample_document, sample_envelope
from egovkit_ioffice import (
    OPENAPI,
    BearerToken,
    Instruction,
    IofficeClient,
    IofficeExchange,
    ProcessingStatus,
    ProcessingUpdate,
)
from egovkit_ioffice.testing import IofficeTestServer


def documented() -> dict[str, set[str]]:
    """``{path: {methods}}`` of the contract, read as YAML."""
    paths = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))["paths"]
    return {
        path: {m.upper() for m in item if m in ("get", "post", "put", "delete", "patch")}
        for path, item in paths.items()
    }


def test_the_contract_is_openapi_3_and_lists_the_operations() -> None:
    text = OPENAPI.read_text(encoding="utf-8")
    assert yaml.safe_load(text)["openapi"].startswith("3.")
    assert documented() == {
        "/messages": {"GET", "POST"},
        "/messages/{id}": {"GET"},
        "/messages/{id}/confirm": {"POST"},
        "/history": {"GET"},
        "/documents": {"GET", "POST"},
        "/documents/{id}/processing": {"GET", "PUT"},
        "/documents/{id}/instruction": {"GET", "PUT"},
    }
    schemas = yaml.safe_load(text)["components"]["schemas"]
    assert {"Document", "ProcessingUpdate", "Instruction", "MessageSummary"} <= set(schemas)


def test_every_request_the_client_makes_is_documented() -> None:
    with IofficeTestServer(token="t") as server:

        def client(agency: object) -> IofficeClient:
            return IofficeClient(
                server.url,
                agency=SENDER if agency == SENDER else RECIPIENT,
                auth=BearerToken("t"),
                retry=RetryPolicy(sleep=lambda _s: None),
            )

        with IofficeExchange(client(SENDER)) as a, IofficeExchange(client(RECIPIENT)) as b:
            document_id, data = sample_envelope()
            a.send(data, kind=MessageKind.EDOC, to=[RECIPIENT], document_id=document_id)
            [delivery] = b.received()
            b.fetch(delivery.message_id)
            b.confirm(delivery.message_id)
            b.history(document_id)
            remote = b.client.push_document(sample_document(), key="k")
            b.client.documents()
            b.client.set_processing(remote, ProcessingUpdate(status=ProcessingStatus.ASSIGNED))
            b.client.processing(remote)
            b.client.set_instruction(remote, Instruction(lead=AgencyRef(name="Phòng Nội vụ")))
            b.client.instruction(remote)
        calls = list(server.calls)
    contract = documented()
    seen = set()
    for call in calls:
        template = re.sub(r"^/(messages|documents)/[^/]+", r"/\1/{id}", call.path)
        assert template in contract, call.path
        assert call.method in contract[template], (call.method, call.path)
        seen.add((template, call.method))
    assert seen == {(path, method) for path, methods in contract.items() for method in methods}
