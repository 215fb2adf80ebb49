"""Chapter 1 — agencies and registers (sổ đăng ký văn bản): outgoing documents numbered in the
province's register (secret ones in their own sequence), an incoming one given an arrival number,
and a malformed notice refused before it takes a number."""

from __future__ import annotations

import datetime as dt

import attrs

from egovkit.agencies import AgencyCatalogue, AgencyCode
from egovkit.demo.chapter import Chapter, Context
from egovkit.demo.html import join, table, tag
from egovkit.demo.province import (
    FINANCE,
    FIRST_DAY,
    PLACE,
    PROVINCE,
    YEAR,
    chair,
    communes,
    departments,
    ref,
)
from egovkit.documents import (
    AgencyRef,
    Competence,
    Direction,
    Document,
    DocumentNumber,
    DocumentType,
    Register,
    RegisterEntry,
    Registrar,
    Secrecy,
    Signer,
    Urgency,
    document_to_dict,
    validate,
)
from egovkit.errors import ValidationError
from egovkit.findings import Finding

OUTGOING = Register(agency=PROVINCE, direction=Direction.OUTGOING)
INCOMING = Register(agency=PROVINCE, direction=Direction.INCOMING)


@attrs.frozen(kw_only=True)
class Registers:
    """The chapter's page and what the registers hold."""

    chapter: Chapter
    outgoing: tuple[RegisterEntry, ...]
    incoming: tuple[RegisterEntry, ...]
    refused: tuple[Finding, ...]


def outgoing_drafts(agencies: AgencyCatalogue) -> list[Document]:
    """The province's four outgoing documents of the first week of January."""
    to_departments = [ref(agencies, a.code) for a in departments(agencies)]
    to_communes = [ref(agencies, a.code) for a in communes(agencies)]
    base = Document(
        direction=Direction.OUTGOING,
        type=DocumentType.get("decision"),
        issuer=ref(agencies, PROVINCE),
        place=PLACE,
        content="(nội dung)",
        signer=chair(),
    )
    return [
        attrs.evolve(
            base,
            issued_on=dt.date(YEAR, 1, 5),
            subject="Về việc ban hành Kế hoạch chuyển đổi số năm 2026",
            recipients=(*to_departments, *to_communes),
        ),
        attrs.evolve(
            base,
            type=DocumentType.get("official_letter"),
            issued_on=dt.date(YEAR, 1, 6),
            subject="V/v đôn đốc đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia",
            recipients=tuple(to_communes),
            urgency=Urgency.URGENT,
            signer=chair(Competence.DEPUTY),
            due_date=dt.date(YEAR, 1, 20),
        ),
        attrs.evolve(
            base,
            type=DocumentType.get("plan"),
            issued_on=dt.date(YEAR, 1, 7),
            subject="Kế hoạch bảo đảm an toàn thông tin mạng",
            recipients=tuple(to_departments),
            secrecy=Secrecy.CONFIDENTIAL,
        ),
        attrs.evolve(
            base,
            type=DocumentType.get("report"),
            issued_on=dt.date(YEAR, 1, 9),
            subject="Báo cáo kết quả cải cách hành chính quý IV năm 2025",
            recipients=(
                AgencyRef(name="Văn phòng Chính phủ", code=AgencyCode.parse("000.00.00.G22")),
            ),
        ),
    ]


def incoming_paper(agencies: AgencyCatalogue) -> Document:
    """A submission from the Department of Finance that arrived on paper."""
    return Document(
        direction=Direction.INCOMING,
        type=DocumentType.get("submission"),
        issuer=ref(agencies, FINANCE),
        number=DocumentNumber(number=12, notation="TTr-STC"),
        place=PLACE,
        issued_on=dt.date(YEAR, 1, 8),
        subject="Tờ trình về dự toán kinh phí chuyển đổi số",
        content="(nội dung)",
        signer=Signer(full_name="Lê Văn Cường", position="Giám đốc"),
        recipients=(ref(agencies, PROVINCE),),
    )


def malformed_notice() -> Document:
    """A notice with no number, subject or signer, due before it was issued."""
    return Document(
        direction=Direction.OUTGOING,
        type=DocumentType.get("notice"),
        issuer=AgencyRef(name="Sở Nội vụ tỉnh Sông Lam"),
        issued_on=dt.date(YEAR, 2, 1),
        due_date=dt.date(YEAR, 1, 1),
    )


def run(ctx: Context) -> Registers:
    """Number the documents, each registration in its own unit of work."""
    agencies = ctx.agencies
    ctx.progress(f"agency catalogue: {len(agencies)} agency periods loaded")
    db = ctx.store
    outgoing = []
    for doc in outgoing_drafts(agencies):
        with db.transaction() as uow:
            entry = Registrar(uow.sequences).register_outgoing(
                OUTGOING,
                doc,
                issuer_abbreviation="UBND",
                unit_or_field="VP" if doc.type.abbreviation is None else None,
            )
            outgoing.append(uow.register_entries.record(entry))
    ctx.progress(f"outgoing register: {len(outgoing)} documents numbered")
    with db.transaction() as uow:
        entry = Registrar(uow.sequences).register_incoming(
            INCOMING, incoming_paper(agencies), received_on=dt.date(YEAR, 1, 9)
        )
        incoming = [uow.register_entries.record(entry)]
    ctx.progress(f"incoming register: {len(incoming)} documents given arrival numbers")
    refused: tuple[Finding, ...] = ()
    try:
        with db.transaction() as uow:
            Registrar(uow.sequences).register_outgoing(
                OUTGOING, malformed_notice(), issuer_abbreviation="SNV"
            )
    except ValidationError as exc:
        refused = exc.findings
    ctx.progress(f"a malformed notice was refused with {len(refused)} findings, and took no number")
    return Registers(
        chapter=_chapter(agencies, outgoing, incoming, refused),
        outgoing=tuple(outgoing),
        incoming=tuple(incoming),
        refused=refused,
    )


def _chapter(
    agencies: AgencyCatalogue,
    outgoing: list[RegisterEntry],
    incoming: list[RegisterEntry],
    refused: tuple[Finding, ...],
) -> Chapter:
    in_force = agencies.children(PROVINCE, on=FIRST_DAY)
    body = join(
        [
            tag("h2", f"Agencies in force on {FIRST_DAY:%d/%m/%Y}"),
            table(
                ["Code (mã định danh)", "Name", "Abbreviation"],
                [
                    (str(a.code), a.name, a.abbreviation or "")
                    for a in [agencies.get(PROVINCE), *in_force]
                ],
            ),
            tag("h2", "No longer in force"),
            table(
                ["Code", "Name", "Until"],
                [
                    (str(a.code), a.name, f"{a.valid_to:%d/%m/%Y}")
                    for a in agencies.children(PROVINCE)
                    if a.valid_to is not None and a.valid_to <= FIRST_DAY
                ],
            ),
            tag(
                "p",
                "Districts ended with the 2025 reform (chính quyền địa phương hai cấp); the "
                "catalogue keeps them, dated, so older documents still resolve.",
            ),
            tag("h2", f"Outgoing register (sổ văn bản đi) {YEAR}"),
            table(
                ["No.", "Number and notation", "Date", "Type", "Summary (trích yếu)", "Marks"],
                [
                    (
                        e.number,
                        str(e.document.number),
                        f"{e.registered_on:%d/%m/%Y}",
                        e.document.type.name,
                        e.document.subject,
                        ", ".join(
                            m.label
                            for m in (e.document.urgency, e.document.secrecy)
                            if m is not None
                        )
                        or "—",
                    )
                    for e in outgoing
                ],
            ),
            tag("p", "Secret documents (văn bản mật) are numbered in their own sequence."),
            tag("h2", f"Incoming register (sổ văn bản đến) {YEAR}"),
            table(
                ["Arrival no.", "Received", "From", "Number and notation", "Summary"],
                [
                    (
                        e.number,
                        f"{e.registered_on:%d/%m/%Y}",
                        e.document.issuer.name if e.document.issuer else "—",
                        str(e.document.number),
                        e.document.subject,
                    )
                    for e in incoming
                ],
            ),
            tag("h2", "A refused document"),
            tag(
                "p", "This notice was refused before it took a number, so the register has no gap:"
            ),
            table(["Where", "Code", "Message"], [(f.where, f.code, f.message) for f in refused]),
        ]
    )
    data = {
        "province": str(PROVINCE),
        "agencies": [
            {"code": str(a.code), "name": a.name, "abbreviation": a.abbreviation}
            for a in [agencies.get(PROVINCE), *in_force]
        ],
        "outgoing": [
            {"number": e.number, "secret": e.secret, "document": document_to_dict(e.document)}
            for e in outgoing
        ],
        "incoming": [
            {
                "arrival_number": e.number,
                "received_on": e.registered_on.isoformat(),
                "document": document_to_dict(e.document),
                "findings": [f.to_dict() for f in validate(e.document)],
            }
            for e in incoming
        ],
        "refused_findings": [f.to_dict() for f in refused],
    }
    return Chapter(
        slug="registers",
        title="Agencies and registers",
        summary=(
            f"{len(in_force) + 1} agencies; {len(outgoing)} outgoing and {len(incoming)} incoming "
            f"documents registered; one malformed notice refused with {len(refused)} findings"
        ),
        body=body,
        data=data,
    )
