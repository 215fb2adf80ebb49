"""Chapter 2 — documents exchanged in process between two agencies of the province (liên thông văn
bản), signed and verified with the fixture PKI.

The province's People's Committee and its Department of Home Affairs each run
:class:`~egovkit.exchange.service.ExchangeService` on their own store, connected by an in-memory
axis (:class:`~egovkit.exchange.memory.MemoryAxis`). Outgoing documents are numbered, put in an
edXML envelope, signed and sent; received ones are verified before they are registered with an
arrival number, and answered with status messages. Two envelopes that must not be trusted — one
unsigned, one signed with a revoked certificate — are refused, and the log says why.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path

import attrs

from egovkit.agencies import AgencyCatalogue, AgencyCode
from egovkit.calendar import VIETNAM_TZ
from egovkit.demo.chapter import Chapter, Context
from egovkit.demo.files import fresh
from egovkit.demo.html import join, table, tag
from egovkit.demo.province import HOME_AFFAIRS, PLACE, PROVINCE, YEAR, chair, ref
from egovkit.documents import (
    Direction,
    Document,
    DocumentNumber,
    DocumentType,
    Register,
    Registrar,
    Signer,
)
from egovkit.edxml import StatusCode
from egovkit.exchange import ExchangeService, IncomingResult, MemoryAxis
from egovkit.ports import Store
from egovkit.signatures import KeyFileSigner, verify
from egovkit.storage import open_store
from egovkit.testing.pki import FixturePKI

#: When the exchange happens (the fixture PKI is built around it, so runs are reproducible).
START = dt.datetime(YEAR, 1, 12, 8, 0, tzinfo=VIETNAM_TZ)


@attrs.frozen(kw_only=True)
class _Agency:
    code: AgencyCode
    abbreviation: str
    service: ExchangeService


def _clock() -> Callable[[], dt.datetime]:
    """A clock that moves one minute each time it is read."""
    minutes = itertools.count()
    return lambda: START + dt.timedelta(minutes=next(minutes))


def department_store(out: Path, main_url: str) -> str:
    """The department's own store: in memory beside an in-memory province, else a fresh SQLite
    file ``department.db`` in the output folder."""
    if main_url.startswith("memory:"):
        return "memory://"
    database = (out / "department.db").resolve()
    fresh(database)
    return f"sqlite:///{database}"


def _service(
    store: Store,
    axis: MemoryAxis,
    code: AgencyCode,
    pki: FixturePKI,
    signer: KeyFileSigner | None,
    clock: Callable[[], dt.datetime],
) -> ExchangeService:
    return ExchangeService(
        store=store,
        exchange=axis.connect(code),
        incoming_register=Register(agency=code, direction=Direction.INCOMING),
        trust=pki.trust_store(),
        revocation=pki.revocation(),
        signer=signer,
        actor=f"văn thư {code}",
        clock=clock,
    )


def _drafts(agencies: AgencyCatalogue, sender: AgencyCode, to: AgencyCode) -> Iterator[Document]:
    """Documents one agency sends the other, the first weeks of January."""
    subjects = {
        PROVINCE: [
            "V/v triển khai liên thông văn bản điện tử bốn cấp",
            "V/v rà soát danh mục thủ tục hành chính cấp xã",
            "V/v chuẩn bị Hội nghị tổng kết chuyển đổi số",
        ],
        HOME_AFFAIRS: [
            "Báo cáo tình hình sử dụng chữ ký số chuyên dùng",
            "V/v đề nghị bổ sung biên chế cán bộ công nghệ thông tin",
        ],
    }[sender]
    signer = (
        chair() if sender == PROVINCE else Signer(full_name="Đinh Thị Hoa", position="Giám đốc")
    )
    for day, subject in enumerate(subjects, start=12):
        yield Document(
            direction=Direction.OUTGOING,
            type=DocumentType.get("official_letter"),
            issuer=ref(agencies, sender),
            place=PLACE,
            issued_on=dt.date(YEAR, 1, day),
            subject=subject,
            content="Đề nghị các cơ quan, đơn vị phối hợp thực hiện.",
            signer=signer,
            recipients=(ref(agencies, to),),
        )


def _send(agency: _Agency, document: Document) -> tuple[str, str]:
    """Number ``document`` in the agency's outgoing register, then send it; (DocumentId, number)."""
    store = agency.service.store
    register = Register(agency=agency.code, direction=Direction.OUTGOING)
    with store.transaction(actor=agency.service.actor) as uow:
        entry = Registrar(uow.sequences).register_outgoing(
            register, document, issuer_abbreviation=agency.abbreviation, unit_or_field="VP"
        )
        uow.documents.add(entry.document)
        uow.register_entries.record(entry)
    item = agency.service.send(entry.document)
    return item.document_id, str(entry.document.number)


def run(ctx: Context, *, main_url: str) -> Chapter:
    """Play the exchange between the province and its Department of Home Affairs."""
    pki = FixturePKI.create(now=START.astimezone(dt.UTC))
    axis = MemoryAxis(clock=_clock())
    clock = _clock()
    log: list[dict[str, object]] = []
    with ExitStack() as stack:
        other = stack.enter_context(open_store(department_store(ctx.out, main_url), actor="demo"))
        province = _Agency(
            code=PROVINCE,
            abbreviation="UBND",
            service=_service(ctx.store, axis, PROVINCE, pki, pki.agency.signer(), clock),
        )
        department = _Agency(
            code=HOME_AFFAIRS,
            abbreviation="SNV",
            service=_service(other, axis, HOME_AFFAIRS, pki, pki.agency.signer(), clock),
        )
        sent: list[tuple[_Agency, str, str, str]] = []
        for sender, receiver in ((province, department), (department, province)):
            for document in _drafts(ctx.agencies, sender.code, receiver.code):
                document_id, number = _send(sender, document)
                sent.append((sender, document_id, number, document.subject or ""))
        ctx.progress(f"exchange: {len(sent)} signed envelopes sent through the in-memory axis")
        # Two envelopes the province must not trust: unsigned, and signed with a revoked key.
        untrusted = [
            ("unsigned", None),
            ("revoked certificate", pki.revoked.signer()),
        ]
        rogues: dict[str, tuple[str, str]] = {}
        for (label, signer), serial in zip(untrusted, (90, 91), strict=True):
            rogue = _service(other, axis, HOME_AFFAIRS, pki, signer, clock)
            document = next(_drafts(ctx.agencies, HOME_AFFAIRS, PROVINCE))
            document = attrs.evolve(
                document,
                number=DocumentNumber(number=serial, notation="SNV-VP"),
                subject=f"Văn bản thử nghiệm ({label})",
            )
            item = rogue.send(document)
            rogues[item.document_id] = (str(document.number), document.subject or "")
        results = {
            PROVINCE: province.service.receive(),
            HOME_AFFAIRS: department.service.receive(),
        }
        for agency in (province, department):
            for result in results[agency.code]:
                if result.outcome == "registered":
                    for code in (StatusCode.ASSIGNED, StatusCode.COMPLETED):
                        agency.service.report_status(result.document_id, code)
        province.service.receive()
        department.service.receive()
        for sender, document_id, number, subject in sent:
            receiver = department if sender is province else province
            taken = next(r for r in results[receiver.code] if r.document_id == document_id)
            log.append(
                _line(sender.code, receiver.code, number, subject, taken)
                | {"statuses": [e.status for e in sender.service.history(document_id)]}
            )
        for result in results[PROVINCE]:
            if result.outcome == "refused":
                number, subject = rogues.get(result.document_id, ("—", ""))
                log.append(
                    _line(HOME_AFFAIRS, PROVINCE, number, subject, result) | {"statuses": []}
                )
        reports = {
            **_reports(province.service, pki, clock),
            **_reports(department.service, pki, clock),
        }
        for line in log:
            line["report"] = reports.get(str(line["document_id"]), "")
        heads = {
            str(a.code): a.service.store.audit.verify().sequence for a in (province, department)
        }
    return _chapter(log, heads)


def _reports(
    service: ExchangeService, pki: FixturePKI, clock: Callable[[], dt.datetime]
) -> dict[str, str]:
    """The validation report, for people, of every envelope ``service`` received, verified
    again from the stored bytes against the same trust and revocation answers."""
    return {
        str(record["document_id"]): verify(
            service.store.blobs.get(str(record["sha256"])),
            trust=pki.trust_store(),
            revocation=pki.revocation(),
            at=clock(),
        ).to_text()
        for record in service.inbox()
    }


def _line(
    sender: AgencyCode, receiver: AgencyCode, number: str, subject: str, result: IncomingResult
) -> dict[str, object]:
    return {
        "from": str(sender),
        "to": str(receiver),
        "number": number,
        "subject": subject,
        "document_id": result.document_id,
        "outcome": result.outcome,
        "indication": result.indication,
        "arrival_number": result.arrival_number,
        "reason": result.reason,
    }


def _meaning(code: str) -> str:
    found = StatusCode.from_wire(code)
    return found.meaning if found is not None else "—"


def _codes_seen(log: Sequence[dict[str, object]]) -> list[str]:
    """The status codes the log mentions (refusals answer with 02), in order."""
    seen = {str(code) for line in log for code in line["statuses"]}  # type: ignore[attr-defined]
    if any(line["outcome"] == "refused" for line in log):
        seen.add(StatusCode.REFUSED.wire)
    return sorted(seen)


def _chapter(log: Sequence[dict[str, object]], heads: dict[str, int]) -> Chapter:
    registered = [e for e in log if e["outcome"] == "registered"]
    verified = [e for e in log if e["indication"] == "TOTAL_PASSED"]
    refused = [e for e in log if e["outcome"] == "refused"]
    body = join(
        [
            tag(
                "p",
                f"{len(log)} envelopes crossed the in-memory axis: {len(verified)} signatures "
                f"verified (TOTAL_PASSED) and registered with an arrival number, "
                f"{len(refused)} refused before registration and answered with status 02.",
            ),
            table(
                [
                    "From",
                    "To",
                    "Number",
                    "Subject",
                    "Validation",
                    "Outcome",
                    "Arrival no.",
                    "Status history",
                    "Reason",
                ],
                [
                    (
                        e["from"],
                        e["to"],
                        e["number"],
                        e["subject"],
                        e["indication"] or "—",
                        e["outcome"],
                        e["arrival_number"] if e["arrival_number"] is not None else "—",
                        " → ".join(str(s) for s in e["statuses"]) or "—",  # type: ignore[attr-defined]
                        e["reason"] or "",
                    )
                    for e in log
                ],
            ),
            tag("h2", "Validation reports"),
            *[
                tag(
                    "details",
                    tag("summary", f"{e['number']}: {e['indication'] or '—'}"),
                    tag("pre", e["report"]),
                )
                for e in log
                if e.get("report")
            ],
            tag("h2", "Status codes in this log"),
            table(
                ["Code", "Meaning"],
                [(code, _meaning(code)) for code in _codes_seen(log)],
            ),
            tag(
                "p",
                "Both agencies' audit chains verify: "
                + ", ".join(f"{code}: {n} entries" for code, n in heads.items()),
            ),
        ]
    )
    return Chapter(
        slug="exchange",
        title="Documents exchanged between two agencies",
        summary=(
            f"{len(log)} envelopes exchanged; {len(verified)} verified and registered; "
            f"{len(refused)} refused"
        ),
        body=body,
        data={
            "exchanged": len(log),
            "verified": len(verified),
            "registered": len(registered),
            "refused": len(refused),
            "log": list(log),
            "audit_entries": heads,
        },
    )
