"""Document types of Decree 30/2020/NĐ-CP (Art. 7, Phụ lục III): 29 types and 3 copy kinds.

The list is versioned data (``data/document_types.csv``) with the regulation and effective date of
each entry, so a later decree adds rows instead of changing code. Abbreviations are
case-sensitive: ``QĐ`` (Quyết định) is not ``QyĐ`` (Quy định). Công văn and Thư công have none.
"""

from __future__ import annotations

import csv
import enum
from datetime import date
from functools import cache
from importlib import resources

import attrs

from egovkit.errors import NotFoundError
from egovkit.text import fold, nfc


class TypeKind(enum.Enum):
    """Whether a type is an administrative document or a copy (bản sao)."""

    ADMINISTRATIVE = "administrative"  # văn bản hành chính
    COPY = "copy"  # bản sao: sao y, trích sao, sao lục


@attrs.frozen(kw_only=True)
class DocumentType:
    """One document type (loại văn bản), e.g. ``Quyết định`` with abbreviation ``QĐ``.

    >>> DocumentType.from_abbreviation("QyĐ").name
    'Quy định'
    >>> DocumentType.get("official_letter").abbreviation is None
    True
    """

    key: str
    name: str
    abbreviation: str | None
    kind: TypeKind
    regulation: str
    effective_from: date
    effective_to: date | None = None

    def __str__(self) -> str:
        return self.name

    def is_in_force(self, on: date) -> bool:
        """True when the type is defined on ``on``."""
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)

    @classmethod
    def all(cls, *, on: date | None = None) -> tuple[DocumentType, ...]:
        """Every type in the table order (in force on ``on``, when given)."""
        return tuple(t for t in _table() if on is None or t.is_in_force(on))

    @classmethod
    def get(cls, key: str) -> DocumentType:
        """The type with the stable English ``key`` (``"decision"``, ``"official_letter"`` …)."""
        for item in _table():
            if item.key == key:
                return item
        raise NotFoundError(
            f"no document type with key {key!r}", code="document_type.key", where="type"
        )

    @classmethod
    def from_abbreviation(cls, abbreviation: str, *, on: date | None = None) -> DocumentType:
        """The type whose notation abbreviation is exactly ``abbreviation`` (case-sensitive)."""
        wanted = nfc(abbreviation.strip())
        for item in cls.all(on=on):
            if item.abbreviation == wanted:
                return item
        hint = ""
        near = [
            t.abbreviation
            for t in cls.all(on=on)
            if (t.abbreviation or "").upper() == wanted.upper()
        ]
        if near:
            hint = f"; abbreviations are case-sensitive, did you mean {near[0]!r}?"
        raise NotFoundError(
            f"no document type (loại văn bản) abbreviated {abbreviation!r}{hint}",
            code="document_type.abbreviation",
            where="type",
        )

    @classmethod
    def from_name(cls, name: str, *, on: date | None = None) -> DocumentType:
        """The type called ``name``: exact (NFC) first, then ignoring case and diacritics.

        Real messages carry names such as ``"Cong van"``; ``"Quyết định"`` also finds
        ``"Quyết định (cá biệt)"``.
        """
        candidates = cls.all(on=on)
        wanted = nfc(name.strip())
        for item in candidates:
            if wanted in (item.name, _short(item.name)):
                return item
        key = fold(wanted)
        folded = [t for t in candidates if key in (fold(t.name), fold(_short(t.name)))]
        if len(folded) == 1:
            return folded[0]
        raise NotFoundError(
            f"no document type (loại văn bản) named {name!r}",
            code="document_type.name",
            where="type",
        )


def _short(name: str) -> str:
    """``"Quyết định (cá biệt)"`` → ``"Quyết định"``."""
    return name.split(" (", 1)[0]


@cache
def _table() -> tuple[DocumentType, ...]:
    text = (
        resources.files("egovkit.documents")
        .joinpath("data/document_types.csv")
        .read_text(encoding="utf-8")
    )
    rows = csv.DictReader(text.splitlines())
    return tuple(
        DocumentType(
            key=row["key"],
            name=nfc(row["name"]),
            abbreviation=nfc(row["abbreviation"]) or None,
            kind=TypeKind(row["kind"]),
            regulation=row["regulation"],
            effective_from=date.fromisoformat(row["effective_from"]),
            effective_to=date.fromisoformat(row["effective_to"]) if row["effective_to"] else None,
        )
        for row in rows
    )
