"""The rows a SQL store keeps per case so that SQL answers
:class:`~egovkit.handling.queries.HandlingQueries` without reading JSON: one row per case, one
per assignment and one of words for search.

Instants are whole microseconds since 1970-01-01 UTC; a missing instant is :data:`FAR_FUTURE`
(no deadline: due after every instant, so never overdue and sorted last).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

from egovkit.handling.model import Case, Flow
from egovkit.handling.search import document_day, split_number, terms_of

#: An instant after every real one (microseconds).
FAR_FUTURE: Final = 2**62
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)

#: key, flow (0 incoming, 1 outgoing), state, level, electronic, open, opened_at, completed_at,
#: issued_at, then for search: number (without leading zeros), notation, document_type, day
#: (the document's date as an ordinal).
CaseRow = tuple[str, int, str, str, int, int, int, int, int, str, str, str, int]
#: key, ordinal, unit, person, role, due_at.
TaskRow = tuple[str, int, str, str, str, int]
#: key, then the words of the subject and the issuer, exact and folded, each space-separated
#: (:func:`egovkit.handling.search.terms_of`).
TextRow = tuple[str, str, str, str, str]


def micros(instant: datetime | None) -> int:
    """``instant`` as microseconds since the epoch (``None``: :data:`FAR_FUTURE`)."""
    if instant is None:
        return FAR_FUTURE
    return (instant - _EPOCH) // _MICROSECOND


def instant(value: int) -> datetime | None:
    """The instant :func:`micros` gave (``None`` for :data:`FAR_FUTURE`), in UTC."""
    return None if value >= FAR_FUTURE else _EPOCH + value * _MICROSECOND


def facts_of(case: Case) -> tuple[CaseRow, list[TaskRow], TextRow]:
    """The case row, task rows and text row of ``case``."""
    number, notation = split_number(case.number)
    terms = terms_of(case)
    text: TextRow = (
        case.key,
        " ".join(terms.subject),
        " ".join(terms.subject_folded),
        " ".join(terms.issuer),
        " ".join(terms.issuer_folded),
    )
    row: CaseRow = (
        case.key,
        0 if case.flow is Flow.INCOMING else 1,
        case.state.value,
        case.level.value,
        int(case.electronic),
        int(case.is_open),
        micros(case.opened_at),
        micros(case.completed_at),
        micros(case.issued_at),
        number,
        notation,
        case.document_type,
        document_day(case),
    )
    tasks: list[TaskRow] = [
        (case.key, index, a.unit, a.person, a.role.value, micros(case.due_of(a)))
        for index, a in enumerate(case.assignments)
    ]
    return row, tasks, text


__all__ = ["FAR_FUTURE", "CaseRow", "TaskRow", "TextRow", "facts_of", "instant", "micros"]
