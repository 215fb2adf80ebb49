"""A year of records in an SQLite store: documents numbered in the register and filed into
case files opened from the file list (danh mục hồ sơ), the files closed, the notices of files
falling due, and the transfer package (nộp lưu) written, verified and recorded in the audit
log — then a copy with one changed byte refused, naming the document."""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from pathlib import Path

from egovkit.agencies import AgencyCode
from egovkit.documents import (
    AgencyRef,
    Attachment,
    Direction,
    Document,
    DocumentType,
    Register,
    Registrar,
    Signer,
)
from egovkit.ports import IntegrityError
from egovkit.records import (
    CaseFile,
    FileList,
    FileListEntry,
    Retention,
    file_entry,
    notices_due,
    read_package,
    transfer_list,
)
from egovkit.storage import open_store
from egovkit.storage.case_files import case_files, export_transfer

PROVINCE = AgencyCode.province("H99")
OUTGOING = Register(agency=PROVINCE, direction=Direction.OUTGOING)
PLAN = FileList(
    agency=PROVINCE,
    year=2026,
    approved_on=dt.date(2026, 1, 2),
    decision="01/QĐ-UBND",
    entries=[
        FileListEntry(
            notation="01.VP",
            title="Hồ sơ chuyển đổi số năm 2026",
            retention=Retention.of_years(10),
            unit="VP",
            creator="Nguyễn Thị Lan",
        )
    ],
)


def decision(day: int, subject: str, pdf: Attachment) -> Document:
    return Document(
        direction=Direction.OUTGOING,
        type=DocumentType.get("decision"),
        issuer=AgencyRef(name="Ủy ban nhân dân tỉnh Sông Lam", code=PROVINCE),
        place="Sông Lam",
        issued_on=dt.date(2026, 3, day),
        subject=subject,
        content="(nội dung)",
        signer=Signer(full_name="Nguyễn Văn An", position="Chủ tịch"),
        recipients=(AgencyRef(name="Sở Nội vụ"),),
        attachments=(pdf,),
    )


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="egovkit-records-"))
    with open_store(f"sqlite:///{work / 'egov.db'}", actor="van.thu") as store:
        case = CaseFile.open(
            PLAN.code("01.VP"), PLAN.entry("01.VP"), start_date=dt.date(2026, 3, 1)
        )
        for day, subject in ((2, "Ban hành kế hoạch chuyển đổi số"), (9, "Thành lập tổ công tác")):
            signed = f"%PDF-1.4 (bản ký số) {subject}".encode()
            ref = store.blobs.put(signed)
            pdf = Attachment(
                name=f"qd-{day:02d}.pdf",
                media_type="application/pdf",
                size=ref.size,
                sha256=ref.sha256,
            )
            with store.transaction() as uow:
                entry = Registrar(uow.sequences).register_outgoing(
                    OUTGOING, decision(day, subject, pdf), issuer_abbreviation="UBND"
                )
                uow.register_entries.record(entry)
            case = file_entry(case, entry, page_amount=2)
        repo = case_files(store)
        stored = repo.add(case)
        closed = repo.update(stored, stored.case_file.close(end_date=dt.date(2026, 12, 31)))
        print(
            f"closed {closed.key}: {closed.case_file.doc_total} documents, seal "
            f"{closed.case_file.seal}"
        )
        for notice in notices_due([closed.case_file], as_of=dt.date(2027, 12, 5)):
            print(f"notice: {notice.code} due {notice.due} ({notice.days_left} days left)")
        for row in transfer_list([closed.case_file]):
            print(f"transfer list: {row.ordinal}. {row.notation} {row.title} {row.retention}")
        package_path = work / "nop-luu-2026.zip"
        package, moved = export_transfer(
            store, [closed.key], package_path, actor="luu.tru", on=dt.date(2027, 12, 10)
        )
        print(
            f"package {package_path.name}: digest {package.digest}, "
            f"{len(package.entries)} electronic files, state {moved[0].case_file.state.value}"
        )
        audited = [e.action for e in store.audit.entries() if e.action.startswith("records.")]
        print(f"audit: {audited}; chain verified to {store.audit.verify().sequence}")
    read_package(package_path, expect_digest=package.digest)
    tampered = work / "tampered.zip"
    with zipfile.ZipFile(package_path) as source:
        members = [(i.filename, source.read(i)) for i in source.infolist()]
    with zipfile.ZipFile(tampered, "w") as copy:
        for name, data in members:
            copy.writestr(name, data.replace(b"PDF", b"PDX") if name.endswith(".pdf") else data)
    try:
        read_package(tampered)
    except IntegrityError as exc:
        print(f"tampered copy refused: {exc.code} at {exc.where}")


if __name__ == "__main__":
    main()
