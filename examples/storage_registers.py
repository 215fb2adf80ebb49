"""Number outgoing documents in an SQLite store: the register entry, its number and the audit
entry are committed together, and a failure gives the number back (registers stay gap-free)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

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
from egovkit.storage import open_store

PROVINCE = AgencyCode.province("H99")


def decision(day: int, subject: str) -> Document:
    return Document(
        direction=Direction.OUTGOING,
        type=DocumentType.get("decision"),
        issuer=AgencyRef(name="Ủy ban nhân dân tỉnh Sông Lam", code=PROVINCE),
        place="Sông Lam",
        issued_on=dt.date(2026, 1, day),
        subject=subject,
        content="(nội dung)",
        signer=Signer(
            full_name="Nguyễn Văn An",
            position="Chủ tịch",
            competence=Competence.ON_BEHALF_OF_COLLECTIVE,
            on_behalf_of="Ủy ban nhân dân",
        ),
        recipients=(AgencyRef(name="Sở Nội vụ", code=AgencyCode.parse("000.00.01.H99")),),
    )


def main() -> None:
    register = Register(agency=PROVINCE, direction=Direction.OUTGOING)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'egov.db'}"
        with open_store(url, actor="văn thư UBND tỉnh") as store:
            with store.transaction() as uow:
                entry = Registrar(uow.sequences).register_outgoing(
                    register, decision(5, "Về kế hoạch chuyển đổi số"), issuer_abbreviation="UBND"
                )
                uow.register_entries.record(entry)
            try:
                with store.transaction() as uow:
                    Registrar(uow.sequences).register_outgoing(
                        register, decision(6, "Bị hủy"), issuer_abbreviation="UBND"
                    )
                    raise RuntimeError("the signer withdrew the draft")
            except RuntimeError as error:
                print(f"rolled back ({error}): its number is given again")
            with store.transaction() as uow:
                entry = Registrar(uow.sequences).register_outgoing(
                    register, decision(7, "Về cải cách hành chính"), issuer_abbreviation="UBND"
                )
                uow.register_entries.record(entry)
            for line in store.register_entries.entries(register, 2026, secret=False):
                print(f"số {line.document.number}: {line.document.subject}")
            head = store.audit.verify()
            print(f"audit chain intact: {head.sequence} entries, head {head.hash[:16]}…")


if __name__ == "__main__":
    main()
