"""Statistics of an agency's dossiers for a period, "as of" an instant (báo cáo tình hình giải
quyết hồ sơ), computed in pure Python over any iterable of dossiers.

Each figure is defined in :doc:`/explanation/dossiers-statistics` by the instants it compares, so
that a store computing the same figures in SQL gives the same numbers. In short, with the period
``[S, E)`` (from the first day's midnight to the midnight after the last day, Vietnam time) and
the reporting instant ``T = min(as_of, E)``, an event counts when it happened strictly before
``T``; every dossier received before ``T`` is either finished, withdrawn or stopped in the
period, or still open at ``T`` (in progress or paused), or was closed before the period began.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Final

import attrs

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ, to_vietnam
from egovkit.dossiers.model import Dossier
from egovkit.dossiers.parties import Channel
from egovkit.dossiers.status import DossierStatus
from egovkit.dossiers.transitions import TransitionRecord
from egovkit.errors import ValidationError

#: How far ahead "due soon" (sắp đến hạn) looks.
DUE_SOON: Final = timedelta(hours=24)


class AgencyRole(enum.Enum):
    """Which agency of a dossier a report is about."""

    COMPETENT = "competent"  # cơ quan có thẩm quyền giải quyết
    RECEIVING = "receiving"  # cơ quan tiếp nhận


class Timeliness(enum.Enum):
    """How a finished dossier met its due instant."""

    EARLY = "early"  # trước hạn: finished on a date before the due date
    ON_TIME = "on_time"  # đúng hạn: on the due date up to the due instant, or no due instant
    LATE = "late"  # quá hạn: after the due instant


def timeliness(finished_at: datetime, due_at: datetime | None) -> Timeliness:
    """Early, on time or late, comparing the finish with the due instant."""
    if due_at is None:
        return Timeliness.ON_TIME
    finished, due = to_vietnam(finished_at), to_vietnam(due_at)
    if finished > due:
        return Timeliness.LATE
    if finished.date() < due.date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


class Standing(enum.Enum):
    """Where a dossier stands at an instant, as the statistics count it."""

    NOT_RECEIVED = "not_received"  # not accepted (yet), or refused
    FINISHED = "finished"  # đã giải quyết
    WITHDRAWN = "withdrawn"  # đã rút
    STOPPED = "stopped"  # đã dừng giải quyết
    PAUSED = "paused"  # the clock stands still
    OVERDUE = "overdue"  # quá hạn
    DUE_SOON = "due_soon"  # sắp đến hạn: due within ``soon`` of the instant
    ON_TRACK = "on_track"  # trong hạn


def standing(dossier: Dossier, at: datetime, *, soon: timedelta = DUE_SOON) -> Standing:
    """Where ``dossier`` stands just before ``at``, counting only what happened before it:
    the test a desk runs to see that nothing is left to soak (ngâm hồ sơ). The statistics
    count each dossier by it, so a watch list and the report always agree."""
    at = to_vietnam(at, where="at")
    return _standing(dossier, at, at + soon)[0]


def _standing(
    dossier: Dossier, at: datetime, soon_at: datetime
) -> tuple[Standing, TransitionRecord | None]:
    """:func:`standing` with the instants ready, and the closing record it found."""
    received = dossier.received_at
    if received is None or received >= at:
        return Standing.NOT_RECEIVED, None
    closing = dossier.closing
    if closing is not None and closing.at < at:
        return _CLOSED[closing.target], closing
    if dossier.pauses and any(p.covers(at) for p in dossier.pauses):
        return Standing.PAUSED, closing
    due = dossier.due_at
    if due is None or due > soon_at:
        return Standing.ON_TRACK, closing
    if due < at:
        return Standing.OVERDUE, closing
    return Standing.DUE_SOON, closing


_CLOSED: Final = {
    DossierStatus.RESOLVED: Standing.FINISHED,
    DossierStatus.WITHDRAWN: Standing.WITHDRAWN,
    DossierStatus.STOPPED: Standing.STOPPED,
    DossierStatus.REFUSED: Standing.NOT_RECEIVED,
}


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@attrs.frozen(kw_only=True)
class DossierStatistics:
    """The figures of one agency for one period, as of ``as_of`` (the reporting instant
    ``T``). Counts are whole numbers; rates are ``None`` when their denominator is 0."""

    agency: str
    role: AgencyRole
    period_start: date
    period_end: date
    as_of: datetime
    carried_over: int  # tồn kỳ trước chuyển sang
    new: int  # tiếp nhận mới trong kỳ
    new_direct: int
    new_online: int
    new_postal: int
    finished_early: int  # đã giải quyết trước hạn
    finished_on_time: int  # đúng hạn
    finished_late: int  # quá hạn
    in_progress_on_time: int  # đang giải quyết trong hạn
    in_progress_overdue: int  # đang giải quyết quá hạn
    due_within_24h: int  # sắp đến hạn
    paused: int  # tạm dừng, chờ bổ sung, chờ thực hiện nghĩa vụ tài chính
    withdrawn: int  # rút hồ sơ
    stopped: int  # dừng giải quyết

    @property
    def received(self) -> int:
        """Carried over plus new."""
        return self.carried_over + self.new

    @property
    def finished(self) -> int:
        """Finished in the period (early + on time + late)."""
        return self.finished_early + self.finished_on_time + self.finished_late

    @property
    def in_progress(self) -> int:
        """Open at ``T`` and not paused."""
        return self.in_progress_on_time + self.in_progress_overdue

    @property
    def digital_take_up(self) -> float | None:
        """New online dossiers over new direct plus online ones (postal ones left out)."""
        return _ratio(self.new_online, self.new_online + self.new_direct)

    @property
    def completion_rate(self) -> float | None:
        """Finished over received."""
        return _ratio(self.finished, self.received)

    @property
    def on_time_rate(self) -> float | None:
        """Finished early or on time over finished."""
        return _ratio(self.finished_early + self.finished_on_time, self.finished)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view with every count, the derived totals and the rates."""
        return {
            "agency": self.agency,
            "role": self.role.value,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "as_of": self.as_of.isoformat(),
            "received": self.received,
            "carried_over": self.carried_over,
            "new": self.new,
            "by_channel": {
                Channel.DIRECT.value: self.new_direct,
                Channel.ONLINE.value: self.new_online,
                Channel.POSTAL.value: self.new_postal,
            },
            "finished": self.finished,
            "finished_early": self.finished_early,
            "finished_on_time": self.finished_on_time,
            "finished_late": self.finished_late,
            "in_progress": self.in_progress,
            "in_progress_on_time": self.in_progress_on_time,
            "in_progress_overdue": self.in_progress_overdue,
            "due_within_24h": self.due_within_24h,
            "paused": self.paused,
            "withdrawn": self.withdrawn,
            "stopped": self.stopped,
            "digital_take_up": self.digital_take_up,
            "completion_rate": self.completion_rate,
            "on_time_rate": self.on_time_rate,
        }


#: The names of the counting fields, in order (what a SQL version must fill).
_COUNTS: Final = tuple(f.name for f in attrs.fields(DossierStatistics))[5:]


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), VIETNAM_TZ)


def compute_statistics(
    dossiers: Iterable[Dossier],
    *,
    agency: AgencyCode,
    start: date,
    end: date,
    as_of: datetime | None = None,
    role: AgencyRole = AgencyRole.COMPETENT,
    include_subunits: bool = False,
) -> DossierStatistics:
    """The figures of ``agency`` for the days ``start`` … ``end`` (both included), as of
    ``as_of`` (default: the end of the period; later instants are cut to it).

    With ``include_subunits`` the dossiers of the agency's sub-units (codes within it) count too.
    """
    if end < start:
        raise ValidationError(
            f"the period ends ({end}) before it starts ({start})",
            code="dossier.statistics.period",
            where="end",
        )
    period_start, period_end = _midnight(start), _midnight(end + timedelta(days=1))
    cut = period_end if as_of is None else min(to_vietnam(as_of, where="as_of"), period_end)
    if cut < period_start:
        raise ValidationError(
            f"as_of {cut.isoformat()} is before the period starts",
            code="dossier.statistics.as_of",
            where="as_of",
        )
    counts = dict.fromkeys(_COUNTS, 0)
    channel_key = {
        Channel.DIRECT: "new_direct",
        Channel.ONLINE: "new_online",
        Channel.POSTAL: "new_postal",
    }
    timeliness_key = {
        Timeliness.EARLY: "finished_early",
        Timeliness.ON_TIME: "finished_on_time",
        Timeliness.LATE: "finished_late",
    }
    standing_keys = {
        Standing.WITHDRAWN: ("withdrawn",),
        Standing.STOPPED: ("stopped",),
        Standing.PAUSED: ("paused",),
        Standing.OVERDUE: ("in_progress_overdue",),
        Standing.DUE_SOON: ("in_progress_on_time", "due_within_24h"),
        Standing.ON_TRACK: ("in_progress_on_time",),
    }
    competent = role is AgencyRole.COMPETENT
    soon = cut + DUE_SOON
    for dossier in dossiers:
        unit = dossier.competent_agency if competent else dossier.receiving_agency
        if not (unit.is_within(agency) if include_subunits else unit == agency):
            continue
        now, closing = _standing(dossier, cut, soon)
        if now is Standing.NOT_RECEIVED:
            continue
        received = dossier.received_at
        assert received is not None
        if received < period_start:
            if closing is not None and closing.at < period_start:
                continue  # settled before the period: not part of it
            counts["carried_over"] += 1
        else:
            counts["new"] += 1
            counts[channel_key[dossier.channel]] += 1
        if now is Standing.FINISHED:
            assert closing is not None
            counts[timeliness_key[timeliness(closing.at, dossier.due_at)]] += 1
        else:
            for key in standing_keys[now]:
                counts[key] += 1
    return DossierStatistics(
        agency=str(agency),
        role=role,
        period_start=start,
        period_end=end,
        as_of=cut,
        **counts,
    )


__all__ = [
    "DUE_SOON",
    "AgencyRole",
    "DossierStatistics",
    "Standing",
    "Timeliness",
    "compute_statistics",
    "standing",
    "timeliness",
]
