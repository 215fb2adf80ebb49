"""Hypothesis strategies for records (:mod:`egovkit.records`): retentions, filed documents and
case files (open or closed), with the bytes of their electronic files for package tests.

>>> from hypothesis import given, settings
>>> from egovkit.records import FileState
>>> from egovkit.testing.strategies.records import closed_case_files
>>> @settings(max_examples=10)
... @given(closed_case_files())
... def test_sealed(pair):
...     case, contents = pair
...     assert case.state is FileState.CLOSED and case.verify_seal()
>>> test_sealed()
"""

from __future__ import annotations

import datetime
import datetime as dt
import hashlib

import attrs
from hypothesis import strategies as st

from egovkit.agencies import AgencyCode
from egovkit.documents import Attachment
from egovkit.records import (
    CaseFile,
    DocumentRef,
    FileCode,
    FiledDocument,
    FileList,
    FileListEntry,
    Retention,
    SourceKind,
)
from egovkit.testing.strategies.agencies import agency_codes
from egovkit.testing.strategies.documents import vietnamese_text

#: The bytes of electronic files by SHA-256.
Contents = dict[str, bytes]

_NAMES = st.from_regex(r"[a-z][a-z0-9_-]{0,11}\.(pdf|xml|docx)", fullmatch=True)
_MEDIA = {"pdf": "application/pdf", "xml": "application/xml", "docx": "application/octet-stream"}


def retentions() -> st.SearchStrategy[Retention]:
    """Permanent or 1–100 years."""
    return st.one_of(st.just(Retention()), st.integers(1, 100).map(Retention.of_years))


def file_notations() -> st.SearchStrategy[str]:
    """Notations as in Appendix V (``01.TCCB``)."""
    return st.builds(
        lambda n, unit: f"{n:02d}.{unit}",
        st.integers(1, 999),
        st.from_regex(r"[A-Z]{2,6}", fullmatch=True),
    )


def file_codes(agency: AgencyCode | None = None) -> st.SearchStrategy[FileCode]:
    """File codes of ``agency`` (any agency when ``None``) for 2000–2099."""
    agencies = st.just(agency) if agency is not None else agency_codes()
    return st.builds(
        lambda a, y, n: FileCode(agency=a, year=y, notation=n),
        agencies,
        st.integers(2000, 2099),
        file_notations(),
    )


@st.composite
def file_lists(draw: st.DrawFn, *, agency: AgencyCode | None = None) -> FileList:
    """A year's file list of 0–6 entries with distinct notations, at version 1–5."""
    notations = draw(st.lists(file_notations(), max_size=6, unique=True))
    return FileList(
        agency=draw(st.just(agency) if agency is not None else agency_codes()),
        year=draw(st.integers(2000, 2099)),
        version=draw(st.integers(1, 5)),
        approved_on=draw(st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))),
        decision=draw(st.sampled_from(["", "01/QĐ-UBND"])),
        entries=[
            FileListEntry(
                notation=notation,
                title=draw(vietnamese_text(min_size=3, max_size=60)),
                retention=draw(retentions()),
                heading=draw(st.sampled_from(["", "I. Văn phòng", "II. Tổ chức cán bộ"])),
                unit=draw(st.sampled_from(["", "VP", "TCCB"])),
                creator=draw(st.sampled_from(["", "Nguyễn Văn An"])),
                construction=draw(st.booleans()),
            )
            for notation in notations
        ],
    )


@st.composite
def filed_documents(
    draw: st.DrawFn, *, on: datetime.date, contents: Contents | None = None
) -> FiledDocument:
    """A complete filed document dated ``on``; its files' bytes go into ``contents``."""
    attachments = []
    names = draw(st.lists(_NAMES, min_size=1, max_size=3, unique=True))
    for name in names:
        data = draw(st.binary(min_size=0, max_size=2048))
        digest = hashlib.sha256(data).hexdigest()
        if contents is not None:
            contents[digest] = data
        media = _MEDIA[name.rsplit(".", 1)[1]]
        attachments.append(Attachment(name=name, media_type=media, size=len(data), sha256=digest))
    return FiledDocument(
        ordinal=0,
        source=DocumentRef(
            kind=draw(st.sampled_from(SourceKind)),
            key=draw(st.from_regex(r"[a-z0-9]{4,12}(/[0-9]{1,4})?", fullmatch=True)),
        ),
        type_name=draw(st.sampled_from(["Quyết định", "Công văn", "Báo cáo", "Tờ trình"])),
        subject=draw(vietnamese_text(min_size=3, max_size=80)),
        code_number=f"{draw(st.integers(1, 999)):02d}",
        code_notation=draw(st.sampled_from(["QĐ-UBND", "UBND-VP", "BC-STC", "TTr-SNV"])),
        issued_on=on,
        organ_name=draw(st.sampled_from(["UBND tỉnh Nghệ An", "Sở Tài chính", "Sở Nội vụ"])),
        signer_position="Chủ tịch",
        signer_name=draw(st.sampled_from(["Nguyễn Văn An", "Trần Thị Bình"])),
        page_amount=draw(st.integers(1, 200)),
        secret=False,
        attachments=attachments,
    )


@st.composite
def open_case_files(
    draw: st.DrawFn,
    *,
    agency: AgencyCode | None = None,
    min_documents: int = 0,
    max_documents: int = 4,
) -> tuple[CaseFile, Contents]:
    """An open file with ``min_documents``–``max_documents`` documents in date order, and
    their bytes."""
    code = draw(file_codes(agency))
    start = dt.date(code.year, 1, 1) + dt.timedelta(days=draw(st.integers(0, 200)))
    case = CaseFile(
        code=code,
        title=draw(vietnamese_text(min_size=3, max_size=80)),
        retention=draw(retentions()),
        unit=draw(st.sampled_from(["VP", "TCCB", "KHTC"])),
        creator=draw(st.sampled_from(["Nguyễn Văn An", "Lê Văn Cường"])),
        start_date=start,
    )
    contents: Contents = {}
    offsets = sorted(
        draw(st.lists(st.integers(0, 150), min_size=min_documents, max_size=max_documents))
    )
    for number, offset in enumerate(offsets):
        doc = draw(filed_documents(on=start + dt.timedelta(days=offset), contents=contents))
        doc = attrs.evolve(doc, source=DocumentRef(kind=doc.source.kind, key=f"d{number}"))
        case = case.file(doc)
    return case, contents


@st.composite
def closed_case_files(
    draw: st.DrawFn, *, agency: AgencyCode | None = None, max_documents: int = 4
) -> tuple[CaseFile, Contents]:
    """A closed, sealed file with 1–``max_documents`` documents, and their bytes."""
    case, contents = draw(
        open_case_files(agency=agency, min_documents=1, max_documents=max(1, max_documents))
    )
    last = max(d.issued_on for d in case.documents if d.issued_on is not None)
    end = last + dt.timedelta(days=draw(st.integers(0, 60)))
    return case.close(end_date=end), contents


__all__ = [
    "Contents",
    "closed_case_files",
    "file_codes",
    "file_lists",
    "file_notations",
    "filed_documents",
    "open_case_files",
    "retentions",
]
