"""The steps whose content needs the calendar: a direction's deadline and an assignment's
default deadline. Events leave the desk with their deadlines resolved, so a case is replayed
from its events alone (no calendar, no policy), years later, with the same result.

The default deadline (no direction set one) counts the policy's working days for the document
type from the case's receipt (ngày đến) — an assumption: agencies that count from the day of
assignment pass ``counted_from_assignment=True``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from egovkit.calendar import WorkCalendar
from egovkit.handling.deadlines import DeadlinePolicy, default_policy
from egovkit.handling.model import Action, Assignment, Case, Event


class Desk:
    """Makes direction and assignment events on one office's calendar and deadline policy."""

    def __init__(
        self,
        calendar: WorkCalendar | None = None,
        policy: DeadlinePolicy | None = None,
        *,
        counted_from_assignment: bool = False,
    ) -> None:
        self.calendar = calendar or WorkCalendar()
        self.policy = policy or default_policy()
        self.counted_from_assignment = counted_from_assignment

    def direct(
        self,
        case: Case,
        *,
        actor: str,
        at: datetime,
        text: str,
        due: datetime | None = None,
        working_days: int | None = None,
    ) -> Event:
        """A leader's direction (ý kiến chỉ đạo), with its deadline when it sets one: a date
        (``due``) or a number of working days from ``at``."""
        if due is None and working_days is not None:
            due = self.policy.due(self.calendar, at, working_days=working_days)
        return Event(action=Action.DIRECT, at=at, actor=actor, text=text, due=due)

    def assign(
        self, case: Case, *, actor: str, at: datetime, assignments: Iterable[Assignment]
    ) -> Event:
        """An assignment (giao xử lý); a case with no deadline yet gets the policy's default
        for its document type."""
        due = None
        if case.due is None:
            start = at if self.counted_from_assignment else case.opened_at
            due = self.policy.due(self.calendar, start, document_type=case.document_type)
        return Event(
            action=Action.ASSIGN, at=at, actor=actor, assignments=tuple(assignments), due=due
        )


__all__ = ["Desk"]
