"""Number outgoing documents in a register, keep secret ones apart, and refuse a broken one."""

from __future__ import annotations

import datetime as dt

import attrs

from egovkit.agencies import AgencyCode
from egovkit.documents import (
    AgencyRef,
    Direction,
    Document,
    DocumentType,
    Register,
    Registrar,
    Secrecy,
    Signer,
)
from egovkit.errors import ValidationError
from egovkit.storage import MemorySequenceAllocator

PROVINCE = AgencyCode.province("H99")


def main() -> None:
    registrar = Registrar(MemorySequenceAllocator())
    register = Register(agency=PROVINCE, direction=Direction.OUTGOING)
    template = Document(
        direction=Direction.OUTGOING,
        type=DocumentType.get("decision"),
        issuer=AgencyRef(name="Ủy ban nhân dân tỉnh Sông Lam", code=PROVINCE),
        place="Sông Lam",
        issued_on=dt.date(2026, 3, 2),
        subject="Về việc phê duyệt danh mục dịch vụ công trực tuyến",
        content="Điều 1. …",
        signer=Signer(full_name="Nguyễn Văn An", position="Chủ tịch"),
        recipients=[AgencyRef(name="Sở Nội vụ")],
    )
    for document in (
        template,
        attrs.evolve(template, type=DocumentType.get("plan"), secrecy=Secrecy.CONFIDENTIAL),
        attrs.evolve(template, type=DocumentType.get("official_letter")),
    ):
        unit = "VP" if document.type.abbreviation is None else None  # công văn: UBND-VP
        entry = registrar.register_outgoing(
            register, document, issuer_abbreviation="UBND", unit_or_field=unit
        )
        kind = "secret" if entry.secret else "ordinary"
        print(f"{entry.document.number}  ({kind} sequence, no. {entry.number})")
    try:
        registrar.register_outgoing(
            register, attrs.evolve(template, recipients=(), place=None), issuer_abbreviation="UBND"
        )
    except ValidationError as error:
        print("refused, no number taken:", ", ".join(f.where for f in error.findings))


if __name__ == "__main__":
    main()
