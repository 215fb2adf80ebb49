"""Case files, the file list, filing, closing, notices and disposal, after Decree 30/2020
Art. 28–31 and Appendix V–VI (text: ericphan28/van-ban-plus copy of the decree)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.agencies import AgencyCode
from egovkit.documents import (
    AgencyRef,
    Attachment,
    Direction,
    Document,
    DocumentNumber,
    DocumentType,
    Register,
    Registrar,
    Secrecy,
    Signer,
)
from egovkit.errors import ConflictError, PolicyError, ValidationError
from egovkit.records import (
    CaseFile,
    DisposalDecision,
    FileCode,
    FileList,
    FileListEntry,
    FileState,
    Retention,
    case_file_from_dict,
    case_file_to_dict,
    check_disposal,
    document_index,
    file_entry,
    notices_due,
    transfer_list,
)
from egovkit.storage.memory import MemorySequenceAllocator
from egovkit.testing.contracts.case_files import case_file, document
from egovkit.testing.strategies.records import (
    closed_case_files,
    file_codes,
    file_lists,
    open_case_files,
)

AGENCY = AgencyCode.parse("000.00.00.H41")
PDF = Attachment(name="qd.pdf", media_type="application/pdf", size=10, sha256="cd" * 32)


@given(file_codes())
def test_file_codes_read_back(code: FileCode) -> None:
    assert FileCode.parse(str(code)) == code


@given(st.one_of(open_case_files(), closed_case_files()))
def test_case_files_read_back(pair: tuple[CaseFile, dict[str, bytes]]) -> None:
    case, _ = pair
    assert case_file_from_dict(case_file_to_dict(case)) == case


@given(file_lists())
def test_file_lists_read_back(file_list: FileList) -> None:
    assert FileList.from_dict(file_list.to_dict()) == file_list


def test_file_numbers_run_through_the_list_or_each_heading() -> None:
    plan = _list().revise(
        add=[FileListEntry(notation="05.VP", title="Công văn chung", retention=Retention())]
    )
    assert plan.next_notation("VP") == "06.VP"
    assert plan.next_notation("TCCB", per_heading=True) == "03.TCCB"
    assert plan.next_notation("KHTC", per_heading=True) == "01.KHTC"


@pytest.mark.parametrize("notation", ["", "a" * 21, "01 VP", "01/VP", "../x"])
def test_bad_notations_are_refused(notation: str) -> None:
    with pytest.raises(ValidationError):
        FileCode(agency=AGENCY, year=2026, notation=notation)


def _list() -> FileList:
    return FileList(
        agency=AGENCY,
        year=2026,
        approved_on=dt.date(2026, 1, 2),
        decision="01/QĐ-UBND",
        entries=[
            FileListEntry(
                notation="01.TCCB", title="Hồ sơ tuyển dụng", retention=Retention.of_years(20)
            ),
            FileListEntry(notation="02.TCCB", title="Hồ sơ khen thưởng", retention=Retention()),
        ],
    )


def test_the_file_list_is_versioned_data() -> None:
    first = _list()
    second = first.revise(
        add=[FileListEntry(notation="03.VP", title="Công văn chung", retention=Retention(years=2))],
        remove=["02.TCCB"],
    )
    assert (first.version, second.version) == (1, 2)
    assert [e.notation for e in second.entries] == ["01.TCCB", "03.VP"]
    assert first.counts() == {"files": 2, "permanent": 1, "limited": 1}
    assert FileList.from_dict(second.to_dict()) == second
    assert str(second.code("03.VP")) == "000.00.00.H41.2026.03.VP"
    with pytest.raises(ValidationError):
        first.revise(add=[FileListEntry(notation="01.TCCB", title="x", retention=Retention())])


def test_files_are_opened_from_the_list_and_numbered_in_order() -> None:
    plan = _list()
    case = CaseFile.open(
        plan.code("01.TCCB"), plan.entry("01.TCCB"), start_date=dt.date(2026, 2, 1)
    )
    for key in ("a", "b", "c"):
        case = case.file(document(key, dt.date(2026, 2, 3)))
    assert [d.ordinal for d in case.documents] == [1, 2, 3]
    case = case.remove(2)
    assert [(d.ordinal, d.source.key) for d in case.documents] == [(1, "a"), (2, "c")]
    with pytest.raises(ConflictError):
        case.file(document("a", dt.date(2026, 2, 4)))


def test_closing_lists_every_problem_and_seals_the_rest() -> None:
    case = case_file("01.VP", documents=())
    with pytest.raises(ValidationError) as empty:
        case.close(end_date=dt.date(2026, 12, 31))
    assert [f.code for f in empty.value.findings] == ["records.empty"]
    late = document("a", dt.date(2026, 6, 1))
    early = attrs.evolve(document("b", dt.date(2026, 3, 1)), page_amount=0, attachments=[])
    case = case.file(late).file(early)
    with pytest.raises(ValidationError) as caught:
        case.close(end_date=dt.date(2026, 5, 1))
    assert {f.code for f in caught.value.findings} == {
        "records.after_end",
        "records.order",
        "records.page_amount",
        "records.no_electronic_file",
    }
    good = case_file("02.VP", documents=("a", "b")).close(
        end_date=dt.date(2026, 12, 31), retention=Retention.of_years(20), title="Tiêu đề mới"
    )
    assert good.state is FileState.CLOSED
    assert good.verify_seal()
    assert (good.title, good.retention) == ("Tiêu đề mới", Retention.of_years(20))
    assert not attrs.evolve(good, title="Khác").verify_seal()
    with pytest.raises(ConflictError):
        good.file(document("c", dt.date(2026, 12, 1)))


def test_register_entries_are_filed_with_their_metadata() -> None:
    registrar = Registrar(MemorySequenceAllocator())
    register = Register(agency=AGENCY, direction=Direction.INCOMING)
    incoming = Document(
        direction=Direction.INCOMING,
        type=DocumentType.get("submission"),
        issuer=AgencyRef(name="Sở Tài chính"),
        number=DocumentNumber(number=12, notation="TTr-STC"),
        place="Vinh",
        issued_on=dt.date(2026, 3, 2),
        subject="Tờ trình về dự toán",
        content="…",
        signer=Signer(full_name="Lê Văn Cường", position="Giám đốc"),
        recipients=(AgencyRef(name="UBND tỉnh"),),
        attachments=(PDF,),
    )
    entry = registrar.register_incoming(register, incoming, received_on=dt.date(2026, 3, 3))
    case = file_entry(case_file("01.VP", documents=()), entry, page_amount=4)
    [filed] = case.documents
    assert (filed.code_number, filed.code_notation, filed.type_name) == (
        "12",
        "TTr-STC",
        "Tờ trình",
    )
    assert (filed.arrival_number, filed.arrival_date, filed.incoming) == (
        1,
        dt.date(2026, 3, 3),
        True,
    )
    assert filed.attachments == (PDF,)
    assert filed.source.key == "register/000.00.00.H41/incoming/main/2026/ordinary/1"
    secret = attrs.evolve(incoming, secrecy=Secrecy.CONFIDENTIAL)
    secret_entry = registrar.register_incoming(register, secret, received_on=dt.date(2026, 3, 4))
    assert file_entry(case, secret_entry, page_amount=1).is_secret


def test_notices_begin_thirty_days_before_the_transfer_is_due() -> None:
    ten = case_file("01.VP", documents=("a",), closed=True)  # ends 2026-12-30
    two = case_file("02.VP", retention=Retention.of_years(2), documents=("a",), closed=True)
    still_open = case_file("03.VP")
    files = [ten, two, still_open]
    assert notices_due(files, as_of=dt.date(2027, 11, 29)) == []
    [notice] = notices_due(files, as_of=dt.date(2027, 11, 30))
    assert (notice.code, notice.days_left, notice.overdue) == (str(ten.code), 30, False)
    [late] = notices_due(files, as_of=dt.date(2028, 1, 2))
    assert late.overdue
    with pytest.raises(ValidationError):
        transfer_list(files)
    [row] = transfer_list([ten])
    assert (row.notation, row.retention, row.period) == ("01.VP", "10 năm", "2026-01-02/2026-12-30")


def test_disposal_needs_a_decision_naming_the_file_and_secret_approval() -> None:
    two = case_file("01.VP", retention=Retention.of_years(2), documents=("a",), closed=True)
    decision = DisposalDecision(
        number="5/QĐ-UBND",
        decided_by="Chủ tịch",
        decided_on=dt.date(2029, 1, 5),
        files=[str(two.code)],
    )
    tomb = check_disposal(two, decision, on=dt.date(2029, 1, 6))
    assert tomb.decision == "5/QĐ-UBND"
    assert tomb.seal == two.seal
    with pytest.raises(PolicyError) as before:
        check_disposal(two, decision, on=dt.date(2029, 1, 4))
    assert before.value.code == "records.before_decision"
    other = attrs.evolve(decision, files=["000.00.00.H41.2026.99.VP"])
    with pytest.raises(PolicyError) as unlisted:
        check_disposal(two, other, on=dt.date(2029, 1, 6))
    assert unlisted.value.code == "records.not_in_decision"
    secret = attrs.evolve(two, documents=[attrs.evolve(d, secret=True) for d in two.documents])
    with pytest.raises(PolicyError) as caught:
        check_disposal(secret, decision, on=dt.date(2029, 1, 6))
    assert caught.value.code == "records.secret_disposal"
    approved = attrs.evolve(decision, secret_approval="Công văn 12/BCA-A05")
    assert check_disposal(secret, approved, on=dt.date(2029, 1, 6)).code == str(two.code)
    with pytest.raises(ValidationError):
        DisposalDecision(number="", decided_by="x", decided_on=dt.date(2029, 1, 1), files=["a"])


def test_the_index_of_documents_follows_appendix_v() -> None:
    case = case_file("01.VP", documents=("a", "b"))
    rows = document_index(case)
    assert [(r.ordinal, r.pages) for r in rows] == [(1, "1-2"), (2, "3-4")]
    assert rows[0].type_and_subject == "Công văn Về việc a"
    assert rows[0].date == "02/01/2026"
