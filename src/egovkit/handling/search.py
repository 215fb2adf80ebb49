"""Finding documents (handling cases) by number, notation, type, issuer, dates, subject words,
state and person in charge — with or without Vietnamese diacritics.

:class:`CaseSearch` is the port; :class:`CaseIndex` answers it in Python (the memory store, and
the definition the SQL backends are tested against: SQLite FTS5 and PostgreSQL full-text). The
rules:

- Words are runs of letters and digits, NFC, lower case. A query word **without** diacritics
  matches a word of the text with or without them ("huong" finds "Hường" and "Hương"); a word
  **with** diacritics matches that spelling only ("hường" finds "Hường", not "Hương"). Every word
  of the query must be found (AND). ``đ`` counts as a diacritic of ``d``.
- ``number`` compares the number part of the số, ký hiệu without leading zeros ("05" = "5");
  ``notation`` is compared exactly (abbreviations are case-sensitive: QĐ is not QyĐ);
  ``document_type`` is the type abbreviation (``""`` for a công văn; ``None``: any).
- ``date_from``/``date_to`` bound the document's date (its own date, else the day it was
  received or opened, in Vietnam), both inclusive.
- ``person`` is someone assigned with the role in charge (chủ trì).
- Results are the matching case keys in code-point order.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Iterable
from datetime import date
from typing import Final

import attrs

from egovkit.calendar import to_vietnam
from egovkit.handling.model import Case, Flow, Role, State
from egovkit.text import clean, fold, nfc

_WORD: Final = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of ``text`` (NFC, lower case)."""
    return _WORD.findall(nfc(text).lower())


def plain(word: str) -> bool:
    """Whether ``word`` has no diacritics (so it matches with or without them)."""
    return fold(word) == word


def split_number(text: str) -> tuple[str, str]:
    """The number part (without leading zeros) and the notation of a số, ký hiệu:
    ``"05/QĐ-UBND"`` → ``("5", "QĐ-UBND")``."""
    number, _, notation = clean(text).partition("/")
    number = number.strip()
    if number.isdigit():
        number = str(int(number))
    return number, notation.strip()


def document_day(case: Case) -> int:
    """The document's date as an ordinal day (its own date, else the day it was opened)."""
    when = case.document_date or case.opened_at
    return to_vietnam(when, where="date").date().toordinal()


@attrs.frozen(kw_only=True)
class SearchQuery:
    """What to look for; empty or ``None`` fields do not filter."""

    text: str = ""
    issuer: str = ""
    number: str = ""
    notation: str = ""
    document_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    state: State | None = None
    flow: Flow | None = None
    person: str = attrs.field(default="", converter=clean)


@attrs.frozen(kw_only=True)
class Terms:
    """The searchable words of one case: exact (with diacritics) and folded, per field."""

    subject: tuple[str, ...]
    subject_folded: tuple[str, ...]
    issuer: tuple[str, ...]
    issuer_folded: tuple[str, ...]


def terms_of(case: Case) -> Terms:
    """The searchable words of ``case``."""
    subject, issuer = words(case.subject), words(case.issuer)
    return Terms(
        subject=tuple(subject),
        subject_folded=tuple(fold(w) for w in subject),
        issuer=tuple(issuer),
        issuer_folded=tuple(fold(w) for w in issuer),
    )


def _words_match(query: str, exact: Iterable[str], folded: Iterable[str]) -> bool:
    exact_set, folded_set = set(exact), set(folded)
    return all((w in folded_set) if plain(w) else (w in exact_set) for w in words(query))


def matches(case: Case, query: SearchQuery) -> bool:
    """Whether ``case`` answers ``query`` (the rules of the module docstring)."""
    if query.flow is not None and case.flow is not query.flow:
        return False
    if query.state is not None and case.state is not query.state:
        return False
    if query.document_type is not None and case.document_type != nfc(query.document_type):
        return False
    number, notation = split_number(case.number)
    if query.number and number != split_number(query.number)[0]:
        return False
    if query.notation and notation != clean(query.notation):
        return False
    day = document_day(case)
    if query.date_from is not None and day < query.date_from.toordinal():
        return False
    if query.date_to is not None and day > query.date_to.toordinal():
        return False
    if query.person and not any(
        a.role is Role.IN_CHARGE and a.person == query.person for a in case.assignments
    ):
        return False
    terms = terms_of(case)
    return _words_match(query.text, terms.subject, terms.subject_folded) and _words_match(
        query.issuer, terms.issuer, terms.issuer_folded
    )


class CaseSearch(abc.ABC):
    """The search port; stores with full-text search answer it there."""

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> list[str]:
        """The keys of the cases that answer ``query``, in code-point order."""


class CaseIndex(CaseSearch):
    """The search over cases held in Python."""

    def __init__(self, cases: Iterable[Case] | None = None) -> None:
        self._cases = list(cases or ())

    def cases(self) -> Iterable[Case]:
        """The cases searched (subclasses may read them afresh)."""
        return self._cases

    def search(self, query: SearchQuery) -> list[str]:
        return sorted(case.key for case in self.cases() if matches(case, query))


__all__ = [
    "CaseIndex",
    "CaseSearch",
    "SearchQuery",
    "Terms",
    "document_day",
    "matches",
    "plain",
    "split_number",
    "terms_of",
    "words",
]
