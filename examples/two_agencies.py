"""Two agencies exchange a document through the national axis (its test server), end to end.

Agency A (a province) registers an outgoing document, signs the envelope and sends it; agency B
(a department) fetches it, verifies the signature (TOTAL_PASSED), registers it with an arrival
number and answers 01 → 03 → 04 → 06; A sees the status history; every step is in both
agencies' audit logs. Each agency keeps its own SQLite store. Exits 0 when all of that held.

Run: python examples/two_agencies.py
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

import egovkit
from egovkit.agencies import AgencyCode
from egovkit.documents import (
    AgencyRef,
    Competence,
    Direction,
    Document,
    DocumentType,
    Register,
    Registrar,
    Signer,
)
from egovkit.edxml import StatusCode
from egovkit.exchange import ExchangeService
from egovkit.exchange.service import INBOX, OUTBOX, STATUSES
from egovkit.ports import Store
from egovkit.testing.pki import FixturePKI
from egovkit_vdxp import SystemCredentials, VdxpClient, VdxpExchange
from egovkit_vdxp.testing import AxisTestServer

PROVINCE = AgencyCode.parse("000.00.00.H99")
DEPARTMENT = AgencyCode.parse("000.00.02.H99")
#: Each agency is its own connected system: its id is its code, its secret signs its requests.
SECRETS = {str(PROVINCE): "province-example-secret", str(DEPARTMENT): "department-example-secret"}


def agency(
    store: Store, code: AgencyCode, axis: AxisTestServer, pki: FixturePKI
) -> ExchangeService:
    client = VdxpClient(
        axis.url,
        agency=code,
        auth=SystemCredentials(system_id=str(code), secret=SECRETS[str(code)]),
        timeout=10.0,
    )
    return ExchangeService(
        store=store,
        exchange=VdxpExchange(client),
        incoming_register=Register(agency=code, direction=Direction.INCOMING),
        trust=pki.trust_store(),
        revocation=pki.revocation(),
        signer=pki.agency.signer(),
        actor=f"văn thư {code}",
    )


def draft() -> Document:
    return Document(
        direction=Direction.OUTGOING,
        type=DocumentType.get("official_letter"),
        issuer=AgencyRef(name="Ủy ban nhân dân tỉnh Thử Nghiệm", code=PROVINCE),
        place="Thử Nghiệm",
        issued_on=dt.date.today(),
        subject="V/v triển khai liên thông văn bản điện tử",
        content="Đề nghị Sở Nội vụ chủ trì, phối hợp triển khai.",
        signer=Signer(
            full_name="Nguyễn Văn An",
            position="Chủ tịch",
            competence=Competence.ON_BEHALF_OF_COLLECTIVE,
            on_behalf_of="Ủy ban nhân dân",
        ),
        recipients=[AgencyRef(name="Sở Nội vụ", code=DEPARTMENT)],
    )


def check(condition: bool, what: str) -> None:
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        sys.exit(1)


def main() -> None:
    pki = FixturePKI.create()
    with (
        tempfile.TemporaryDirectory() as folder,
        AxisTestServer() as axis,
        egovkit.open(f"sqlite:///{Path(folder) / 'province.db'}") as store_a,
        egovkit.open(f"sqlite:///{Path(folder) / 'department.db'}") as store_b,
    ):
        a = agency(store_a, PROVINCE, axis, pki)
        b = agency(store_b, DEPARTMENT, axis, pki)

        # A: number the document in its outgoing register (sổ văn bản đi), then send it.
        outgoing = Register(agency=PROVINCE, direction=Direction.OUTGOING)
        with store_a.transaction(actor="văn thư UBND tỉnh") as uow:
            entry = Registrar(uow.sequences).register_outgoing(
                outgoing, draft(), issuer_abbreviation="UBND", unit_or_field="VP"
            )
            uow.documents.add(entry.document)
            uow.register_entries.record(entry)
        sent = a.send(entry.document)
        print(f"A sent {sent.document_id} as {sent.message_id}")
        check(sent.state == "sent", "A: signed envelope sent through the axis")

        # B: fetch, verify, register, answer 01 and 03.
        [result] = b.receive()
        check(result.indication == "TOTAL_PASSED", "B: signature verified (TOTAL_PASSED)")
        check(
            result.outcome == "registered", f"B: registered, arrival number {result.arrival_number}"
        )
        for code in (StatusCode.ASSIGNED, StatusCode.COMPLETED):
            b.report_status(sent.document_id, code)

        # A: the status history.
        a.receive()
        history = [e.status for e in a.history(sent.document_id)]
        print(f"A sees the status history {' → '.join(history)}")
        check(history == ["01", "03", "04", "06"], "A: status history 01 → 03 → 04 → 06")

        # Both audit logs hold every step and verify.
        steps_a = {(e.collection, e.action) for e in store_a.audit.entries()}
        steps_b = {(e.collection, e.action) for e in store_b.audit.entries()}
        check(
            {("register_entries", "add"), (OUTBOX, "add"), (OUTBOX, "update"), (STATUSES, "add")}
            <= steps_a,
            "A's audit log: registered, queued, sent, statuses received",
        )
        check(
            {(INBOX, "add"), ("register_entries", "add"), (INBOX, "update"), (OUTBOX, "update")}
            <= steps_b,
            "B's audit log: arrived, registered, statuses sent",
        )
        heads = (store_a.audit.verify(), store_b.audit.verify())  # raise if tampered
        check(all(head.sequence > 0 for head in heads), "both audit chains verify")
        for service in (a, b):
            service.exchange.close()


if __name__ == "__main__":
    main()
