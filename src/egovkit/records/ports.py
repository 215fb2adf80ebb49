"""The port of case files in a store: files and their membership (which file holds which
document), the transfer record and disposal, and a query by year, unit, retention and state.

Implemented over any record store by :class:`egovkit.storage.case_files.RecordCaseFiles`
(the SQL stores answer :meth:`CaseFileRepository.query` and :meth:`CaseFileRepository.holding`
in SQL); :func:`egovkit.storage.case_files.case_files` gives the one for a store or a unit of
work, and :class:`egovkit.testing.contracts.case_files.CaseFileContract` proves a backend.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Sequence

import attrs

from egovkit.errors import NotFoundError
from egovkit.records.casefile import CaseFile, DocumentRef, FileState
from egovkit.records.disposal import DisposalDecision, Tombstone
from egovkit.records.filelist import FileList
from egovkit.records.retention import Retention, TransferRules


@attrs.frozen(kw_only=True)
class CaseFileQuery:
    """Which files to list: any of agency (its code), year (FileCatalog), unit, the person who
    forms them (Creator: all the files of one account, Appendix VI §III.4(đ)), retention
    (exactly) and state; ``None`` means any."""

    agency: str | None = None
    year: int | None = None
    unit: str | None = None
    creator: str | None = None
    retention: Retention | None = None
    state: FileState | None = None

    def matches(self, case: CaseFile) -> bool:
        """Whether ``case`` is one of the files asked for (the plain definition the SQL
        queries must agree with)."""
        return (
            (self.agency is None or str(case.code.agency) == self.agency)
            and (self.year is None or case.code.year == self.year)
            and (self.unit is None or case.unit == self.unit)
            and (self.creator is None or case.creator == self.creator)
            and (self.retention is None or case.retention == self.retention)
            and (self.state is None or case.state is self.state)
        )


@attrs.frozen(kw_only=True)
class StoredCaseFile:
    """A case file as stored: its key (the file code), its version and the value."""

    key: str
    version: int
    case_file: CaseFile


class CaseFileRepository(abc.ABC):
    """Case files (hồ sơ) by file code. A transferred file is read-only: updating it raises
    :class:`~egovkit.errors.ConflictError` (code ``records.read_only``)."""

    @abc.abstractmethod
    def add(self, case: CaseFile) -> StoredCaseFile:
        """Store a new file; the same code twice (or a disposed code): ConflictError."""

    @abc.abstractmethod
    def find(self, code: str) -> StoredCaseFile | None:
        """The stored file, or ``None``."""

    def get(self, code: str) -> StoredCaseFile:
        """The stored file, or NotFoundError."""
        found = self.find(code)
        if found is None:
            raise NotFoundError(f"no case file {code!r}", code="records.not_found", where=code)
        return found

    @abc.abstractmethod
    def update(self, stored: StoredCaseFile, case: CaseFile) -> StoredCaseFile:
        """Replace ``stored`` (at its version) by ``case``; stale: ConflictError."""

    @abc.abstractmethod
    def query(self, query: CaseFileQuery) -> list[StoredCaseFile]:
        """The files ``query`` matches, in code order."""

    @abc.abstractmethod
    def holding(self, source: DocumentRef) -> list[StoredCaseFile]:
        """The files a document is filed in (one document may be in several), in code order."""

    @abc.abstractmethod
    def record_transfer(
        self, stored: Sequence[StoredCaseFile], *, on: dt.date, reference: str, actor: str
    ) -> list[StoredCaseFile]:
        """Mark closed files transferred to the agency archive under ``reference`` (the package
        digest) and log one ``records.transfer`` audit entry per file, made by ``actor``."""

    @abc.abstractmethod
    def dispose(
        self,
        stored: StoredCaseFile,
        decision: DisposalDecision,
        *,
        on: dt.date,
        actor: str,
        rules: TransferRules | None = None,
    ) -> Tombstone:
        """Dispose of a file under ``decision`` (see
        :func:`~egovkit.records.disposal.check_disposal`): the decision and a tombstone are
        stored, the file record removed, and a ``records.dispose`` audit entry logged."""

    @abc.abstractmethod
    def save_file_list(self, file_list: FileList) -> FileList:
        """Store a version of a year's file list (danh mục hồ sơ); versions are kept, never
        replaced: the same agency, year and version twice raises ConflictError, and a version
        must follow the last stored one (1, 2, 3, …)."""

    @abc.abstractmethod
    def file_list(self, agency: str, year: int, *, version: int | None = None) -> FileList:
        """A stored version of an agency's file list for ``year`` (the latest by default), or
        NotFoundError."""

    @abc.abstractmethod
    def tombstones(self) -> list[Tombstone]:
        """Every tombstone, in code order."""

    @abc.abstractmethod
    def decision(self, number: str) -> DisposalDecision | None:
        """A stored disposal decision, or ``None``."""


__all__ = ["CaseFileQuery", "CaseFileRepository", "StoredCaseFile"]
