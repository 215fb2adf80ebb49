"""The case file (hồ sơ công việc, Decree 30/2020 Art. 29) and the documents filed in it.

A file is opened from an entry of the yearly file list (or, for work the list did not foresee,
with its own title, notation and retention — Art. 29(2)(c)); documents are filed into it in order
and numbered automatically (DocOrdinal, Appendix VI §III.4(b)); closing it (kết thúc hồ sơ,
Art. 29(4)) checks that it is complete and seals its contents with a SHA-256 digest, after which
nothing in it changes. A document may sit in several files (Appendix VI §III.4(e)): each file
holds a reference to it, not a copy.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Iterable
from typing import Any

import attrs

from egovkit.documents.model import Attachment
from egovkit.errors import ConflictError, ValidationError
from egovkit.findings import Finding
from egovkit.records.codes import FileCode
from egovkit.records.filelist import MAX_TITLE_LENGTH, FileListEntry
from egovkit.records.retention import Retention, TransferRules
from egovkit.text import clean


class FileState(enum.Enum):
    """Where a file stands: open, closed (kết thúc) or transferred to the agency archive (nộp
    lưu). A disposed file (tiêu hủy) is no longer a file: a tombstone takes its place."""

    OPEN = "open"
    CLOSED = "closed"
    TRANSFERRED = "transferred"


class SourceKind(enum.Enum):
    """What a filed document refers to in the store: a register line or a stored document."""

    REGISTER_ENTRY = "register_entry"
    DOCUMENT = "document"


@attrs.frozen(kw_only=True)
class DocumentRef:
    """Which stored thing a filed document is: kind and key (for a register line,
    ``register/AGENCY/direction/name/YEAR/secrecy/NUMBER``)."""

    kind: SourceKind
    key: str

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.key}"


def _attachments(value: Iterable[Attachment]) -> tuple[Attachment, ...]:
    found = tuple(value)
    if not all(isinstance(a, Attachment) for a in found):
        raise TypeError("attachments are Attachment values")
    return found


_is = attrs.validators.instance_of


def _optional(kind: type) -> Any:
    return attrs.validators.optional(attrs.validators.instance_of(kind))


def _whole_number(_instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TypeError(f"{attribute.name} must be a whole number >= 0, not {value!r}")


def _optional_whole(instance: object, attribute: Any, value: Any) -> None:
    if value is not None:
        _whole_number(instance, attribute, value)


@attrs.frozen(kw_only=True)
class FiledDocument:
    """One document in a file, with the metadata of Appendix VI Part II (§I for outgoing, §II for
    incoming documents) fixed at filing time, and its electronic files (attachments with their
    SHA-256)."""

    ordinal: int = attrs.field(validator=_whole_number)
    source: DocumentRef = attrs.field(validator=_is(DocumentRef))
    type_name: str = attrs.field(converter=clean)
    subject: str = attrs.field(converter=clean)
    code_number: str = attrs.field(default="", validator=_is(str))
    code_notation: str = attrs.field(default="", validator=_is(str))
    issued_on: dt.date | None = attrs.field(default=None, validator=_optional(dt.date))
    organ_name: str = attrs.field(default="", converter=clean)
    signer_position: str = attrs.field(default="", converter=clean)
    signer_name: str = attrs.field(default="", converter=clean)
    language: str = attrs.field(default="Tiếng Việt", validator=_is(str))
    page_amount: int = attrs.field(default=0, validator=_whole_number)
    description: str = attrs.field(default="", validator=_is(str))
    incoming: bool = attrs.field(default=False, validator=_is(bool))
    arrival_number: int | None = attrs.field(default=None, validator=_optional_whole)
    arrival_date: dt.date | None = attrs.field(default=None, validator=_optional(dt.date))
    secret: bool = attrs.field(default=False, validator=_is(bool))
    attachments: tuple[Attachment, ...] = attrs.field(default=(), converter=_attachments)
    filed_on: dt.date | None = attrs.field(default=None, validator=_optional(dt.date))

    def digests(self) -> tuple[str, ...]:
        """The SHA-256 of each electronic file, in order."""
        return tuple(a.sha256 for a in self.attachments)


def _documents(value: Iterable[FiledDocument]) -> tuple[FiledDocument, ...]:
    found = tuple(value)
    if not all(isinstance(d, FiledDocument) for d in found):
        raise TypeError("documents are FiledDocument values")
    return found


@attrs.frozen(kw_only=True)
class CaseFile:
    """Hồ sơ công việc: code, title, unit and person in charge (người lập hồ sơ), dates,
    retention, usage rights (chế độ sử dụng) and the documents in order.

    ``seal`` is the SHA-256 of the contents fixed at closing (see :func:`contents_digest`).
    Construction files (xây dựng cơ bản) carry their settlement day, which sets the transfer
    deadline (Art. 30(2)(a)); ``kept_until`` records an approved keep-back (Art. 31(3)(d)).
    """

    code: FileCode = attrs.field(validator=_is(FileCode))
    title: str = attrs.field(converter=clean)
    retention: Retention = attrs.field(validator=_is(Retention))
    unit: str = attrs.field(default="", converter=clean)
    creator: str = attrs.field(default="", converter=clean)
    start_date: dt.date = attrs.field(validator=_is(dt.date))
    end_date: dt.date | None = attrs.field(default=None, validator=_optional(dt.date))
    state: FileState = attrs.field(default=FileState.OPEN, validator=_is(FileState))
    documents: tuple[FiledDocument, ...] = attrs.field(default=(), converter=_documents)
    rights: str = attrs.field(default="Công khai", validator=_is(str))
    language: str = attrs.field(default="Tiếng Việt", validator=_is(str))
    description: str = attrs.field(default="", validator=_is(str))
    construction: bool = attrs.field(default=False, validator=_is(bool))
    settled_on: dt.date | None = attrs.field(default=None, validator=_optional(dt.date))
    kept_until: dt.date | None = attrs.field(default=None, validator=_optional(dt.date))
    seal: str | None = attrs.field(default=None, validator=_optional(str))
    transferred_on: dt.date | None = attrs.field(default=None, validator=_optional(dt.date))
    transfer_ref: str = attrs.field(default="", validator=_is(str))

    def __attrs_post_init__(self) -> None:
        if not self.title or len(self.title) > MAX_TITLE_LENGTH:
            raise ValidationError(
                f"a file title is 1-{MAX_TITLE_LENGTH} characters",
                code="records.title",
                where=str(self.code),
            )

    # -- opening

    @classmethod
    def open(
        cls,
        code: FileCode,
        entry: FileListEntry,
        *,
        start_date: dt.date,
        creator: str | None = None,
    ) -> CaseFile:
        """Open the file of ``entry`` of the year's file list (Art. 29(2)(a–b))."""
        if code.notation != entry.notation:
            raise ValidationError(
                f"file code {code} is not that of list entry {entry.notation!r}",
                code="records.notation_mismatch",
                where=str(code),
            )
        return cls(
            code=code,
            title=entry.title,
            retention=entry.retention,
            unit=entry.unit,
            creator=creator if creator is not None else entry.creator,
            start_date=start_date,
            construction=entry.construction,
        )

    # -- filing

    @property
    def is_secret(self) -> bool:
        """True when any document in the file carries a secrecy mark (độ mật)."""
        return any(d.secret for d in self.documents)

    @property
    def doc_total(self) -> int:
        """DocTotal (Appendix VI Part II §III.9)."""
        return len(self.documents)

    @property
    def page_total(self) -> int:
        """PageTotal (Appendix VI Part II §III.10)."""
        return sum(d.page_amount for d in self.documents)

    def _writable(self) -> None:
        if self.state is not FileState.OPEN:
            raise ConflictError(
                f"file {self.code} is {self.state.value}: its contents are fixed",
                code="records.file_fixed",
                where=str(self.code),
            )

    def file(self, document: FiledDocument) -> CaseFile:
        """This file with ``document`` added last; its ordinal is given here (1, 2, …)."""
        self._writable()
        if any(d.source == document.source for d in self.documents):
            raise ConflictError(
                f"{document.source} is already in file {self.code}",
                code="records.already_filed",
                where=str(document.source),
            )
        numbered = attrs.evolve(document, ordinal=len(self.documents) + 1)
        return attrs.evolve(self, documents=(*self.documents, numbered))

    def remove(self, ordinal: int) -> CaseFile:
        """This file without document ``ordinal`` (a duplicate or a draft, Art. 29(4)(b)); the
        ordinals after it move up."""
        self._writable()
        kept = [d for d in self.documents if d.ordinal != ordinal]
        if len(kept) == len(self.documents):
            raise ValidationError(
                f"file {self.code} has no document {ordinal}",
                code="records.no_document",
                where=f"{self.code}#{ordinal}",
            )
        return attrs.evolve(
            self, documents=[attrs.evolve(d, ordinal=i) for i, d in enumerate(kept, 1)]
        )

    # -- closing

    def problems(self, *, end_date: dt.date | None = None) -> list[Finding]:
        """What keeps this file from being closed: every problem at once."""
        where = str(self.code)
        found: list[Finding] = []
        end = end_date or self.end_date
        if not self.documents:
            found.append(Finding(code="records.empty", where=where, message="the file is empty"))
        if end is not None and end < self.start_date:
            found.append(
                Finding(
                    code="records.dates",
                    where=f"{where}.end_date",
                    message=f"the file ends ({end}) before it starts ({self.start_date})",
                )
            )
        if self.construction and self.settled_on is None:
            found.append(
                Finding(
                    code="records.settlement",
                    where=f"{where}.settled_on",
                    message="a construction file needs its settlement date (Art. 30(2)(a))",
                )
            )
        previous: dt.date | None = None
        for doc in self.documents:
            at = f"{where}#{doc.ordinal}"
            if not doc.attachments:
                found.append(
                    Finding(
                        code="records.no_electronic_file",
                        where=at,
                        message="the document has no electronic file",
                    )
                )
            names = [a.name.casefold() for a in doc.attachments]
            if len(names) != len(set(names)):
                found.append(
                    Finding(
                        code="records.attachment_names",
                        where=at,
                        message="two electronic files of the document have the same name",
                    )
                )
            if doc.page_amount < 1:
                found.append(
                    Finding(
                        code="records.page_amount",
                        where=f"{at}.page_amount",
                        message="PageAmount (số trang) is missing",
                    )
                )
            if not doc.subject or not doc.type_name:
                found.append(
                    Finding(
                        code="records.metadata",
                        where=at,
                        message="the document lacks its type name or summary (trích yếu)",
                    )
                )
            if doc.issued_on is None:
                found.append(
                    Finding(
                        code="records.issued_date",
                        where=f"{at}.issued_on",
                        message="IssuedDate (ngày tháng năm văn bản) is missing",
                    )
                )
            elif previous is not None and doc.issued_on < previous:
                found.append(
                    Finding(
                        code="records.order",
                        where=at,
                        message=f"filed out of date order ({doc.issued_on} after {previous}): "
                        "a file follows the course of the work (Art. 29(1)(b))",
                    )
                )
            if doc.issued_on is not None:
                previous = doc.issued_on
                if end is not None and doc.issued_on > end:
                    found.append(
                        Finding(
                            code="records.after_end",
                            where=at,
                            message=f"dated {doc.issued_on}, after the file ends ({end})",
                        )
                    )
        return found

    def close(
        self,
        *,
        end_date: dt.date,
        retention: Retention | None = None,
        title: str | None = None,
    ) -> CaseFile:
        """Kết thúc hồ sơ (Art. 29(4)): check completeness, settle retention and title (which may
        be corrected now, Art. 29(4)(b)) and seal the contents. Raises ValidationError listing
        every problem."""
        self._writable()
        candidate = attrs.evolve(
            self,
            end_date=end_date,
            retention=retention or self.retention,
            title=title if title is not None else self.title,
        )
        problems = candidate.problems(end_date=end_date)
        if problems:
            raise ValidationError.from_findings(f"file {self.code}", problems)
        closed = attrs.evolve(candidate, state=FileState.CLOSED)
        return attrs.evolve(closed, seal=contents_digest(closed))

    def verify_seal(self) -> bool:
        """Whether the contents are still those sealed at closing."""
        return self.seal is not None and self.seal == contents_digest(self)

    # -- dates

    def transfer_due(self, rules: TransferRules | None = None) -> dt.date | None:
        """When the closed file is due at the agency archive (Art. 30(2)); ``None`` when it
        stays open or is not transferred (retention under 5 years, Art. 31(3)(c))."""
        if self.end_date is None:
            return None
        return (rules or TransferRules.default()).transfer_due(
            retention=self.retention,
            end=self.end_date,
            construction=self.construction,
            settled_on=self.settled_on,
            kept_until=self.kept_until,
        )

    def retention_end(self, rules: TransferRules | None = None) -> dt.date | None:
        """The last day of retention (``None``: permanent or still open)."""
        if self.end_date is None:
            return None
        return (rules or TransferRules.default()).retention_end(
            retention=self.retention, end=self.end_date
        )

    def mark_transferred(self, *, on: dt.date, reference: str) -> CaseFile:
        """This closed file, transferred on ``on`` under ``reference`` (the package digest)."""
        if self.state is not FileState.CLOSED:
            raise ConflictError(
                f"only a closed file is transferred; {self.code} is {self.state.value}",
                code="records.not_closed",
                where=str(self.code),
            )
        return attrs.evolve(
            self, state=FileState.TRANSFERRED, transferred_on=on, transfer_ref=reference
        )


def contents_digest(case: CaseFile) -> str:
    """SHA-256 of what closing fixes: the code, title, retention, dates and every document's
    metadata and file digests, as canonical JSON."""
    from egovkit.records.serialization import document_to_dict

    payload: dict[str, Any] = {
        "code": str(case.code),
        "title": case.title,
        "retention": case.retention.to_json(),
        "start_date": case.start_date.isoformat(),
        "end_date": None if case.end_date is None else case.end_date.isoformat(),
        "documents": [document_to_dict(d) for d in case.documents],
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


__all__ = [
    "CaseFile",
    "DocumentRef",
    "FileState",
    "FiledDocument",
    "SourceKind",
    "contents_digest",
]
