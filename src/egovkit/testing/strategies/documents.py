"""Strategies for document numbers, notations and whole documents (Decree 30/2020)."""

from __future__ import annotations

import datetime as dt
import string

import attrs
from hypothesis import strategies as st

from egovkit.documents import (
    AgencyRef,
    Attachment,
    Competence,
    Direction,
    Document,
    DocumentNumber,
    DocumentType,
    Secrecy,
    Signer,
    Urgency,
)
from egovkit.documents.numbers import MAX_NOTATION_LENGTH
from egovkit.testing.strategies.agencies import agency_codes

_VIETNAMESE_LETTERS = (
    string.ascii_letters
    + "ăâđêôơưĂÂĐÊÔƠƯ"
    + "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    + "ÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
)


def vietnamese_text(*, min_size: int = 1, max_size: int = 60) -> st.SearchStrategy[str]:
    """Short Vietnamese-looking text, already clean (NFC, single spaces, no outer spaces)."""
    word = st.text(_VIETNAMESE_LETTERS + string.digits, min_size=1, max_size=10)
    return (
        st.lists(word, min_size=1, max_size=8)
        .map(" ".join)
        .filter(lambda t: min_size <= len(t) <= max_size)
    )


def document_types(*, with_abbreviation: bool | None = None) -> st.SearchStrategy[DocumentType]:
    """Types of Phụ lục III (optionally only those with / without an abbreviation)."""
    choices = [
        t
        for t in DocumentType.all()
        if with_abbreviation is None or (t.abbreviation is not None) == with_abbreviation
    ]
    return st.sampled_from(choices)


def _notation_part() -> st.SearchStrategy[str]:
    return st.text(string.ascii_uppercase + "ĐƯ", min_size=1, max_size=6)


def notations() -> st.SearchStrategy[str]:
    """Well-formed notations such as ``QĐ-UBND`` or ``UBND-VX``."""
    typed = st.builds(
        lambda t, p: f"{t.abbreviation}-{p}",
        document_types(with_abbreviation=True),
        _notation_part(),
    )
    plain = st.lists(_notation_part(), min_size=1, max_size=3).map("-".join)
    return st.one_of(typed, plain).filter(lambda n: len(n) <= MAX_NOTATION_LENGTH)


def document_numbers() -> st.SearchStrategy[DocumentNumber]:
    """Valid numbers: mostly small, sometimes with a year (legal normative documents)."""
    return st.builds(
        DocumentNumber,
        number=st.one_of(st.integers(1, 99), st.integers(1, 10**11 - 1)),
        notation=notations(),
        year=st.one_of(st.none(), st.integers(1990, 2099)),
    )


def invalid_document_number_texts() -> st.SearchStrategy[str]:
    """Text that :meth:`~egovkit.documents.numbers.DocumentNumber.parse` must refuse."""
    valid = document_numbers().map(str)
    return st.one_of(
        valid.map(lambda t: t.replace("/", " ", 1)),  # no separator
        valid.map(lambda t: t + "-"),  # dangling dash
        valid.map(lambda t: "0/" + t.split("/")[-1]),  # number zero
        valid.map(lambda t: t.split("/")[-1]),  # notation only
        valid.map(lambda t: t.split("/")[0] + "/"),  # number only
        st.text(string.ascii_letters + " ", max_size=15),  # no number at all
    )


def agency_refs() -> st.SearchStrategy[AgencyRef]:
    """Agencies as documents name them, with or without a code."""
    return st.builds(AgencyRef, name=vietnamese_text(), code=st.one_of(st.none(), agency_codes()))


def signers() -> st.SearchStrategy[Signer]:
    """Signers with a name, a position and sometimes a competence (KT., TL. …)."""
    return st.builds(
        Signer,
        full_name=vietnamese_text(max_size=40),
        position=vietnamese_text(max_size=40),
        competence=st.one_of(st.none(), st.sampled_from(Competence)),
        on_behalf_of=st.one_of(st.none(), vietnamese_text(max_size=40)),
    )


def attachments() -> st.SearchStrategy[Attachment]:
    """Attachment descriptions with plausible names, media types and digests."""
    return st.builds(
        Attachment,
        name=st.builds(
            lambda stem, ext: f"{stem}.{ext}",
            st.text(string.ascii_letters + string.digits + "_-", min_size=1, max_size=20),
            st.sampled_from(["pdf", "docx", "xlsx", "zip"]),
        ),
        media_type=st.sampled_from(
            ["application/pdf", "application/zip", "application/vnd.ms-excel"]
        ),
        size=st.integers(0, 2**40),
        sha256=st.text("0123456789abcdef", min_size=64, max_size=64),
    )


def _dates() -> st.SearchStrategy[dt.date]:
    return st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))


@st.composite
def documents(draw: st.DrawFn, *, direction: Direction | None = None) -> Document:
    """Documents that pass :func:`~egovkit.documents.validation.check` (no error findings)."""
    kind = direction or draw(st.sampled_from(Direction))
    doc_type = draw(document_types())
    issued_on = draw(_dates())
    number = draw(document_numbers())
    if number.year is not None:
        number = attrs.evolve(number, year=issued_on.year)
    names = draw(st.lists(attachments(), max_size=3, unique_by=lambda a: a.name))
    return Document(
        direction=kind,
        type=doc_type,
        issuer=draw(agency_refs()),
        number=number,
        place=draw(vietnamese_text(max_size=30)),
        issued_on=issued_on,
        subject=draw(vietnamese_text(max_size=200)),
        content=draw(st.one_of(vietnamese_text(max_size=500), st.just("")))
        if names
        else draw(vietnamese_text(max_size=500)),
        signer=draw(signers()),
        recipients=draw(st.lists(agency_refs(), min_size=1, max_size=4)),
        urgency=draw(st.one_of(st.none(), st.sampled_from(Urgency))),
        secrecy=draw(st.one_of(st.none(), st.sampled_from(Secrecy))),
        due_date=draw(st.one_of(st.none(), st.dates(issued_on, dt.date(2100, 12, 31)))),
        attachments=names,
    )


_REQUIRED = ("issuer", "number", "place", "issued_on", "subject", "signer")


@st.composite
def invalid_documents(draw: st.DrawFn) -> Document:
    """Documents with at least one error finding: required parts removed or a due date
    before the document date."""
    document = draw(documents(direction=Direction.OUTGOING))
    dropped = draw(
        st.lists(st.sampled_from(_REQUIRED), min_size=0, max_size=len(_REQUIRED), unique=True)
    )
    changes: dict[str, object] = dict.fromkeys(dropped)
    if not dropped or draw(st.booleans()):
        if draw(st.booleans()):
            changes["recipients"] = ()
        else:
            assert document.issued_on is not None
            changes["due_date"] = document.issued_on - dt.timedelta(days=1)
    return attrs.evolve(document, **changes)  # type: ignore[arg-type]
