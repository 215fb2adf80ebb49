"""A received document handled in an iOffice-like system, with progress reported to the sender.

Both agencies use an iOffice-like document-management system through the egovkit REST contract
(here its test server). The department registers the document, pushes it into its system, where
a leader gives a direction (chủ trì / phối hợp, deadline) and the handling moves from assigned to
done; each change goes back to the province as an edXML status (04, 06).

Run: python examples/exchange_ioffice_handling.py
"""

from __future__ import annotations

import datetime as dt

import egovkit
from egovkit.agencies import AgencyCode
from egovkit.documents import AgencyRef, Direction, Register
from egovkit.exchange import ExchangeService
from egovkit.ports import Store
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER, sample_document
from egovkit.testing.pki import FixturePKI
from egovkit_ioffice import (
    BearerToken,
    Instruction,
    IofficeClient,
    IofficeExchange,
    ProcessingStatus,
    ProcessingUpdate,
)
from egovkit_ioffice.testing import IofficeTestServer

TOKEN = "example-token"  # noqa: S105 - the test server's token, not a real one


def service(store: Store, code: AgencyCode, url: str, pki: FixturePKI) -> ExchangeService:
    client = IofficeClient(url, agency=code, auth=BearerToken(TOKEN), timeout=10.0)
    return ExchangeService(
        store=store,
        exchange=IofficeExchange(client),
        incoming_register=Register(agency=code, direction=Direction.INCOMING),
        trust=pki.trust_store(),
        revocation=pki.revocation(),
        signer=pki.agency.signer(),
    )


def main() -> None:
    pki = FixturePKI.create()
    with (
        IofficeTestServer(token=TOKEN) as system,
        egovkit.open("memory://") as store_a,
        egovkit.open("memory://") as store_b,
    ):
        province = service(store_a, SENDER, system.url, pki)
        department = service(store_b, RECIPIENT, system.url, pki)
        sent = province.send(sample_document(42))
        [result] = department.receive()
        print(f"{result.document_id}: {result.outcome}, số đến {result.arrival_number}")

        exchange = department.exchange
        assert isinstance(exchange, IofficeExchange)
        dms = exchange.client
        stored = next(store_b.documents.all())
        remote = dms.push_document(stored.document, key=sent.document_id)
        dms.set_instruction(
            remote,
            Instruction(
                lead=AgencyRef(name="Phòng Công chức, viên chức"),
                cooperating=[AgencyRef(name="Văn phòng Sở")],
                deadline=dt.date(2026, 3, 20),
                comment="Chủ trì tham mưu văn bản trả lời",
                by="Giám đốc Sở",
            ),
        )
        print(f"direction: {dms.instruction(remote).lead.name} chủ trì")
        for status in (ProcessingStatus.ASSIGNED, ProcessingStatus.DONE):
            dms.set_processing(remote, ProcessingUpdate(status=status, by="Chuyên viên"))
            department.report_status(sent.document_id, status.status_code)

        province.receive()
        history = [entry.status for entry in province.history(sent.document_id)]
        print(f"the province sees {' → '.join(history)}")
        assert history == ["01", "03", "04", "06"]
        for agency in (province, department):
            agency.exchange.close()


if __name__ == "__main__":
    main()
