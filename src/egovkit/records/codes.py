"""The file code (mã hồ sơ, FileCode): agency, year and the file's number and notation.

Decree 30/2020 Appendix VI Part II §III.1 makes FileCode three fields — OrganId (the agency's
electronic identifier, 13 characters), FileCatalog (the year the file is formed, 4 digits) and
FileNotation (số và ký hiệu hồ sơ, up to 20 characters, e.g. ``01.TCCB`` as in Appendix V §II).
The decree gives no separator for writing them as one string; egovkit joins them with ``.``
(``000.00.00.H41.2026.01.TCCB``), the form seen in public archive packages (an assumption).
"""

from __future__ import annotations

import re

import attrs

from egovkit.agencies.codes import AgencyCode
from egovkit.errors import ValidationError
from egovkit.text import clean

#: FileNotation: String, 20 (Appendix VI Part II §III.1.3).
MAX_NOTATION_LENGTH = 20
_NOTATION = re.compile(r"[0-9A-Za-zĐđ][0-9A-Za-zĐđ.\-_]*")


def _year(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999


def check_notation(value: str) -> str:
    """``value`` cleaned if it is a usable file notation (số và ký hiệu hồ sơ)."""
    text = clean(value)
    if not text or len(text) > MAX_NOTATION_LENGTH or not _NOTATION.fullmatch(text):
        raise ValidationError(
            f"a file notation is 1-{MAX_NOTATION_LENGTH} letters, digits, '.', '-' or '_' "
            f"(e.g. 01.TCCB): {value!r}",
            code="records.notation",
            where="notation",
        )
    return text


@attrs.frozen(kw_only=True)
class FileCode:
    """Mã hồ sơ: OrganId + FileCatalog + FileNotation."""

    agency: AgencyCode
    year: int
    notation: str = attrs.field(converter=check_notation)

    def __attrs_post_init__(self) -> None:
        if not _year(self.year):
            raise ValidationError(
                f"FileCatalog is a 4-digit year: {self.year!r}", code="records.year", where="year"
            )

    def __str__(self) -> str:
        return f"{self.agency}.{self.year}.{self.notation}"

    @classmethod
    def parse(cls, text: str) -> FileCode:
        """Read ``000.00.00.H41.2026.01.TCCB`` back."""
        parts = text.strip().split(".", 5)
        if len(parts) < 6 or not parts[4].isdigit():
            raise ValidationError(
                f"a file code is AGENCY.YEAR.NOTATION, e.g. 000.00.00.H41.2026.01.TCCB: {text!r}",
                code="records.file_code",
                where="code",
            )
        return cls(
            agency=AgencyCode.parse(".".join(parts[:4])), year=int(parts[4]), notation=parts[5]
        )


__all__ = ["MAX_NOTATION_LENGTH", "FileCode", "check_notation"]
