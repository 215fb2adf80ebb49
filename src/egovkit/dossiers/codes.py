"""Dossier codes (mã hồ sơ) ``{AgencyCode}-{yyMMdd}-{NNNN}``, allocated per unit per day.

The number is a counter of the receiving unit, reset every day (in Vietnam's time), taken from a
:class:`~egovkit.ports.SequenceAllocator` under one :class:`~egovkit.ports.SequenceKey` per unit
and day, so two desks of the same unit never hand out the same code.

Past 9,999 dossiers in one day the four digits run out. By default the number simply grows
(``…-10000``): codes stay unique and sort by unit and day, and ministry portals already use
longer counters. A unit whose partners accept four digits only chooses
``CodeOverflow.REFUSE``, and the 10,000th allocation raises
:class:`DossierCodeExhaustedError` instead.
"""

from __future__ import annotations

import enum
import re
from datetime import date, datetime
from typing import Final

import attrs

from egovkit.agencies import AgencyCode
from egovkit.calendar import to_vietnam
from egovkit.errors import ConflictError, ParseError, ValidationError
from egovkit.ports import SequenceAllocator, SequenceKey

#: The sequence namespace of dossier codes: ``dossier-code/{agency}/{yyyy-mm-dd}``.
SEQUENCE_NAMESPACE: Final = "dossier-code"
#: The largest number written with the standard four digits.
FOUR_DIGIT_LIMIT: Final = 9_999
_CODE = re.compile(r"([0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2})-([0-9]{6})-([0-9]{4,})")


class CodeOverflow(enum.Enum):
    """What happens after the 9,999th dossier of a unit in a day."""

    WIDEN = "widen"  # 10000, 10001, …: the number takes the digits it needs
    REFUSE = "refuse"  # raise DossierCodeExhaustedError


class DossierCodeExhaustedError(ConflictError):
    """A unit received more dossiers in a day than four-digit codes allow, under
    ``CodeOverflow.REFUSE`` (code ``dossier.code.exhausted``)."""

    default_code = "dossier.code.exhausted"


def _number(_instance: object, _attribute: object, value: int) -> None:
    if type(value) is not int or value < 1:
        raise ValidationError(
            f"a dossier number is a whole number >= 1, not {value!r}",
            code="dossier.code.number",
            where="code",
        )


def _day(_instance: object, _attribute: object, value: date) -> None:
    if isinstance(value, datetime) or not 2000 <= value.year <= 2099:
        raise ValidationError(
            f"a dossier code's day is a date of 2000–2099, not {value!r}",
            code="dossier.code.day",
            where="code",
        )


@attrs.frozen(kw_only=True, order=True)
class DossierCode:
    """A dossier code such as ``000.00.01.H53-260213-0042``.

    >>> from egovkit.dossiers import DossierCode
    >>> code = DossierCode.parse("000.00.01.H53-260213-0042")
    >>> code.day, code.number, str(code.agency)
    (datetime.date(2026, 2, 13), 42, '000.00.01.H53')
    """

    agency: AgencyCode = attrs.field(order=str)
    day: date = attrs.field(validator=_day)
    number: int = attrs.field(validator=_number)

    def __str__(self) -> str:
        # Not "{day:%y%m%d}": strftime costs several times this, for every dossier stored; the
        # day is validated to 2000-2099, so year % 100 is what %y gives.
        day = self.day
        return f"{self.agency}-{day.year % 100:02d}{day.month:02d}{day.day:02d}-{self.number:04d}"

    @classmethod
    def parse(cls, text: str) -> DossierCode:
        """Read the canonical text back; anything else raises
        :class:`~egovkit.errors.ParseError` (``dossier.code.syntax``, ``.date``, ``.number``)."""
        raw: object = text
        match = _CODE.fullmatch(raw) if isinstance(raw, str) else None
        if match is None:
            raise ParseError(
                f"{text!r} is not a dossier code (mã hồ sơ) like 000.00.01.H53-260213-0042",
                code="dossier.code.syntax",
                where="code",
            )
        agency_text, day_text, number_text = match.groups()
        try:
            day = date(2000 + int(day_text[:2]), int(day_text[2:4]), int(day_text[4:]))
        except ValueError as exc:
            raise ParseError(
                f"{day_text!r} in {text!r} is not a date yyMMdd",
                code="dossier.code.date",
                where="code",
                position=match.start(2),
            ) from exc
        number = int(number_text)
        if number < 1 or number_text != f"{number:04d}":
            raise ParseError(
                f"{number_text!r} in {text!r} is not a dossier number (1–9999 in four digits, "
                "larger numbers without leading zeros)",
                code="dossier.code.number",
                where="code",
                position=match.start(3),
            )
        return cls(agency=AgencyCode.parse(agency_text), day=day, number=number)

    @staticmethod
    def sequence_key(agency: AgencyCode, day: date) -> SequenceKey:
        """The counter of ``agency``'s dossiers received on ``day``."""
        return SequenceKey(SEQUENCE_NAMESPACE, (str(agency), day.isoformat()))


def allocate_dossier_code(
    sequences: SequenceAllocator,
    agency: AgencyCode,
    at: datetime,
    *,
    overflow: CodeOverflow = CodeOverflow.WIDEN,
) -> DossierCode:
    """The next code of ``agency`` for a dossier received at ``at`` (aware; its date in Vietnam
    decides the day).

    >>> from datetime import datetime
    >>> from egovkit.agencies import AgencyCode
    >>> from egovkit.calendar import VIETNAM_TZ
    >>> from egovkit.dossiers import allocate_dossier_code
    >>> from egovkit.storage.memory import MemorySequenceAllocator
    >>> sequences = MemorySequenceAllocator()
    >>> unit = AgencyCode.parse("000.00.01.H53")
    >>> str(allocate_dossier_code(sequences, unit, datetime(2026, 2, 13, 9, tzinfo=VIETNAM_TZ)))
    '000.00.01.H53-260213-0001'
    """
    day = to_vietnam(at, where="at").date()
    number = sequences.allocate(DossierCode.sequence_key(agency, day))
    if number > FOUR_DIGIT_LIMIT and overflow is CodeOverflow.REFUSE:
        raise DossierCodeExhaustedError(
            f"{agency} has used all {FOUR_DIGIT_LIMIT} dossier codes of {day.isoformat()}",
            where="code",
        )
    return DossierCode(agency=agency, day=day, number=number)


__all__ = [
    "FOUR_DIGIT_LIMIT",
    "SEQUENCE_NAMESPACE",
    "CodeOverflow",
    "DossierCode",
    "DossierCodeExhaustedError",
    "allocate_dossier_code",
]
