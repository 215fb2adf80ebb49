"""Number and notation (số, ký hiệu) of a document: ``15/QĐ-BNV``, ``05/BNV-VP``, ``30/2020/NĐ-CP``.

Decree 30/2020 (Art. 15, Phụ lục I): numbers start at 01 each year, numbers below 10 take a
leading zero, the notation joins the type abbreviation and the issuer's abbreviation with ``-``,
and ``/`` separates number and notation. Legal normative documents (văn bản quy phạm pháp luật)
put the year between them; that shape is read and written too.
"""

from __future__ import annotations

import re
from typing import Final

import attrs

from egovkit.documents.types import DocumentType
from egovkit.errors import ParseError, ValidationError
from egovkit.text import nfc

#: Longest notation a register stores (Phụ lục VI: CodeNotation, String 30).
MAX_NOTATION_LENGTH: Final = 30
#: Largest number a register stores (Phụ lục VI: CodeNumber, String 11).
MAX_NUMBER: Final = 99_999_999_999

# A notation: parts of letters/digits (any script, so Đ and other Vietnamese letters pass) joined
# by "-", with "." or "&" allowed inside a part (e.g. "BCĐ.389", "KH&ĐT").
_PART = r"[^\W_](?:[^\W_]|[.&](?=[^\W_]))*"
_NOTATION = re.compile(rf"{_PART}(?:-{_PART})*")
_NUMBER_TEXT = re.compile(r"(?P<number>[0-9]+)(?:/(?P<year>[0-9]{4}))?/(?P<notation>.+)")


def _as_text(value: object) -> str:
    """NFC text without outer spaces; non-text (from untyped callers) reads as empty."""
    return nfc(value.strip()) if isinstance(value, str) else ""


def _in_range(value: object, low: int, high: int) -> bool:
    """True for a whole number (not a bool) within ``low..high``; callers may pass anything."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _check_notation(notation: str) -> str | None:
    """Why ``notation`` is malformed, or None."""
    if not notation:
        return "notation (ký hiệu) is empty"
    if len(notation) > MAX_NOTATION_LENGTH:
        return f"notation {notation!r} is longer than {MAX_NOTATION_LENGTH} characters"
    if not _NOTATION.fullmatch(notation):
        return (
            f"notation {notation!r} must be letters or digits joined by '-' "
            "(no spaces, '/' or trailing dash)"
        )
    return None


@attrs.frozen(kw_only=True, order=False)
class DocumentNumber:
    """Số và ký hiệu văn bản.

    >>> n = DocumentNumber.parse("15/QĐ-BNV")
    >>> n.number, n.notation
    (15, 'QĐ-BNV')
    >>> str(DocumentNumber(number=5, notation="BNV-VP"))
    '05/BNV-VP'
    """

    number: int
    notation: str = attrs.field(converter=nfc)
    year: int | None = None

    def __attrs_post_init__(self) -> None:
        if not _in_range(self.number, 1, MAX_NUMBER):
            raise ValidationError(
                f"number {self.number} is outside 1..{MAX_NUMBER}",
                code="document_number.range",
                where="number",
            )
        if self.year is not None and not _in_range(self.year, 1900, 9999):
            raise ValidationError(
                f"year {self.year} is not a four-digit year",
                code="document_number.year",
                where="year",
            )
        problem = _check_notation(self.notation)
        if problem:
            raise ValidationError(problem, code="document_number.notation", where="notation")

    @classmethod
    def parse(cls, text: str) -> DocumentNumber:
        """Read ``"15/QĐ-BNV"`` (or ``"30/2020/NĐ-CP"``); leading zeros are optional on input."""
        value = _as_text(text)
        match = _NUMBER_TEXT.fullmatch(value)
        if match is None:
            slash = value.find("/")
            position = 0 if slash <= 0 else slash
            raise ParseError(
                f"{text!r} is not a document number and notation (số, ký hiệu) like '15/QĐ-BNV'",
                code="document_number.syntax",
                where="number",
                position=position,
            )
        notation = match["notation"]
        problem = _check_notation(notation)
        if problem:
            raise ParseError(
                problem,
                code="document_number.notation",
                where="notation",
                position=match.start("notation"),
            )
        number = int(match["number"])
        if not 1 <= number <= MAX_NUMBER:
            raise ParseError(
                f"number {match['number']} is outside 1..{MAX_NUMBER}",
                code="document_number.range",
                where="number",
                position=0,
            )
        year = int(match["year"]) if match["year"] else None
        try:
            return cls(number=number, notation=notation, year=year)
        except ValidationError as exc:
            raise ParseError(exc.message, code=exc.code, where=exc.where) from exc

    def __str__(self) -> str:
        year = f"/{self.year}" if self.year is not None else ""
        return f"{self.number:02d}{year}/{self.notation}"

    @property
    def notation_parts(self) -> tuple[str, ...]:
        """The notation split at ``-``: ``("QĐ", "BNV")``."""
        return tuple(self.notation.split("-"))

    @property
    def type_abbreviation(self) -> str | None:
        """The leading part when it is a known type abbreviation (None for a công văn)."""
        head = self.notation_parts[0]
        return head if head in {t.abbreviation for t in DocumentType.all()} else None


def notation_for(
    document_type: DocumentType, issuer_abbreviation: str, unit_or_field: str | None = None
) -> str:
    """Build a notation per Phụ lục I.

    A typed document: type + issuer (``QĐ-UBND``). A công văn or thư công has no type
    abbreviation: issuer + drafting unit or field (``UBND-VX``).

    >>> notation_for(DocumentType.get("decision"), "UBND")
    'QĐ-UBND'
    >>> notation_for(DocumentType.get("official_letter"), "BNV", "VP")
    'BNV-VP'
    """
    if document_type.abbreviation is not None and unit_or_field:
        raise ValidationError(
            f"a {document_type.name} takes no drafting unit or field in its notation "
            f"(only documents without a type abbreviation, such as a công văn, do)",
            code="document_number.unit_not_allowed",
            where="notation",
        )
    parts = [document_type.abbreviation, issuer_abbreviation, unit_or_field]
    notation = "-".join(nfc(p.strip()) for p in parts if p)
    problem = _check_notation(notation)
    if problem:
        raise ValidationError(problem, code="document_number.notation", where="notation")
    return notation
