"""Small sample values the contracts store (a fictional province's decision and register)."""

from __future__ import annotations

import datetime as dt

from egovkit.agencies import AgencyCode
from egovkit.documents import (
    AgencyRef,
    Competence,
    Direction,
    Document,
    DocumentType,
    Register,
    Signer,
)

PROVINCE = AgencyCode.province("H99")


def outgoing_register() -> Register:
    """The outgoing register (sổ văn bản đi) of the fictional province H99."""
    return Register(agency=PROVINCE, direction=Direction.OUTGOING)


def outgoing_decision(day: int) -> Document:
    """A complete outgoing decision dated ``day`` January 2026, not yet numbered."""
    return Document(
        direction=Direction.OUTGOING,
        type=DocumentType.get("decision"),
        issuer=AgencyRef(name="Ủy ban nhân dân tỉnh Sông Lam", code=PROVINCE),
        place="Sông Lam",
        issued_on=dt.date(2026, 1, day),
        subject="Về việc ban hành Kế hoạch chuyển đổi số năm 2026",
        content="(nội dung)",
        signer=Signer(
            full_name="Nguyễn Văn An",
            position="Chủ tịch",
            competence=Competence.ON_BEHALF_OF_COLLECTIVE,
            on_behalf_of="Ủy ban nhân dân",
        ),
        recipients=(AgencyRef(name="Sở Nội vụ", code=AgencyCode.parse("000.00.01.H99")),),
    )


__all__ = ["PROVINCE", "outgoing_decision", "outgoing_register"]
