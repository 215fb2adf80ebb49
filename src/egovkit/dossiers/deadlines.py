"""Deadline rules of a dossier, on top of :class:`~egovkit.calendar.work.WorkCalendar`.

- The clock starts when the dossier is received, at the next opening when that is outside
  office hours or at or after the procedure's own cut-off (the next working morning).
- The due instant (hạn trả kết quả) is the processing time counted from there.
- Steps of an inter-agency (liên thông) procedure are due one after another from the same start,
  each at the sum of the times of the steps up to it, so the last one is due at or before the
  whole dossier.
- A pause (supplement request, financial obligation, suspension) moves every open deadline by
  the time the clock stood still: office time for durations in working days or hours, whole
  calendar days for durations in calendar days (then rolled forward to a working day, as the
  calendar does). A deadline already past when the pause began does not move.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from egovkit.calendar import VIETNAM_TZ, Duration, DurationUnit, WorkCalendar, to_vietnam
from egovkit.dossiers.procedures import Procedure


def clock_start(calendar: WorkCalendar, received_at: datetime, procedure: Procedure) -> datetime:
    """When the processing time of a dossier received at ``received_at`` starts to run."""
    return calendar.receipt_start(received_at, cutoff=procedure.cutoff)


def due_from(calendar: WorkCalendar, start: datetime, duration: Duration) -> datetime:
    """The due instant of ``duration`` counted from the clock start ``start``."""
    return calendar.due(start, duration)


def step_deadlines(
    calendar: WorkCalendar, start: datetime, procedure: Procedure
) -> tuple[datetime, ...]:
    """The due instant of each step of ``procedure`` for a clock started at ``start``."""
    dues = []
    used = 0
    for step in procedure.steps:
        used += step.duration.amount
        dues.append(calendar.due(start, Duration(amount=used, unit=step.duration.unit)))
    return tuple(dues)


def shift_for_pause(
    calendar: WorkCalendar,
    due: datetime,
    unit: DurationUnit,
    paused_at: datetime,
    resumed_at: datetime,
) -> datetime:
    """``due`` moved by a pause from ``paused_at`` to ``resumed_at``.

    >>> from datetime import datetime
    >>> from egovkit.calendar import VIETNAM_TZ, DurationUnit, WorkCalendar
    >>> from egovkit.dossiers.deadlines import shift_for_pause
    >>> at = lambda *a: datetime(*a, tzinfo=VIETNAM_TZ)
    >>> shift_for_pause(WorkCalendar(), at(2026, 3, 13, 9), DurationUnit.WORKING_DAYS,
    ...                 at(2026, 3, 10, 9), at(2026, 3, 12, 9)).isoformat()  # 2 days paused
    '2026-03-17T09:00:00+07:00'
    """
    due = to_vietnam(due, where="due")
    if paused_at >= due or resumed_at <= paused_at:
        return due
    if unit is DurationUnit.CALENDAR_DAYS:
        days = (to_vietnam(resumed_at).date() - to_vietnam(paused_at).date()).days
        if days <= 0:
            return due
        day = due.date() + timedelta(days=days)
        return calendar.add_calendar_days(datetime.combine(day, time(0), VIETNAM_TZ), 0)
    if calendar.working_time_between(paused_at, resumed_at) <= timedelta(0):
        return due
    remaining = calendar.working_time_between(paused_at, due)
    return calendar.add_working_hours(resumed_at, remaining)


__all__ = ["clock_start", "due_from", "shift_for_pause", "step_deadlines"]
