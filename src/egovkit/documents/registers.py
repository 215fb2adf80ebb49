"""Registers (sổ đăng ký văn bản đi / đến): yearly numbers and arrival numbers.

Numbers run from 1 each calendar year per register; secret documents (văn bản mật) have their
own sequence (Decree 30/2020 Art. 15, 22). Numbers come from a
:class:`~egovkit.ports.SequenceAllocator`, so any store that implements it keeps them gap-free.
A document is checked *before* a number is taken, so a rejected document never leaves a gap.
"""

from __future__ import annotations

import datetime as dt

import attrs

from egovkit.agencies.codes import AgencyCode
from egovkit.documents.model import Direction, Document
from egovkit.documents.numbers import DocumentNumber, notation_for
from egovkit.documents.validation import check
from egovkit.errors import ValidationError
from egovkit.ports import SequenceAllocator, SequenceKey
from egovkit.text import clean


@attrs.frozen(kw_only=True)
class Register:
    """One register of one agency: ``direction`` tells đi from đến; ``name`` tells apart several
    registers of the same direction (e.g. one per type for a busy office)."""

    agency: AgencyCode
    direction: Direction
    name: str = attrs.field(default="main", converter=clean)

    def sequence(self, year: int, *, secret: bool) -> SequenceKey:
        """The counter of this register for ``year``; secret documents count separately."""
        return SequenceKey(
            "register",
            (
                str(self.agency),
                self.direction.value,
                self.name,
                str(year),
                "secret" if secret else "ordinary",
            ),
        )


@attrs.frozen(kw_only=True)
class RegisterEntry:
    """A line of a register: the number given (số đi or số đến), the day, and the document."""

    register: Register
    year: int
    number: int
    secret: bool
    registered_on: dt.date
    document: Document


class Registrar:
    """Numbers and records documents in registers, through a sequence allocator."""

    def __init__(self, allocator: SequenceAllocator) -> None:
        self._allocator = allocator

    def register_outgoing(
        self,
        register: Register,
        document: Document,
        *,
        issuer_abbreviation: str,
        unit_or_field: str | None = None,
    ) -> RegisterEntry:
        """Give an outgoing document its number and notation (``15/QĐ-UBND``) and record it.

        ``unit_or_field`` (drafting unit or field) completes the notation of documents without a
        type abbreviation only: ``UBND-VP`` for a công văn.

        The document must have a date; the number is the next one of that year's register.
        Raises :class:`~egovkit.errors.ValidationError` listing every problem, before any number
        is taken.
        """
        _expect(register, document, Direction.OUTGOING)
        if document.issued_on is None:
            raise ValidationError(
                "an outgoing document needs its date before it is numbered",
                code="register.no_date",
                where="issued_on",
            )
        notation = notation_for(document.type, issuer_abbreviation, unit_or_field)
        check(attrs.evolve(document, number=DocumentNumber(number=1, notation=notation)))
        year = document.issued_on.year
        key = register.sequence(year, secret=document.is_secret)
        number = self._allocator.allocate(key)
        numbered = attrs.evolve(document, number=DocumentNumber(number=number, notation=notation))
        return RegisterEntry(
            register=register,
            year=year,
            number=number,
            secret=document.is_secret,
            registered_on=document.issued_on,
            document=numbered,
        )

    def register_incoming(
        self, register: Register, document: Document, *, received_on: dt.date
    ) -> RegisterEntry:
        """Give an incoming document its arrival number (số đến) for ``received_on``'s year.

        An incoming document that fails the checks is refused (Art. 21: return it to the sender)
        and takes no number.
        """
        _expect(register, document, Direction.INCOMING)
        check(document)
        key = register.sequence(received_on.year, secret=document.is_secret)
        number = self._allocator.allocate(key)
        return RegisterEntry(
            register=register,
            year=received_on.year,
            number=number,
            secret=document.is_secret,
            registered_on=received_on,
            document=document,
        )


def _expect(register: Register, document: Document, direction: Direction) -> None:
    if register.direction is not direction or document.direction is not direction:
        raise ValidationError(
            f"a {document.direction.value} document cannot go in the {register.direction.value} "
            f"register through register_{direction.value}",
            code="register.direction",
            where="direction",
        )
