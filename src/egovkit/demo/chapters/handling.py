"""Chapter — handling documents as the province office does (quản lý văn bản và điều hành):
incoming documents are distributed, directed, assigned to a unit in charge with cooperating
units, and processed on time or late; the work queues, the overdue list, the on-time rates and
the share of documents sent and received electronically are read from the store; and one
outgoing document is signed through a remote signing service that answers later (ký số từ xa),
held in the store until its signature comes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from egovkit.calendar import VIETNAM_TZ, WorkCalendar
from egovkit.demo.chapter import Chapter, Context
from egovkit.demo.html import join, table, tag
from egovkit.demo.province import PLACE, PROVINCE, YEAR, chair, ref
from egovkit.documents import Direction, Document, DocumentNumber, DocumentType
from egovkit.edxml.mapping import envelope_from_document
from egovkit.edxml.signing import EDXML_PROFILE
from egovkit.edxml.writer import write
from egovkit.handling import (
    Action,
    Assignment,
    Case,
    Desk,
    Event,
    Flow,
    HandlingStore,
    IllegalMoveError,
    Level,
    Recipient,
    Role,
    State,
)
from egovkit.handling.search import SearchQuery
from egovkit.signatures.deferred import (
    DeferredSigner,
    PreparedDocument,
    finish_xml,
    prepare_xml,
)
from egovkit.signatures.holding import SignatureHold
from egovkit.signatures.validation import verify_document
from egovkit.testing.pki import FixturePKI
from egovkit.testing.remote import LocalRemoteSigner

#: When the office reads its figures.
AS_OF = dt.datetime(YEAR, 3, 20, 10, 0, tzinfo=VIETNAM_TZ)
OFFICE = str(PROVINCE)
HOME, FINANCE, JUSTICE = "Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp"


def _at(month: int, day: int, hour: int = 8, minute: int = 0) -> dt.datetime:
    return dt.datetime(YEAR, month, day, hour, minute, tzinfo=VIETNAM_TZ)


def _incoming() -> Iterator[tuple[Case, list[Any]]]:
    """Each received document with what happens to it: (case, steps). A step is an
    :class:`Event`, or ``("direct", at, text, working_days)``, or ``("assign", at, [...])``."""
    lead_home = Assignment(unit=HOME, person="Lê Văn Hùng", role=Role.IN_CHARGE)
    help_finance = Assignment(unit=FINANCE, role=Role.COOPERATING)
    lead_justice = Assignment(unit=JUSTICE, person="Phạm Thị Hường", role=Role.IN_CHARGE)
    info_home = Assignment(unit=HOME, role=Role.INFORMATION)
    documents = [
        ("den-001", "Văn phòng Chính phủ", "", "120/VPCP-KSTT", Level.PROVINCE, True,
         "Về việc đẩy mạnh gửi, nhận văn bản điện tử", _at(2, 2),
         [("direct", _at(2, 2, 10), "Giao Sở Nội vụ chủ trì, Sở Tài chính phối hợp", 5),
          ("assign", _at(2, 2, 11), [lead_home, help_finance]),
          Event(action=Action.NOTE, at=_at(2, 5, 9), actor="Lê Văn Hùng", text="Đã dự thảo"),
          Event(action=Action.COMPLETE, at=_at(2, 6, 15), actor="Lê Văn Hùng",
                document="45/SNV-VP")]),
        ("den-002", "Bộ Nội vụ", "KH", "15/KH-BNV", Level.PROVINCE, True,
         "Kế hoạch cải cách hành chính năm 2026", _at(2, 9),
         [Event(action=Action.DISTRIBUTE, at=_at(2, 9, 9), actor="Văn thư",
                recipients=(Recipient(unit="Lãnh đạo UBND tỉnh"),)),
          ("assign", _at(2, 9, 14), [lead_home, help_finance]),
          Event(action=Action.COMPLETE, at=_at(3, 3, 16), actor="Lê Văn Hùng",
                document="60/SNV-CCHC")]),
        ("den-003", "Bộ Tư pháp", "", "88/BTP-PBGDPL", Level.PROVINCE, False,
         "Về việc tổ chức Ngày Pháp luật", _at(3, 9),
         [("direct", _at(3, 9, 9), "Giao Sở Tư pháp chủ trì, báo cáo trước ngày 13/3", 3),
          ("assign", _at(3, 9, 10), [lead_justice, info_home]),
          Event(action=Action.NOTE, at=_at(3, 12, 9), actor="Phạm Thị Hường",
                text="Đang tổng hợp")]),
        ("den-004", "UBND tỉnh", "", "301/UBND-VX", Level.COMMUNE, True,
         "Về việc rà soát hộ nghèo năm 2026", _at(3, 16),
         [Event(action=Action.DISTRIBUTE, at=_at(3, 16, 9), actor="Văn thư",
                recipients=(Recipient(unit="UBND xã Đông Hòa", person="Trần Văn Dũng"),)),
          ("assign", _at(3, 16, 10),
           [Assignment(unit="UBND xã Đông Hòa", person="Trần Văn Dũng", role=Role.IN_CHARGE)])]),
        ("den-005", "UBND tỉnh", "", "302/UBND-KT", Level.DISTRICT, False,
         "Về việc sửa chữa đường giao thông nông thôn", _at(1, 12),
         [Event(action=Action.DISTRIBUTE, at=_at(1, 12, 9), actor="Văn thư",
                recipients=(Recipient(unit="Phòng Kinh tế"),)),
          ("assign", _at(1, 12, 10),
           [Assignment(unit="Phòng Kinh tế", person="Đỗ Văn Nam", role=Role.IN_CHARGE)]),
          Event(action=Action.COMPLETE, at=_at(1, 20, 10), actor="Đỗ Văn Nam")]),
    ]  # fmt: skip
    for key, issuer, kind, number, level, electronic, subject, received, steps in documents:
        case = Case(
            key=key,
            flow=Flow.INCOMING,
            office=OFFICE,
            level=level,
            opened_at=received,
            opened_by="Văn thư",
            subject=subject,
            document_type=kind,
            number=number,
            issuer=issuer,
            electronic=electronic,
        )
        yield case, steps


def _apply(book: HandlingStore, desk: Desk, case: Case, steps: list[Any]) -> Case:
    for step in steps:
        if isinstance(step, Event):
            event = step
        elif step[0] == "direct":
            _, at, text, days = step
            event = desk.direct(case, actor="Chủ tịch", at=at, text=text, working_days=days)
        else:
            _, at, assignments = step
            event = desk.assign(case, actor="Phó Chủ tịch", at=at, assignments=assignments)
        case = book.step(case.key, event)
    return case


def _outgoing(ctx: Context, book: HandlingStore, pki: FixturePKI) -> dict[str, Any]:
    """One document drafted, reviewed, signed remotely, numbered and issued."""
    case = book.open(
        Case(
            key="di-001",
            flow=Flow.OUTGOING,
            office=OFFICE,
            level=Level.PROVINCE,
            opened_at=_at(3, 17, 8),
            opened_by="Lê Văn Hùng",
            document_type="",
            subject="V/v báo cáo kết quả gửi, nhận văn bản điện tử quý I",
        )
    )
    book.step(
        case.key,
        Event(action=Action.SUBMIT_FOR_REVIEW, at=_at(3, 17, 9), actor="Lê Văn Hùng"),
        Event(action=Action.SUBMIT_FOR_SIGNING, at=_at(3, 17, 14), actor="Chánh Văn phòng"),
    )
    document = Document(
        direction=Direction.OUTGOING,
        type=DocumentType.get("official_letter"),
        issuer=ref(ctx.agencies, PROVINCE),
        number=DocumentNumber(number=45, notation="UBND-VP", year=YEAR),
        place=PLACE,
        issued_on=AS_OF.date(),
        subject=case.subject,
        content="Ủy ban nhân dân tỉnh báo cáo kết quả gửi, nhận văn bản điện tử quý I.",
        signer=chair(),
        recipients=(ref(ctx.agencies, PROVINCE),),
    )
    envelope = write(envelope_from_document(document, sent_at=AS_OF))
    service = LocalRemoteSigner(pki.agency, confirm_on=2)  # the chair confirms on the phone
    released: list[bytes] = []

    def finish(prepared: PreparedDocument, signer: DeferredSigner, value: bytes) -> bytes:
        return finish_xml(prepared, signer, value, profile=EDXML_PROFILE)

    hold = SignatureHold(
        ctx.store, service, {"xml": finish}, on_signed=lambda _key, data: released.append(data)
    )
    held = hold.hold(
        case.key,
        prepare_xml(envelope, service, profile=EDXML_PROFILE),
        description="Công văn 45/UBND-VP",
    )
    states = [held.state.value]
    for _ in range(5):  # a worker asking every few seconds
        held = hold.resume(case.key)
        states.append(held.state.value)
        if not held.waiting:
            break
    report = verify_document(
        released[0],
        profile=EDXML_PROFILE,
        trust=pki.trust_store(),
        revocation=pki.revocation(),
        at=AS_OF,
        now=AS_OF,
    )
    book.step(
        case.key,
        Event(action=Action.SIGN, at=_at(3, 18, 9), actor="Nguyễn Văn An"),
        Event(action=Action.NUMBER, at=_at(3, 18, 9, 5), actor="Văn thư", document="45/UBND-VP"),
        Event(action=Action.ISSUE, at=_at(3, 18, 9, 10), actor="Văn thư"),
    )
    # a commune's paper letter, for the share by level
    paper = book.open(
        Case(
            key="di-002",
            flow=Flow.OUTGOING,
            office="UBND xã Đông Hòa",
            level=Level.COMMUNE,
            opened_at=_at(3, 2),
            opened_by="Văn thư xã",
            electronic=False,
            subject="Báo cáo tình hình an ninh trật tự",
        )
    )
    book.step(
        paper.key,
        *(
            Event(action=a, at=_at(3, 3, 8 + i), actor="Chủ tịch xã", document=d)
            for i, (a, d) in enumerate(
                (
                    (Action.SUBMIT_FOR_REVIEW, ""),
                    (Action.SUBMIT_FOR_SIGNING, ""),
                    (Action.SIGN, ""),
                    (Action.NUMBER, "12/UBND"),
                    (Action.ISSUE, ""),
                )
            )
        ),
    )
    return {
        "hold_states": states,
        "signatures_made": service.signed,
        "indication": report.indication.value,
        "released": len(released),
    }


def run(ctx: Context) -> Chapter:
    """Direct, assign and process the incoming documents; sign and issue an outgoing one."""
    book = HandlingStore(ctx.store)
    desk = Desk(WorkCalendar())
    pki = FixturePKI.create(now=AS_OF.astimezone(dt.UTC))
    for case, steps in _incoming():
        _apply(book, desk, book.open(case), steps)
    signing = _outgoing(ctx, book, pki)
    queries = book.queries
    start, end = _at(1, 1, 0), _at(4, 1, 0)
    queue = queries.work_queue(unit=HOME)
    overdue = queries.overdue(AS_OF)
    soon = queries.due_soon(AS_OF, AS_OF + dt.timedelta(days=5))
    rates = queries.on_time_rates(start, end)
    shares = queries.electronic_share(start, end)
    found = book.search.search(SearchQuery(text="van ban dien tu"))
    illegal = ""
    try:
        book.step("den-001", Event(action=Action.SIGN, at=AS_OF, actor="Văn thư"))
    except IllegalMoveError as error:  # shown on the page as the refusal it is
        illegal = str(error)
    cases = list(book.all())
    done = [c for c in cases if c.state is State.COMPLETED]
    ctx.progress(
        f"handling: {len(cases)} cases, {len(done)} completed, {len(overdue)} overdue tasks; "
        f"remote signature {signing['indication']}"
    )

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.0%}"

    body = join(
        [
            tag("p", f"The province office's documents as of {AS_OF:%d/%m/%Y %H:%M}."),
            table(
                ["Case", "Number", "Subject", "State", "Due", "On time"],
                [
                    (
                        c.key,
                        c.number or "—",
                        c.subject,
                        c.state.value,
                        f"{c.due:%d/%m %H:%M}" if c.due else "—",
                        {True: "yes", False: "no", None: "—"}[c.on_time],
                    )
                    for c in cases
                ],
            ),
            tag("h2", f"Work queue of {HOME}"),
            table(
                ["Case", "Role", "Person", "Due"],
                [
                    (
                        t.case,
                        t.role.value,
                        t.person or "—",
                        f"{t.due:%d/%m %H:%M}" if t.due else "—",
                    )
                    for t in queue
                ],
            ),
            tag("h2", "Overdue and due within 5 days"),
            table(
                ["Case", "Unit", "Role", "Due", "List"],
                [
                    (t.case, t.unit, t.role.value, f"{t.due:%d/%m %H:%M}" if t.due else "—", kind)
                    for kind, tasks in (("overdue", overdue), ("due soon", soon))
                    for t in tasks
                ],
            ),
            tag("h2", "On time by unit in charge, first quarter"),
            table(
                ["Unit", "Completed", "On time", "Rate"],
                [(r.unit, r.completed, r.on_time, pct(r.rate)) for r in rates],
            ),
            tag("h2", "Sent and received electronically, by level"),
            table(
                ["Level", "Received", "Electronically", "Sent", "Electronically"],
                [
                    (s.level.value, s.received, pct(s.received_share), s.sent, pct(s.sent_share))
                    for s in shares
                ],
            ),
            tag("h2", "An outgoing document signed remotely"),
            tag(
                "p",
                "Held in the store while the chair confirms on the phone: "
                + " → ".join(signing["hold_states"])
                + f"; the envelope's signature: {signing['indication']}.",
            ),
            tag("p", f"An illegal step is refused: {illegal}"),
        ]
    )
    return Chapter(
        slug="handling",
        title="Handling documents",
        summary=(
            f"{len(cases)} documents handled; {len(done)} completed, {len(overdue)} tasks overdue; "
            f"one signed remotely ({signing['indication']})"
        ),
        body=body,
        data={
            "as_of": AS_OF.isoformat(),
            "cases": [{"key": c.key, "state": c.state.value, "on_time": c.on_time} for c in cases],
            "queue": [t.case for t in queue],
            "overdue": [{"case": t.case, "unit": t.unit, "role": t.role.value} for t in overdue],
            "due_soon": [{"case": t.case, "unit": t.unit} for t in soon],
            "on_time": [
                {"unit": r.unit, "completed": r.completed, "on_time": r.on_time} for r in rates
            ],
            "electronic": [
                {
                    "level": s.level.value,
                    "received": s.received,
                    "received_electronic": s.received_electronic,
                    "sent": s.sent,
                    "sent_electronic": s.sent_electronic,
                }
                for s in shares
            ],
            "search_van_ban_dien_tu": found,
            "remote_signing": signing,
            "illegal_step_refused": bool(illegal),
        },
    )
