"""Contracts for case files in a store (:mod:`egovkit.records`): files and membership, the
query by year, unit, retention and state (equal to the plain
:meth:`~egovkit.records.ports.CaseFileQuery.matches` over the same files), read-only files after
transfer, transfers and disposals in the audit chain, and tombstones.

Adopt it like the other suites::

    class TestMineCaseFiles(CaseFileContract, MyFixtures):
        pass
"""

from __future__ import annotations

import datetime as dt
import itertools

import attrs
import pytest

from egovkit.agencies import AgencyCode
from egovkit.documents import Attachment
from egovkit.errors import ConflictError, NotFoundError, PolicyError
from egovkit.ports import Store
from egovkit.records import (
    CaseFile,
    CaseFileQuery,
    DisposalDecision,
    DocumentRef,
    FileCode,
    FiledDocument,
    FileList,
    FileListEntry,
    FileState,
    Retention,
    SourceKind,
)
from egovkit.storage.case_files import case_files
from egovkit.testing.contracts.fixtures import StoreFixtures

AGENCY = AgencyCode.parse("000.00.00.H99")
OTHER = AgencyCode.parse("000.00.01.H99")
_PDF = Attachment(name="vb.pdf", media_type="application/pdf", size=3, sha256="ab" * 32)


def document(key: str, on: dt.date) -> FiledDocument:
    """A complete filed document referring to stored document ``key``."""
    return FiledDocument(
        ordinal=0,
        source=DocumentRef(kind=SourceKind.DOCUMENT, key=key),
        type_name="Công văn",
        subject=f"Về việc {key}",
        issued_on=on,
        page_amount=2,
        attachments=[_PDF],
    )


def case_file(
    notation: str,
    *,
    agency: AgencyCode = AGENCY,
    year: int = 2026,
    unit: str = "VP",
    retention: Retention | None = None,
    documents: tuple[str, ...] = ("a",),
    closed: bool = False,
) -> CaseFile:
    """A file of ``year`` holding stored documents ``documents`` (closed if asked)."""
    start = dt.date(year, 1, 2)
    case = CaseFile(
        code=FileCode(agency=agency, year=year, notation=notation),
        title=f"Hồ sơ {notation}",
        retention=retention or Retention.of_years(10),
        unit=unit,
        creator="Nguyễn Văn An",
        start_date=start,
    )
    for key in documents:
        case = case.file(document(key, start))
    return case.close(end_date=dt.date(year, 12, 30)) if closed else case


def population() -> list[CaseFile]:
    """Files over two agencies, three years, three units, four retentions, open and closed."""
    files = []
    numbers = itertools.count(1)
    retentions = [Retention(), Retention.of_years(5), Retention.of_years(10), Retention.of_years(2)]
    for agency, year, unit, retention, closed in itertools.product(
        (AGENCY, OTHER), (2025, 2026, 2027), ("VP", "TCCB", "KHTC"), retentions, (False, True)
    ):
        if (year + len(unit) + (retention.years or 0)) % 3 == 0:
            continue  # not every combination, so that empty answers occur too
        number = next(numbers)
        case = case_file(
            f"{number:02d}.{unit}",
            agency=agency,
            year=year,
            unit=unit,
            retention=retention,
            closed=closed,
        )
        files.append(attrs.evolve(case, creator="Lê Thị Hoa") if number % 4 == 0 else case)
    return files


class CaseFileContract(StoreFixtures):
    """Case files (:class:`~egovkit.records.ports.CaseFileRepository`) in a store."""

    def test_add_find_and_refuse_a_second_add(self, store: Store) -> None:
        repo = case_files(store)
        stored = repo.add(case_file("01.VP"))
        assert repo.get(stored.key).case_file == case_file("01.VP")
        assert repo.find("000.00.00.H99.2026.99.VP") is None
        with pytest.raises(NotFoundError):
            repo.get("000.00.00.H99.2026.99.VP")
        with pytest.raises(ConflictError):
            repo.add(case_file("01.VP"))

    def test_stale_update_is_refused(self, store: Store) -> None:
        repo = case_files(store)
        stored = repo.add(case_file("01.VP"))
        repo.update(stored, case_file("01.VP", documents=("a", "b")))
        with pytest.raises(ConflictError):
            repo.update(stored, case_file("01.VP", documents=("a", "c")))

    def test_query_agrees_with_the_plain_definition(self, store: Store) -> None:
        files = population()
        repo = case_files(store)
        for case in files:
            repo.add(case)
        agencies = (None, str(AGENCY), str(OTHER))
        years = (None, 2025, 2026, 2028)
        units = (None, "VP", "KHTC", "nowhere")
        retentions = (None, Retention(), Retention.of_years(5), Retention.of_years(7))
        states = (None, FileState.OPEN, FileState.CLOSED, FileState.TRANSFERRED)
        for agency, year, unit, retention, state in itertools.product(
            agencies, years, units, retentions, states
        ):
            query = CaseFileQuery(
                agency=agency, year=year, unit=unit, retention=retention, state=state
            )
            expected = sorted((f for f in files if query.matches(f)), key=lambda f: str(f.code))
            assert [s.case_file for s in repo.query(query)] == expected, query
        for creator in ("Nguyễn Văn An", "Lê Thị Hoa", "nobody"):
            query = CaseFileQuery(creator=creator, year=2026)
            expected = sorted((f for f in files if query.matches(f)), key=lambda f: str(f.code))
            assert [s.case_file for s in repo.query(query)] == expected, query

    def test_one_document_in_several_files(self, store: Store) -> None:
        repo = case_files(store)
        repo.add(case_file("01.VP", documents=("shared", "a")))
        repo.add(case_file("02.VP", documents=("b", "shared")))
        repo.add(case_file("03.VP", documents=("c",)))
        shared = DocumentRef(kind=SourceKind.DOCUMENT, key="shared")
        assert [s.key for s in repo.holding(shared)] == [
            "000.00.00.H99.2026.01.VP",
            "000.00.00.H99.2026.02.VP",
        ]
        elsewhere = DocumentRef(kind=SourceKind.REGISTER_ENTRY, key="shared")
        assert repo.holding(elsewhere) == []

    def test_transfer_is_audited_and_makes_files_read_only(self, store: Store) -> None:
        repo = case_files(store)
        stored = repo.add(case_file("01.VP", closed=True))
        before = store.audit.head().sequence
        [moved] = repo.record_transfer(
            [stored], on=dt.date(2027, 3, 1), reference="f" * 64, actor="luu.tru"
        )
        assert moved.case_file.state is FileState.TRANSFERRED
        assert moved.case_file.transfer_ref == "f" * 64
        entries = list(store.audit.entries(start=before + 1))
        events = [e for e in entries if e.action == "records.transfer"]
        assert [(e.key, e.actor) for e in events] == [(stored.key, "luu.tru")]
        store.audit.verify()
        with pytest.raises(ConflictError) as caught:
            repo.update(moved, attrs.evolve(moved.case_file, title="Đổi tên"))
        assert caught.value.code == "records.read_only"

    def test_only_closed_files_are_transferred_and_nothing_is_half_done(self, store: Store) -> None:
        repo = case_files(store)
        closed = repo.add(case_file("01.VP", closed=True))
        still_open = repo.add(case_file("02.VP"))
        with pytest.raises(ConflictError):
            repo.record_transfer(
                [closed, still_open], on=dt.date(2027, 3, 1), reference="e" * 64, actor="a"
            )
        assert repo.get(closed.key).case_file.state is FileState.CLOSED

    def test_disposal_leaves_a_tombstone_and_an_audit_entry(self, store: Store) -> None:
        repo = case_files(store)
        stored = repo.add(case_file("01.VP", retention=Retention.of_years(2), closed=True))
        decision = DisposalDecision(
            number="15/QĐ-UBND",
            decided_by="Chủ tịch UBND tỉnh",
            decided_on=dt.date(2028, 6, 1),
            files=[stored.key],
        )
        with pytest.raises(PolicyError) as early:
            repo.dispose(stored, decision, on=dt.date(2028, 6, 1), actor="luu.tru")
        assert early.value.code == "records.retention_running"
        assert repo.find(stored.key) is not None
        tombstone = repo.dispose(stored, decision, on=dt.date(2029, 2, 2), actor="luu.tru")
        assert repo.find(stored.key) is None
        assert repo.tombstones() == [tombstone]
        assert tombstone.digests == ((1, ("ab" * 32,)),)
        assert repo.decision("15/QĐ-UBND") == decision
        actions = [e.action for e in store.audit.entries()]
        assert "records.dispose" in actions
        store.audit.verify()
        with pytest.raises(ConflictError):
            repo.add(case_file("01.VP", retention=Retention.of_years(2)))

    def test_permanent_files_are_never_disposed_of(self, store: Store) -> None:
        repo = case_files(store)
        stored = repo.add(case_file("01.VP", retention=Retention(), closed=True))
        decision = DisposalDecision(
            number="16/QĐ-UBND",
            decided_by="Chủ tịch",
            decided_on=dt.date(2090, 1, 1),
            files=[stored.key],
        )
        with pytest.raises(PolicyError):
            repo.dispose(stored, decision, on=dt.date(2090, 1, 2), actor="a")
        assert repo.tombstones() == []

    def test_file_lists_keep_every_version(self, store: Store) -> None:
        repo = case_files(store)
        first = FileList(
            agency=AGENCY,
            year=2026,
            entries=[FileListEntry(notation="01.VP", title="Hồ sơ A", retention=Retention())],
        )
        second = first.revise(
            add=[FileListEntry(notation="02.VP", title="Hồ sơ B", retention=Retention(years=5))]
        )
        repo.save_file_list(first)
        repo.save_file_list(second)
        repo.save_file_list(attrs.evolve(first, year=2027))
        assert repo.file_list(str(AGENCY), 2026) == second
        assert repo.file_list(str(AGENCY), 2026, version=1) == first
        assert repo.file_list(str(AGENCY), 2027).year == 2027
        with pytest.raises(ConflictError):
            repo.save_file_list(second)
        with pytest.raises(ConflictError):
            repo.save_file_list(attrs.evolve(second, version=5))
        with pytest.raises(NotFoundError):
            repo.file_list(str(OTHER), 2026)
        with pytest.raises(NotFoundError):
            repo.file_list(str(AGENCY), 2026, version=3)

    def test_a_rolled_back_unit_of_work_changes_nothing(self, store: Store) -> None:
        repo = case_files(store)
        stored = repo.add(case_file("01.VP", closed=True))

        def abort() -> None:
            with store.transaction(actor="a") as uow:
                case_files(uow).record_transfer(
                    [stored], on=dt.date(2027, 1, 1), reference="d" * 64, actor="a"
                )
                raise RuntimeError("abort")

        with pytest.raises(RuntimeError):
            abort()
        assert repo.get(stored.key).case_file.state is FileState.CLOSED


__all__ = ["CaseFileContract", "case_file", "document", "population"]
