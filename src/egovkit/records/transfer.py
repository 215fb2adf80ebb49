"""Transfer to the agency archive (nộp lưu, Decree 30/2020 Art. 30): the transfer list (mục lục
hồ sơ, tài liệu nộp lưu, Appendix V §III) and the notices of files falling due (Appendix VI
§III.5(b): 30 days ahead)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from egovkit.errors import ValidationError
from egovkit.findings import Finding
from egovkit.records.casefile import CaseFile, FileState
from egovkit.records.retention import TransferRules


@attrs.frozen(kw_only=True)
class TransferRow:
    """One line of the transfer list: the columns (1)–(7) of Appendix V §III."""

    ordinal: int
    code: str
    notation: str
    title: str
    period: str
    retention: str
    pages: int
    documents: int
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON keys of the CLI's ``records transfer-list --json``."""
        return attrs.asdict(self)


def transfer_list(files: Iterable[CaseFile]) -> list[TransferRow]:
    """Mục lục hồ sơ, tài liệu nộp lưu of ``files``, in file-code order; each must be closed
    and sealed (Art. 30(1): complete, on time, in order) or a ValidationError lists them."""
    chosen = sorted(files, key=lambda f: str(f.code))
    problems = [
        Finding(
            code="records.not_closed",
            where=str(f.code),
            message=f"the file is {f.state.value}; only closed files are transferred",
        )
        for f in chosen
        if f.state is not FileState.CLOSED or not f.verify_seal()
    ]
    if problems:
        raise ValidationError.from_findings("the transfer list", problems)
    rows = []
    for ordinal, case in enumerate(chosen, 1):
        end = case.end_date or case.start_date
        rows.append(
            TransferRow(
                ordinal=ordinal,
                code=str(case.code),
                notation=case.code.notation,
                title=case.title,
                period=f"{case.start_date.isoformat()}/{end.isoformat()}",
                retention=case.retention.label(),
                pages=case.page_total,
                documents=case.doc_total,
                note=case.description,
            )
        )
    return rows


@attrs.frozen(kw_only=True)
class IndexRow:
    """One line of the index of documents in a file (mục lục văn bản, tài liệu trong hồ sơ):
    the columns (1)–(7) of Appendix V §IV; ``pages`` is the first and last page in the file."""

    ordinal: int
    number_and_notation: str
    date: str
    type_and_subject: str
    author: str
    pages: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return attrs.asdict(self)


def document_index(case: CaseFile) -> list[IndexRow]:
    """Mục lục văn bản trong hồ sơ (Appendix V §IV; Appendix VI §V.5): the file's documents in
    order, with the pages each takes when the file is read through."""
    rows, page = [], 1
    for doc in case.documents:
        number = "/".join(p for p in (doc.code_number, doc.code_notation) if p)
        last = page + max(doc.page_amount, 1) - 1
        rows.append(
            IndexRow(
                ordinal=doc.ordinal,
                number_and_notation=number,
                date="" if doc.issued_on is None else f"{doc.issued_on:%d/%m/%Y}",
                type_and_subject=f"{doc.type_name} {doc.subject}".strip(),
                author=doc.organ_name,
                pages=f"{page}-{last}",
                note=doc.description,
            )
        )
        page = last + 1
    return rows


@attrs.frozen(kw_only=True)
class Notice:
    """A closed file falling due for transfer: when, and how many days are left (negative:
    overdue)."""

    code: str
    title: str
    due: dt.date
    days_left: int
    unit: str = ""

    @property
    def overdue(self) -> bool:
        """Past its transfer deadline."""
        return self.days_left < 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {**attrs.asdict(self), "due": self.due.isoformat(), "overdue": self.overdue}


def notices_due(
    files: Iterable[CaseFile], *, as_of: dt.date, rules: TransferRules | None = None
) -> list[Notice]:
    """The closed files whose notice period has begun on ``as_of`` (Appendix VI §III.5(b)),
    soonest first; files not transferred at all (Art. 31(3)(c)) are left out."""
    rules = rules or TransferRules.default()
    notices = []
    for case in files:
        if case.state is not FileState.CLOSED:
            continue
        due = case.transfer_due(rules)
        if due is None or as_of < rules.notice_from(due):
            continue
        notices.append(
            Notice(
                code=str(case.code),
                title=case.title,
                due=due,
                days_left=(due - as_of).days,
                unit=case.unit,
            )
        )
    return sorted(notices, key=lambda n: (n.due, n.code))


__all__ = ["IndexRow", "Notice", "TransferRow", "document_index", "notices_due", "transfer_list"]
