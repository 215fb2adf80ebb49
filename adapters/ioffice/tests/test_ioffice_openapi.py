"""The shipped OpenAPI file documents every request the client makes, and nothing is missing."""

from __future__ import annotations

import re

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
    """``{path: {methods}}`` read from the YAML (two-space paths, four-space methods)."""
    found: dict[str, set[str]] = {}
    path = ""
    for line in OPENAPI.read_text(encoding="utf-8").splitlines():
        if match := re.fullmatch(r"  (/\S*):", line):
            path = match.group(1)
            found[path] = set()
        elif (match := re.fullmatch(r"    (get|post|put|delete|patch):", line)) and path:
            found[path].add(match.group(1).upper())
        elif line and not line.startswith(" "):
            path = ""
    return found


def test_the_contract_is_openapi_3_and_lists_the_operations() -> None:
    text = OPENAPI.read_text(encoding="utf-8")
    assert text.startswith("openapi: 3.")
    assert documented() == {
        "/messages": {"GET", "POST"},
        "/messages/{id}": {"GET"},
        "/messages/{id}/confirm": {"POST"},
        "/history": {"GET"},
        "/documents": {"GET", "POST"},
        "/documents/{id}/processing": {"GET", "PUT"},
        "/documents/{id}/instruction": {"GET", "PUT"},
    }
    for schema in ("Document", "ProcessingUpdate", "Instruction", "MessageSummary"):
        assert f"    {schema}:\n" in text


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
