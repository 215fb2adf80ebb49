"""The demo's story, as library code (the CLI only prints its progress)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import attrs

from egovkit.agencies import AgencyCatalogue, AgencyCode
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
from egovkit.storage import open_store

PROVINCE = AgencyCode.province("H99")
YEAR = 2026

Progress = Callable[[str], None]


@attrs.frozen(kw_only=True)
class DemoResult:
    """What the demo produced: register entries, the refused document's findings, the files."""

    outgoing: tuple[RegisterEntry, ...]
    incoming: tuple[RegisterEntry, ...]
    refused: tuple[Finding, ...]
    files: tuple[Path, ...]


def _catalogue() -> AgencyCatalogue:
    source = resources.files("egovkit.demo").joinpath("agencies.csv")
    with source.open(encoding="utf-8") as handle:
        return AgencyCatalogue.read_csv(handle)


def _chair(competence: Competence | None = None) -> Signer:
    if competence is Competence.DEPUTY:
        return Signer(
            full_name="Trần Thị Bình",
            position="Phó Chủ tịch",
            competence=competence,
            on_behalf_of="Chủ tịch",
        )
    return Signer(
        full_name="Nguyễn Văn An",
        position="Chủ tịch",
        competence=Competence.ON_BEHALF_OF_COLLECTIVE,
        on_behalf_of="Ủy ban nhân dân",
    )


def _outgoing(catalogue: AgencyCatalogue) -> list[Document]:
    province = catalogue.get(PROVINCE)
    issuer = AgencyRef(name=province.name, code=province.code)
    communes = [
        AgencyRef(name=a.name, code=a.code)
        for a in catalogue.children(PROVINCE, on=dt.date(YEAR, 1, 1))
        if a.name.startswith("Ủy ban")
    ]
    departments = [
        AgencyRef(name=a.name, code=a.code)
        for a in catalogue.children(PROVINCE, on=dt.date(YEAR, 1, 1))
        if a.name.startswith("Sở")
    ]
    base = Document(
        direction=Direction.OUTGOING,
        type=DocumentType.get("decision"),
        issuer=issuer,
        place="Sông Lam",
        content="(nội dung)",
        signer=_chair(),
    )
    return [
        attrs.evolve(
            base,
            issued_on=dt.date(YEAR, 1, 5),
            subject="Về việc ban hành Kế hoạch chuyển đổi số năm 2026",
            recipients=(*departments, *communes),
        ),
        attrs.evolve(
            base,
            type=DocumentType.get("official_letter"),
            issued_on=dt.date(YEAR, 1, 6),
            subject="V/v đôn đốc đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia",
            recipients=tuple(communes),
            urgency=Urgency.URGENT,
            signer=_chair(Competence.DEPUTY),
            due_date=dt.date(YEAR, 1, 20),
        ),
        attrs.evolve(
            base,
            type=DocumentType.get("plan"),
            issued_on=dt.date(YEAR, 1, 7),
            subject="Kế hoạch bảo đảm an toàn thông tin mạng",
            recipients=tuple(departments),
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


def _incoming(catalogue: AgencyCatalogue) -> list[Document]:
    finance = catalogue.get("000.00.03.H99")
    return [
        Document(
            direction=Direction.INCOMING,
            type=DocumentType.get("submission"),
            issuer=AgencyRef(name=finance.name, code=finance.code),
            number=None,
            place="Sông Lam",
            issued_on=dt.date(YEAR, 1, 8),
            subject="Tờ trình về dự toán kinh phí chuyển đổi số",
            content="(nội dung)",
            signer=Signer(full_name="Lê Văn Cường", position="Giám đốc"),
            recipients=(AgencyRef(name="Ủy ban nhân dân tỉnh Sông Lam", code=PROVINCE),),
        )
    ]


def _default_store(out: Path) -> str:
    """A fresh SQLite store inside ``out`` (a previous demo's file is replaced)."""
    database = (out / "egov.db").resolve()
    for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        leftover.unlink(missing_ok=True)
    return f"sqlite:///{database}"


def run_demo(
    out: Path, *, store: str | None = None, progress: Progress = lambda _: None
) -> DemoResult:
    """Play the story and write ``summary.md``, ``summary.json`` and the registers into ``out``.

    Register entries, their numbers and the audit log go to the store at URL ``store``
    (default: a fresh SQLite file ``egov.db`` inside ``out``); each registration is one unit of
    work, so a refused document takes no number.
    """
    out.mkdir(parents=True, exist_ok=True)
    catalogue = _catalogue()
    progress(f"agency catalogue: {len(catalogue)} agency periods loaded")
    outgoing_register = Register(agency=PROVINCE, direction=Direction.OUTGOING)
    incoming_register = Register(agency=PROVINCE, direction=Direction.INCOMING)
    url = store or _default_store(out)

    with open_store(url, actor="demo") as db:
        outgoing = []
        for doc in _outgoing(catalogue):
            with db.transaction() as uow:
                entry = Registrar(uow.sequences).register_outgoing(
                    outgoing_register,
                    doc,
                    issuer_abbreviation="UBND",
                    unit_or_field="VP" if doc.type.abbreviation is None else None,
                )
                outgoing.append(uow.register_entries.record(entry))
        progress(f"outgoing register: {len(outgoing)} documents numbered")

        incoming = []
        for doc in _incoming(catalogue):
            numbered = attrs.evolve(doc, number=DocumentNumber(number=12, notation="TTr-STC"))
            with db.transaction() as uow:
                entry = Registrar(uow.sequences).register_incoming(
                    incoming_register, numbered, received_on=dt.date(YEAR, 1, 9)
                )
                incoming.append(uow.register_entries.record(entry))
        progress(f"incoming register: {len(incoming)} documents given arrival numbers")

        broken = Document(
            direction=Direction.OUTGOING,
            type=DocumentType.get("notice"),
            issuer=AgencyRef(name="Sở Nội vụ tỉnh Sông Lam"),
            issued_on=dt.date(YEAR, 2, 1),
            due_date=dt.date(YEAR, 1, 1),
        )
        try:
            with db.transaction() as uow:
                Registrar(uow.sequences).register_outgoing(
                    outgoing_register, broken, issuer_abbreviation="SNV"
                )
            refused: tuple[Finding, ...] = ()
        except ValidationError as exc:
            refused = exc.findings
        progress(f"a malformed notice was refused with {len(refused)} findings, and took no number")
        head = db.audit.verify()
        progress(f"store {db.scheme}: audit chain verified, {head.sequence} entries")

    files = (
        _write_registers(out, outgoing, incoming),
        _write_json(out, outgoing, incoming, refused),
        _write_markdown(out, outgoing, incoming, refused),
    )
    progress(f"wrote {', '.join(f.name for f in files)} to {out}")
    return DemoResult(
        outgoing=tuple(outgoing), incoming=tuple(incoming), refused=refused, files=files
    )


def _write_registers(
    out: Path, outgoing: list[RegisterEntry], incoming: list[RegisterEntry]
) -> Path:
    path = out / "registers.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "register",
                "sequence",
                "number",
                "number_and_notation",
                "date",
                "type",
                "subject",
                "from_or_signer",
                "to",
            ]
        )
        for entry in (*outgoing, *incoming):
            doc = entry.document
            writer.writerow(
                [
                    entry.register.direction.value,
                    "secret" if entry.secret else "ordinary",
                    entry.number,
                    str(doc.number),
                    entry.registered_on.isoformat(),
                    doc.type.name,
                    doc.subject,
                    doc.signer.full_name
                    if doc.signer and entry.register.direction is Direction.OUTGOING
                    else (doc.issuer.name if doc.issuer else ""),
                    "; ".join(r.name for r in doc.recipients),
                ]
            )
    return path


def _write_json(
    out: Path,
    outgoing: list[RegisterEntry],
    incoming: list[RegisterEntry],
    refused: tuple[Finding, ...],
) -> Path:
    path = out / "summary.json"
    data = {
        "province": str(PROVINCE),
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
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _write_markdown(
    out: Path,
    outgoing: list[RegisterEntry],
    incoming: list[RegisterEntry],
    refused: tuple[Finding, ...],
) -> Path:
    lines = [
        "# egovkit demo — Tỉnh Sông Lam (fictional)",
        "",
        f"## Outgoing register (sổ văn bản đi) {YEAR}",
        "",
        "| No. | Number and notation | Date | Type | Summary (trích yếu) | Marks |",
        "|---:|---|---|---|---|---|",
    ]
    for e in outgoing:
        d = e.document
        marks = ", ".join(m.label for m in (d.urgency, d.secrecy) if m is not None)
        lines.append(
            f"| {e.number} | {d.number} | {e.registered_on:%d/%m/%Y} | {d.type.name} | "
            f"{d.subject} | {marks or '—'} |"
        )
    lines += [
        "",
        "Secret documents (văn bản mật) are numbered in their own sequence.",
        "",
        f"## Incoming register (sổ văn bản đến) {YEAR}",
        "",
        "| Arrival no. | Received | From | Number and notation | Summary |",
        "|---:|---|---|---|---|",
    ]
    for e in incoming:
        d = e.document
        lines.append(
            f"| {e.number} | {e.registered_on:%d/%m/%Y} | "
            f"{d.issuer.name if d.issuer else '—'} | {d.number} | {d.subject} |"
        )
    lines += [
        "",
        "## A refused document",
        "",
        "The notice below was refused before it took a number, so the register has no gap:",
        "",
    ]
    lines += [f"- `{f.where}`: {f.message}" for f in refused]
    path = out / "summary.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
