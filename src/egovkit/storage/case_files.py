"""Case files (:mod:`egovkit.records`) in a store: the
:class:`~egovkit.records.ports.CaseFileRepository` over records.

Files are records of ``case_files`` keyed by their file code; tombstones of disposed files go to
``case_file_tombstones``, disposal decisions to ``disposal_decisions`` and every version of every
file list (danh mục hồ sơ) to ``file_lists``. Transfers and
disposals are logged in the audit chain as events (``records.transfer``, ``records.dispose``) by
the officer who made them. With a SQL session the query and the membership look-up run in the
database; otherwise they read every file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Sequence
from typing import Final, Protocol, TypeVar

from egovkit.errors import ConflictError, NotFoundError
from egovkit.ports import (
    Record,
    RecordRepository,
    Store,
    UnitOfWork,
    canonical_json,
    sha256_hex,
)
from egovkit.records.casefile import CaseFile, DocumentRef, FileState
from egovkit.records.disposal import DisposalDecision, Tombstone, check_disposal
from egovkit.records.filelist import FileList
from egovkit.records.package import (
    PackageLimits,
    TransferPackage,
    package_contents,
    read_package,
    write_package,
)
from egovkit.records.ports import CaseFileQuery, CaseFileRepository, StoredCaseFile
from egovkit.records.retention import TransferRules
from egovkit.records.serialization import case_file_from_dict, case_file_to_dict
from egovkit.storage.case_file_sql import CASE_FILES, CaseFileFilter

TOMBSTONES: Final = "case_file_tombstones"
DECISIONS: Final = "disposal_decisions"
FILE_LISTS: Final = "file_lists"

T = TypeVar("T")


class EventLog(Protocol):
    """Where transfer and disposal entries go (a unit of work's ``log_event``)."""

    def log_event(
        self, *, action: str, collection: str, key: str, version: int, digest: str, actor: str
    ) -> None: ...


def _stored(record: Record) -> StoredCaseFile:
    return StoredCaseFile(
        key=record.key, version=record.version, case_file=case_file_from_dict(record.data)
    )


def _row(row: tuple[str, int, str]) -> StoredCaseFile:
    key, version, body = row
    return StoredCaseFile(key=key, version=version, case_file=case_file_from_dict(json.loads(body)))


def _filter(query: CaseFileQuery) -> CaseFileFilter:
    return CaseFileFilter(
        agency=query.agency,
        year=query.year,
        unit=query.unit,
        creator=query.creator,
        retention=None if query.retention is None else query.retention.to_json(),
        state=None if query.state is None else query.state.value,
    )


class RecordCaseFiles(CaseFileRepository):
    """Case files over a :class:`~egovkit.ports.RecordRepository` (one unit of work); a SQL
    backend's ``select`` and ``holding`` list the ``(key, version, body)`` rows of the matching
    records."""

    def __init__(
        self,
        records: RecordRepository,
        *,
        events: EventLog | None = None,
        select: Callable[[CaseFileFilter], list[tuple[str, int, str]]] | None = None,
        holding: Callable[[str], list[tuple[str, int, str]]] | None = None,
    ) -> None:
        self._records = records
        self._events = events
        self._select = select
        self._holding = holding

    def add(self, case: CaseFile) -> StoredCaseFile:
        code = str(case.code)
        if self._records.find(TOMBSTONES, code) is not None:
            raise ConflictError(
                f"file {code} was disposed of; its code is not reused",
                code="records.disposed",
                where=code,
            )
        record = self._records.add(
            Record(collection=CASE_FILES, key=code, data=case_file_to_dict(case))
        )
        return StoredCaseFile(key=code, version=record.version, case_file=case)

    def find(self, code: str) -> StoredCaseFile | None:
        record = self._records.find(CASE_FILES, code)
        return None if record is None else _stored(record)

    def update(self, stored: StoredCaseFile, case: CaseFile) -> StoredCaseFile:
        if str(case.code) != stored.key:
            raise ConflictError(
                f"a file keeps its code: {stored.key} cannot become {case.code}",
                code="records.code_changed",
                where=stored.key,
            )
        current = self._records.get(CASE_FILES, stored.key)
        if current.data.get("state") == FileState.TRANSFERRED.value:
            raise ConflictError(
                f"file {stored.key} was transferred to the agency archive: it is read-only",
                code="records.read_only",
                where=stored.key,
            )
        record = self._records.update(
            Record(
                collection=CASE_FILES,
                key=stored.key,
                version=stored.version,
                data=case_file_to_dict(case),
            )
        )
        return StoredCaseFile(key=stored.key, version=record.version, case_file=case)

    def query(self, query: CaseFileQuery) -> list[StoredCaseFile]:
        if self._select is not None:
            return [_row(row) for row in sorted(self._select(_filter(query)))]
        return [
            s for s in map(_stored, self._records.scan(CASE_FILES)) if query.matches(s.case_file)
        ]

    def holding(self, source: DocumentRef) -> list[StoredCaseFile]:
        if self._holding is not None:
            return [_row(row) for row in self._holding(str(source))]
        return [
            s
            for s in map(_stored, self._records.scan(CASE_FILES))
            if any(d.source == source for d in s.case_file.documents)
        ]

    def _log(self, action: str, key: str, version: int, payload: object, actor: str) -> None:
        if self._events is None:
            return
        digest = sha256_hex(canonical_json(payload).encode("utf-8"))
        self._events.log_event(
            action=action,
            collection=CASE_FILES,
            key=key,
            version=version,
            digest=digest,
            actor=actor,
        )

    def log_receipt(self, stored: StoredCaseFile, reference: str, actor: str) -> None:
        """Log that the archive received ``stored`` in package ``reference``."""
        self._log(
            "records.receive",
            stored.key,
            stored.version,
            {"file": stored.key, "package": reference},
            actor,
        )

    def record_transfer(
        self, stored: Sequence[StoredCaseFile], *, on: dt.date, reference: str, actor: str
    ) -> list[StoredCaseFile]:
        done = []
        for item in stored:
            moved = item.case_file.mark_transferred(on=on, reference=reference)
            new = self.update(item, moved)
            self._log(
                "records.transfer",
                item.key,
                new.version,
                {"file": item.key, "on": on.isoformat(), "package": reference},
                actor,
            )
            done.append(new)
        return done

    def dispose(
        self,
        stored: StoredCaseFile,
        decision: DisposalDecision,
        *,
        on: dt.date,
        actor: str,
        rules: TransferRules | None = None,
    ) -> Tombstone:
        current = self._records.get(CASE_FILES, stored.key)
        tombstone = check_disposal(_stored(current).case_file, decision, on=on, rules=rules)
        known = self._records.find(DECISIONS, decision.number)
        if known is None:
            self._records.add(
                Record(collection=DECISIONS, key=decision.number, data=decision.to_dict())
            )
        elif DisposalDecision.from_dict(known.data) != decision:
            raise ConflictError(
                f"decision {decision.number} is stored with other contents",
                code="records.decision_changed",
                where=decision.number,
            )
        self._records.add(Record(collection=TOMBSTONES, key=stored.key, data=tombstone.to_dict()))
        self._records.delete(
            Record(collection=CASE_FILES, key=stored.key, version=stored.version, data={})
        )
        self._log("records.dispose", stored.key, stored.version, tombstone.to_dict(), actor)
        return tombstone

    def save_file_list(self, file_list: FileList) -> FileList:
        prefix = f"{file_list.agency}/{file_list.year}/"
        last = [r.key for r in self._records.scan(FILE_LISTS, prefix=prefix)]
        expected = len(last) + 1
        if file_list.version != expected:
            raise ConflictError(
                f"the {file_list.year} file list of {file_list.agency} is at version "
                f"{len(last)}; the next one is {expected}, not {file_list.version}",
                code="records.list_version",
                where=prefix + str(file_list.version),
            )
        self._records.add(
            Record(
                collection=FILE_LISTS,
                key=f"{prefix}{file_list.version:06d}",
                data=file_list.to_dict(),
            )
        )
        return file_list

    def file_list(self, agency: str, year: int, *, version: int | None = None) -> FileList:
        prefix = f"{agency}/{year}/"
        if version is None:
            found = list(self._records.scan(FILE_LISTS, prefix=prefix))
            record = found[-1] if found else None
        else:
            record = self._records.find(FILE_LISTS, f"{prefix}{version:06d}")
        if record is None:
            raise NotFoundError(
                f"no file list of {agency} for {year}"
                + ("" if version is None else f" at version {version}"),
                code="records.list_not_found",
                where=prefix,
            )
        return FileList.from_dict(record.data)

    def tombstones(self) -> list[Tombstone]:
        return [Tombstone.from_dict(r.data) for r in self._records.scan(TOMBSTONES)]

    def decision(self, number: str) -> DisposalDecision | None:
        record = self._records.find(DECISIONS, number)
        return None if record is None else DisposalDecision.from_dict(record.data)


class TransactionalCaseFiles(CaseFileRepository):
    """Case files of a store, each call in its own transaction."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def _run(self, work: Callable[[CaseFileRepository], T], actor: str | None = None) -> T:
        with self._store.transaction(actor=actor) as uow:
            return work(case_files(uow))

    def add(self, case: CaseFile) -> StoredCaseFile:
        return self._run(lambda repo: repo.add(case))

    def find(self, code: str) -> StoredCaseFile | None:
        return self._run(lambda repo: repo.find(code))

    def update(self, stored: StoredCaseFile, case: CaseFile) -> StoredCaseFile:
        return self._run(lambda repo: repo.update(stored, case))

    def query(self, query: CaseFileQuery) -> list[StoredCaseFile]:
        return self._run(lambda repo: repo.query(query))

    def holding(self, source: DocumentRef) -> list[StoredCaseFile]:
        return self._run(lambda repo: repo.holding(source))

    def record_transfer(
        self, stored: Sequence[StoredCaseFile], *, on: dt.date, reference: str, actor: str
    ) -> list[StoredCaseFile]:
        return self._run(
            lambda repo: repo.record_transfer(stored, on=on, reference=reference, actor=actor),
            actor,
        )

    def dispose(
        self,
        stored: StoredCaseFile,
        decision: DisposalDecision,
        *,
        on: dt.date,
        actor: str,
        rules: TransferRules | None = None,
    ) -> Tombstone:
        return self._run(
            lambda repo: repo.dispose(stored, decision, on=on, actor=actor, rules=rules), actor
        )

    def save_file_list(self, file_list: FileList) -> FileList:
        return self._run(lambda repo: repo.save_file_list(file_list))

    def file_list(self, agency: str, year: int, *, version: int | None = None) -> FileList:
        return self._run(lambda repo: repo.file_list(agency, year, version=version))

    def tombstones(self) -> list[Tombstone]:
        return self._run(lambda repo: repo.tombstones())

    def decision(self, number: str) -> DisposalDecision | None:
        return self._run(lambda repo: repo.decision(number))


def case_files(target: Store | UnitOfWork) -> CaseFileRepository:
    """The case files of a store (each call its own transaction) or of a unit of work (queried
    in SQL when its backend can)."""
    if isinstance(target, Store):
        return TransactionalCaseFiles(target)
    from egovkit.storage.engine import EngineUnitOfWork

    if isinstance(target, EngineUnitOfWork) and target.session.case_file_query:
        session = target.session
        return RecordCaseFiles(
            target.records,
            events=target,
            select=session.select_case_files,
            holding=session.case_files_holding,
        )
    return RecordCaseFiles(target.records, events=target)


def export_transfer(
    store: Store,
    codes: Sequence[str],
    out: str | os.PathLike[str],
    *,
    actor: str,
    on: dt.date,
    agency: str = "",
    include_secret: bool = False,
    created_at: dt.datetime | None = None,
) -> tuple[TransferPackage, list[StoredCaseFile]]:
    """Nộp lưu: write the package of the closed files ``codes`` from ``store`` to ``out``
    (each electronic file checked against its SHA-256 on the way in, the package read back and
    compared on the way out), then mark the files transferred under the package's digest, with
    one ``records.transfer`` audit entry each, in one transaction. The files are read-only from
    then on. ``created_at`` (default: now) is written into the manifest."""
    repo = case_files(store)
    stored = [repo.get(code) for code in codes]
    package = write_package(
        [s.case_file for s in stored],
        store.blobs.open,
        out,
        agency=agency,
        include_secret=include_secret,
        created_at=created_at,
    )
    with store.transaction(actor=actor) as uow:
        moved = case_files(uow).record_transfer(
            stored, on=on, reference=package.digest, actor=actor
        )
    return package, moved


def import_transfer(
    store: Store,
    path: str | os.PathLike[str],
    *,
    actor: str,
    expect_digest: str | None = None,
    limits: PackageLimits | None = None,
) -> list[StoredCaseFile]:
    """The agency archive's side of a transfer: check the package at ``path`` completely, store
    its electronic files (each checked against its SHA-256 again on the way in), then add its
    case files — transferred, read-only — with one ``records.receive`` audit entry each, in one
    transaction. Nothing is added when any check fails. The files are marked transferred on the
    day the package was made, under its digest."""
    package = read_package(path, limits=limits, expect_digest=expect_digest)
    on = dt.datetime.fromisoformat(package.created_at).date()
    for item, chunks in package_contents(path, package, limits=limits):
        store.blobs.put(chunks, expected=item.sha256)
    with store.transaction(actor=actor) as uow:
        repo = RecordCaseFiles(uow.records, events=uow)
        added = []
        for case in package.files:
            received = case.mark_transferred(on=on, reference=package.digest)
            stored = repo.add(received)
            repo.log_receipt(stored, package.digest, actor)
            added.append(stored)
    return added


__all__ = [
    "DECISIONS",
    "FILE_LISTS",
    "TOMBSTONES",
    "RecordCaseFiles",
    "TransactionalCaseFiles",
    "case_files",
    "export_transfer",
    "import_transfer",
]
