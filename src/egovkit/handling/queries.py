"""What an office asks of its cases: work queues, overdue and due-soon lists, on-time rates by
unit and the share of documents sent and received electronically by level.

:class:`HandlingQueries` is the port; :class:`CaseQueries` answers it in Python over any
iterable of cases (the memory store, and the recomputation the SQL backends are tested
against). The rules, shared by every implementation:

- A *task* is one assignment of an open incoming case. Its deadline is its own, else the case's;
  a task without a deadline sorts last. Queues are ordered by deadline, case key, then the
  assignment's place on the case.
- *Overdue* at T: a task of role in charge or cooperating whose deadline is before T. *Due soon*:
  deadline in [T, until].
- *On time* (per unit in charge): incoming cases completed in [start, end), counted once per
  assignment in charge; on time when completed at or before the task's deadline (no deadline:
  on time). A reopened case counts when it is completed again.
- *Electronic share* (per level): incoming cases received in [start, end), outgoing ones issued
  in [start, end), and how many of each were electronic.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from datetime import datetime

import attrs

from egovkit.calendar import to_vietnam
from egovkit.errors import ValidationError
from egovkit.handling.model import Case, Flow, Level, Role, State


@attrs.frozen(kw_only=True)
class Task:
    """One line of a work queue: an assignment of an open incoming case."""

    case: str
    ordinal: int
    unit: str
    person: str
    role: Role
    due: datetime | None
    state: State


@attrs.frozen(kw_only=True)
class OnTimeRate:
    """A unit's completed assignments in charge in a period, and how many were on time."""

    unit: str
    completed: int
    on_time: int

    @property
    def rate(self) -> float | None:
        """On time / completed (``None`` when nothing was completed)."""
        return None if self.completed == 0 else self.on_time / self.completed


@attrs.frozen(kw_only=True)
class ElectronicShare:
    """Documents received and sent at one level in a period, and how many electronically."""

    level: Level
    received: int
    received_electronic: int
    sent: int
    sent_electronic: int

    @property
    def received_share(self) -> float | None:
        """Share of incoming documents received electronically (``None``: none received)."""
        return None if self.received == 0 else self.received_electronic / self.received

    @property
    def sent_share(self) -> float | None:
        """Share of outgoing documents sent electronically (``None``: none sent)."""
        return None if self.sent == 0 else self.sent_electronic / self.sent


def check_period(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """``start`` and ``end`` in Vietnam time, refused when ``end`` comes first."""
    start, end = to_vietnam(start, where="start"), to_vietnam(end, where="end")
    if end < start:
        raise ValidationError("a period ends before it starts", code="handling.period", where="end")
    return start, end


class HandlingQueries(abc.ABC):
    """The questions of the module docstring; stores with SQL answer them in SQL."""

    @abc.abstractmethod
    def work_queue(self, *, unit: str = "", person: str = "") -> list[Task]:
        """Open tasks of ``unit`` and/or ``person`` (empty: everyone's)."""

    @abc.abstractmethod
    def overdue(self, at: datetime, *, unit: str = "", person: str = "") -> list[Task]:
        """Tasks in charge or cooperating whose deadline is before ``at``."""

    @abc.abstractmethod
    def due_soon(
        self, at: datetime, until: datetime, *, unit: str = "", person: str = ""
    ) -> list[Task]:
        """Tasks in charge or cooperating whose deadline is in [``at``, ``until``]."""

    @abc.abstractmethod
    def on_time_rates(self, start: datetime, end: datetime) -> list[OnTimeRate]:
        """Per unit in charge (sorted by unit), assignments completed in [start, end)."""

    @abc.abstractmethod
    def electronic_share(self, start: datetime, end: datetime) -> list[ElectronicShare]:
        """Per level (in :class:`~egovkit.handling.model.Level` order, levels with nothing left
        out)."""


def tasks_of(case: Case) -> list[Task]:
    """The tasks of ``case`` (none once it is closed, or for an outgoing case)."""
    if case.flow is not Flow.INCOMING or not case.is_open:
        return []
    return [
        Task(
            case=case.key,
            ordinal=index,
            unit=a.unit,
            person=a.person,
            role=a.role,
            due=case.due_of(a),
            state=case.state,
        )
        for index, a in enumerate(case.assignments)
    ]


def _order(task: Task) -> tuple[bool, datetime | None, str, int]:
    return (task.due is None, task.due, task.case, task.ordinal)


class CaseQueries(HandlingQueries):
    """The queries over cases held in Python (re-read on each call from ``cases``)."""

    def __init__(self, cases: Iterable[Case] | None = None) -> None:
        self._cases: list[Case] = list(cases or ())

    def cases(self) -> Iterable[Case]:
        """The cases asked about (subclasses may read them afresh)."""
        return self._cases

    def _tasks(self, unit: str, person: str) -> list[Task]:
        found = [
            task
            for case in self.cases()
            for task in tasks_of(case)
            if (not unit or task.unit == unit) and (not person or task.person == person)
        ]
        return sorted(found, key=_order)

    def work_queue(self, *, unit: str = "", person: str = "") -> list[Task]:
        return self._tasks(unit, person)

    def overdue(self, at: datetime, *, unit: str = "", person: str = "") -> list[Task]:
        at = to_vietnam(at, where="at")
        return [
            t
            for t in self._tasks(unit, person)
            if t.role is not Role.INFORMATION and t.due is not None and t.due < at
        ]

    def due_soon(
        self, at: datetime, until: datetime, *, unit: str = "", person: str = ""
    ) -> list[Task]:
        at, until = check_period(at, until)
        return [
            t
            for t in self._tasks(unit, person)
            if t.role is not Role.INFORMATION and t.due is not None and at <= t.due <= until
        ]

    def on_time_rates(self, start: datetime, end: datetime) -> list[OnTimeRate]:
        start, end = check_period(start, end)
        completed: dict[str, int] = {}
        on_time: dict[str, int] = {}
        for case in self.cases():
            done = case.completed_at
            if case.flow is not Flow.INCOMING or done is None or not start <= done < end:
                continue
            for assignment in case.assignments:
                if assignment.role is not Role.IN_CHARGE:
                    continue
                unit = assignment.unit
                completed[unit] = completed.get(unit, 0) + 1
                due = case.due_of(assignment)
                if due is None or done <= due:
                    on_time[unit] = on_time.get(unit, 0) + 1
        return [
            OnTimeRate(unit=unit, completed=completed[unit], on_time=on_time.get(unit, 0))
            for unit in sorted(completed)
        ]

    def electronic_share(self, start: datetime, end: datetime) -> list[ElectronicShare]:
        start, end = check_period(start, end)
        counts = {level: [0, 0, 0, 0] for level in Level}
        for case in self.cases():
            row = counts[case.level]
            if case.flow is Flow.INCOMING and start <= case.opened_at < end:
                row[0] += 1
                row[1] += case.electronic
            elif case.flow is Flow.OUTGOING and case.issued_at and start <= case.issued_at < end:
                row[2] += 1
                row[3] += case.electronic
        return [
            ElectronicShare(
                level=level,
                received=r[0],
                received_electronic=r[1],
                sent=r[2],
                sent_electronic=r[3],
            )
            for level, r in counts.items()
            if any(r)
        ]


__all__ = [
    "CaseQueries",
    "ElectronicShare",
    "HandlingQueries",
    "OnTimeRate",
    "Task",
    "check_period",
    "tasks_of",
]
