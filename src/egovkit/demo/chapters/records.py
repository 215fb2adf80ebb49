"""Chapter — records and archives (hồ sơ, nộp lưu): the year's register entries filed into
case files opened from the province office's file list, the files closed at the end of the
year, the notices of files falling due, a transfer package exported, verified and recorded in
the audit log, and what the archive refuses: a changed byte, a missing document, an early
disposal, a change to a transferred file."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

from egovkit.calendar import VIETNAM_TZ
from egovkit.demo.chapter import Chapter, Context
from egovkit.demo.html import Html, join, table, tag
from egovkit.demo.province import PROVINCE, YEAR
from egovkit.documents import Attachment, RegisterEntry, document_to_dict
from egovkit.errors import EgovkitError
from egovkit.ports import canonical_json
from egovkit.records import (
    PERMANENT,
    CaseFile,
    DisposalDecision,
    FileList,
    FileListEntry,
    Notice,
    Retention,
    StoredCaseFile,
    TransferRow,
    file_entry,
    notices_due,
    read_package,
    transfer_list,
)
from egovkit.storage.case_files import case_files, export_transfer

#: The office's file list (danh mục hồ sơ) of the year, as approved (version 1).
FILE_LIST = FileList(
    agency=PROVINCE,
    year=YEAR,
    approved_on=dt.date(YEAR, 1, 2),
    decision="01/QĐ-UBND",
    entries=[
        FileListEntry(
            notation="01.VP",
            title="Hồ sơ kế hoạch chuyển đổi số năm 2026",
            retention=Retention.of_years(10),
            heading="I. Văn phòng",
            unit="VP",
            creator="Nguyễn Thị Lan",
        ),
        FileListEntry(
            notation="02.VP",
            title="Tập báo cáo cải cách hành chính năm 2026",
            retention=PERMANENT,
            heading="I. Văn phòng",
            unit="VP",
            creator="Nguyễn Thị Lan",
        ),
        FileListEntry(
            notation="03.VP",
            title="Hồ sơ bảo đảm an toàn thông tin mạng",
            retention=Retention.of_years(20),
            heading="I. Văn phòng",
            unit="VP",
            creator="Trần Văn Minh",
        ),
        FileListEntry(
            notation="04.VP",
            title="Công văn trao đổi về công tác chung",
            retention=Retention.of_years(2),
            heading="I. Văn phòng",
            unit="VP",
            creator="Trần Văn Minh",
        ),
    ],
)
#: Where each register entry is filed, by its summary's first words; the decision goes into two
#: files (Appendix VI §III.4(e)).
_PLACES = {
    "Về việc ban hành": ("01.VP", "02.VP"),
    "V/v đôn đốc": ("04.VP",),
    "Kế hoạch bảo đảm": ("03.VP",),
    "Báo cáo kết quả": ("02.VP",),
    "Tờ trình về dự toán": ("01.VP",),
}
ARCHIVIST = "luu.tru.vp"
CLOSED_ON = dt.date(YEAR, 12, 31)
NOTICE_DAY = dt.date(YEAR + 1, 12, 5)
TRANSFER_DAY = dt.date(YEAR + 1, 12, 10)


def _content(entry: RegisterEntry) -> bytes:
    """The demo's stand-in for a signed PDF: the document as canonical JSON (an archive takes
    any format byte for byte; the package never rewrites it)."""
    return canonical_json(document_to_dict(entry.document)).encode("utf-8")


def _places(entry: RegisterEntry) -> tuple[str, ...]:
    subject = entry.document.subject or ""
    return next((files for start, files in _PLACES.items() if subject.startswith(start)), ())


def _refusal(work: Callable[[], object]) -> dict[str, str]:
    try:
        work()
    except EgovkitError as exc:
        return {"code": exc.code, "where": exc.where, "message": exc.message}
    raise AssertionError("the archive accepted what it must refuse")  # pragma: no cover


def run(ctx: Context, entries: Sequence[RegisterEntry]) -> Chapter:
    """File the year's register entries, close the files, export and verify the transfer."""
    db = ctx.store
    file_list = FILE_LIST.revise(
        add=[
            FileListEntry(
                notation="05.VP",
                title="Hồ sơ hội nghị tổng kết năm 2026",
                retention=Retention.of_years(10),
                heading="I. Văn phòng",
                unit="VP",
                creator="Nguyễn Thị Lan",
            )
        ]
    )
    repo = case_files(db)
    repo.save_file_list(FILE_LIST)
    repo.save_file_list(file_list)
    opened = {
        e.notation: CaseFile.open(file_list.code(e.notation), e, start_date=dt.date(YEAR, 1, 2))
        for e in file_list.entries
        if e.notation != "05.VP"
    }
    for entry in sorted(entries, key=lambda e: e.document.issued_on or e.registered_on):
        data = _content(entry)
        ref = db.blobs.put(data)
        attachment = Attachment(
            name=f"{entry.register.direction.value}-{entry.number:03d}.json",
            media_type="application/json",
            size=ref.size,
            sha256=ref.sha256,
        )
        for notation in _places(entry):
            opened[notation] = file_entry(
                opened[notation], entry, page_amount=2, attachments=[attachment]
            )
    stored = {n: repo.add(case) for n, case in opened.items()}
    ctx.progress(f"records: {sum(c.doc_total for c in opened.values())} documents filed")
    closed = {}
    for notation, item in stored.items():
        with db.transaction(actor=item.case_file.creator) as uow:
            closed[notation] = case_files(uow).update(
                item, item.case_file.close(end_date=CLOSED_ON)
            )
    all_closed = [s.case_file for s in closed.values()]
    notices = notices_due(all_closed, as_of=NOTICE_DAY)
    exportable = [s for s in closed.values() if not s.case_file.is_secret]
    due = {n.code for n in notices}
    chosen = [s for s in exportable if s.key in due]
    rows = transfer_list([s.case_file for s in chosen])
    out = ctx.out / f"records-transfer-{YEAR}.zip"
    package, moved = export_transfer(
        db,
        [s.key for s in chosen],
        out,
        actor=ARCHIVIST,
        on=TRANSFER_DAY,
        agency=str(PROVINCE),
        created_at=dt.datetime.combine(TRANSFER_DAY, dt.time(9), VIETNAM_TZ),
    )
    verified = read_package(out, expect_digest=package.digest)
    ctx.progress(f"records: transfer package of {len(moved)} files written and verified")
    refusals = _refusals(ctx, out, closed["04.VP"], moved[0])
    transfers = [e for e in db.audit.entries() if e.action == "records.transfer"]
    body = _body(file_list, all_closed, notices, rows, package.digest, refusals, len(transfers))
    return Chapter(
        slug="records",
        title="Records and archives",
        summary=(
            f"{sum(c.doc_total for c in all_closed)} documents filed in {len(all_closed)} case "
            f"files; {len(moved)} transferred in a verified package; "
            f"{len(refusals)} refusals shown"
        ),
        body=body,
        data={
            "file_list": file_list.to_dict(),
            "files": [
                {
                    "code": str(c.code),
                    "state": repo.get(str(c.code)).case_file.state.value,
                    "documents": c.doc_total,
                    "seal": c.seal,
                    "transfer_due": None if c.transfer_due() is None else str(c.transfer_due()),
                    "retention_end": None if c.retention_end() is None else str(c.retention_end()),
                }
                for c in all_closed
            ],
            "notices": [n.to_dict() for n in notices],
            "transfer_list": [r.to_dict() for r in rows],
            "package": {**verified.summary(), "file": out.name},
            "audit_transfer_entries": len(transfers),
            "refusals": refusals,
        },
    )


def _refusals(
    ctx: Context, out: Path, short: StoredCaseFile, moved: StoredCaseFile
) -> list[dict[str, str]]:
    """What the archive refuses, each with its error: tampered copies of the package, an early
    disposal of the short-lived file ``short``, a change to the transferred file ``moved``."""
    work = ctx.out / "records-tampered"
    work.mkdir(exist_ok=True)
    victim = next(iter(read_package(out).entries))
    changed = work / "changed-byte.zip"
    missing = work / "missing-document.zip"
    with zipfile.ZipFile(out) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    for target, drop in ((changed, False), (missing, True)):
        with zipfile.ZipFile(target, "w") as copy:
            for name, data in members:
                if name == victim.path:
                    if drop:
                        continue
                    data = bytes([data[0] ^ 1]) + data[1:]
                copy.writestr(name, data)
    repo = case_files(ctx.store)
    decision = DisposalDecision(
        number="99/QĐ-UBND",
        decided_by="Chủ tịch UBND tỉnh",
        decided_on=TRANSFER_DAY,
        files=[short.key],
    )
    found = [
        {"case": "a changed byte", **_refusal(lambda: read_package(changed))},
        {"case": "a missing document", **_refusal(lambda: read_package(missing))},
        {
            "case": "disposal before the end of retention",
            **_refusal(lambda: repo.dispose(short, decision, on=TRANSFER_DAY, actor=ARCHIVIST)),
        },
        {
            "case": "a change to a transferred file",
            **_refusal(
                lambda: repo.update(moved, attrs.evolve(moved.case_file, title="Đổi tiêu đề"))
            ),
        },
    ]
    shutil.rmtree(work)
    return found


def _body(
    file_list: FileList,
    files: Sequence[CaseFile],
    notices: Sequence[Notice],
    rows: Sequence[TransferRow],
    digest: str,
    refusals: Sequence[dict[str, str]],
    audited: int,
) -> Html:
    counts = file_list.counts()
    return join(
        [
            tag(
                "p",
                f"The office's file list (danh mục hồ sơ) {YEAR}, version {file_list.version}: "
                f"{counts['files']} files, {counts['permanent']} kept permanently. Each register "
                "entry is filed into its case file (hồ sơ công việc) and numbered there; the "
                "decision sits in two files without being copied.",
            ),
            tag("h2", "Case files, closed on 31 December"),
            table(
                ["File code", "Title", "Retention", "Documents", "Due at the archive", "Seal"],
                [
                    (
                        str(c.code),
                        c.title,
                        c.retention.label(),
                        c.doc_total,
                        str(c.transfer_due() or "not transferred (Art. 31(3)(c))"),
                        (c.seal or "")[:16] + "…",
                    )
                    for c in files
                ],
            ),
            tag("h2", f"Notices on {NOTICE_DAY:%d/%m/%Y} (Appendix VI §III.5(b))"),
            table(
                ["File", "Due", "Days left"],
                [(n.code, f"{n.due:%d/%m/%Y}", n.days_left) for n in notices],
            ),
            tag("h2", "Transfer list (mục lục hồ sơ, tài liệu nộp lưu)"),
            table(
                ["No.", "Notation", "Title", "Period", "Retention", "Pages"],
                [(r.ordinal, r.notation, r.title, r.period, r.retention, r.pages) for r in rows],
            ),
            tag(
                "p",
                f"Package digest {digest}; {audited} transfer entries in the audit log; the "
                "secret file stays out of the package (offline media only).",
            ),
            tag("h2", "What the archive refuses"),
            table(
                ["Case", "Code", "Where", "Message"],
                [(r["case"], r["code"], r["where"], r["message"]) for r in refusals],
            ),
        ]
    )


__all__ = ["FILE_LIST", "run"]
