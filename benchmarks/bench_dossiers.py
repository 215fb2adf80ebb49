"""One-stop dossiers without a store: the cost of receiving a dossier, and of the pure-Python
statistics that the SQL statistics of the stores will be measured against.

- Receiving a dossier (code from the sequence allocator, clock start with a cut-off, due instant,
  step deadlines, transition record) against computing the due date alone with a naive day-by-day
  loop over ``holidays``: the whole receipt should cost less than a naive deadline.
- :func:`~egovkit.dossiers.statistics.compute_statistics` over N dossiers against a naive loop that
  replays each dossier's transition history: the Python baseline for the SQL version (issue 6 aims
  at ≤ 2 s for 1,000,000 dossiers on SQLite). Both must give the same figures.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from _harness import Comparison, best_of, judged, ratio_at_most

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ, Duration, WorkCalendar
from egovkit.dossiers import (
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    DossierStatistics,
    DossierStatus,
    Procedure,
    allocate_dossier_code,
    compute_statistics,
    timeliness,
)
from egovkit.dossiers.transitions import TransitionRecord
from egovkit.storage.memory import MemorySequenceAllocator

UNIT = AgencyCode.parse("000.00.01.H53")
PROCEDURE = Procedure(
    code="1.009794.000.00.00.H53",
    name="Cấp giấy phép xây dựng",
    processing_time=Duration.working_days(10),
    cutoff=time(15),
)
CITIZEN = Applicant(kind=ApplicantKind.CITIZEN, name="Nguyễn Văn An")
RECEIVED = datetime(2026, 2, 10, 15, 30, tzinfo=VIETNAM_TZ)  # after the cut-off, before Tết
START, END = date(2026, 3, 1), date(2026, 3, 31)


def _population(calendar: WorkCalendar, size: int) -> list[Dossier]:
    """``size`` dossiers received from February to April 2026, in every kind of state."""
    rng = random.Random(6)
    sequences = MemorySequenceAllocator()
    channels = [Channel.DIRECT, Channel.ONLINE, Channel.ONLINE, Channel.POSTAL]
    found = []
    for _ in range(size):
        received = datetime(2026, 2, 1, 7, tzinfo=VIETNAM_TZ) + timedelta(
            minutes=rng.randrange(0, 89 * 24 * 60)
        )
        dossier = Dossier.receive(
            code=allocate_dossier_code(sequences, UNIT, received),
            procedure=PROCEDURE,
            applicant=CITIZEN,
            channel=rng.choice(channels),
            receiving_agency=UNIT,
            received_at=received,
            actor="cb",
            calendar=calendar,
        )
        later = received + timedelta(hours=rng.randrange(1, 400))
        fate = rng.random()
        if fate < 0.55:
            dossier = dossier.resolve(at=later, actor="ld")
        elif fate < 0.62:
            dossier = dossier.withdraw(at=later, actor="cd")
        elif fate < 0.65:
            dossier = dossier.stop(at=later, actor="ld", reason="dừng")
        elif fate < 0.75:
            dossier = dossier.pause(at=later, actor="cv", reason="chờ")
        found.append(dossier)
    return found


def _replay(dossiers: list[Dossier], agency: AgencyCode, start: date, end: date) -> dict[str, int]:
    """The peer: the same figures, each dossier's states rebuilt from its transition history."""
    period_start = datetime.combine(start, time(0), VIETNAM_TZ)
    cut = datetime.combine(end + timedelta(days=1), time(0), VIETNAM_TZ)
    counts: dict[str, int] = dict.fromkeys(
        ["carried_over", "new", "early", "on_time", "late", "withdrawn", "stopped", "paused"], 0
    )
    counts.update(in_progress_on_time=0, in_progress_overdue=0)
    for dossier in dossiers:
        if dossier.competent_agency != agency:
            continue
        history: tuple[TransitionRecord, ...] = dossier.history
        received = history[0].at
        if received >= cut:
            continue
        closing = None
        paused_since = None
        for record in history:
            if record.at >= cut:
                break
            if record.target in (
                DossierStatus.RESOLVED,
                DossierStatus.WITHDRAWN,
                DossierStatus.STOPPED,
            ):
                closing = closing or record
            paused_since = record.at if record.target.stops_clock else None
        if received < period_start:
            if closing is not None and closing.at < period_start:
                continue
            counts["carried_over"] += 1
        else:
            counts["new"] += 1
        if closing is not None:
            if closing.target is DossierStatus.RESOLVED:
                counts[timeliness(closing.at, dossier.due_at).value] += 1
            else:
                counts[closing.target.value] += 1
        elif paused_since is not None:
            counts["paused"] += 1
        elif dossier.due_at is None or dossier.due_at >= cut:
            counts["in_progress_on_time"] += 1
        else:
            counts["in_progress_overdue"] += 1
    return counts


def _same(stats: DossierStatistics, replayed: dict[str, int]) -> bool:
    return replayed == {
        "carried_over": stats.carried_over,
        "new": stats.new,
        "early": stats.finished_early,
        "on_time": stats.finished_on_time,
        "late": stats.finished_late,
        "withdrawn": stats.withdrawn,
        "stopped": stats.stopped,
        "paused": stats.paused,
        "in_progress_on_time": stats.in_progress_on_time,
        "in_progress_overdue": stats.in_progress_overdue,
    }


def run(quick: bool) -> list[Comparison]:
    import holidays  # the peer of the deadline; imported here so the harness import stays cheap

    calendar = WorkCalendar()
    national = holidays.country_holidays("VN", years=range(2025, 2028))
    repeat, number, size = (3, 100, 2_000) if quick else (5, 5_000, 200_000)

    def naive_due(received: datetime) -> datetime:
        """Next working morning after the cut-off, then 10 working days, one day at a time."""
        day = received.date() + timedelta(days=1)
        while not national.is_working_day(day):
            day += timedelta(days=1)
        left = 10
        while left > 1:
            day += timedelta(days=1)
            left -= national.is_working_day(day)
        return datetime.combine(day, time(17), VIETNAM_TZ)

    sequences = MemorySequenceAllocator()

    def receive() -> Dossier:
        return Dossier.receive(
            code=allocate_dossier_code(sequences, UNIT, RECEIVED),
            procedure=PROCEDURE,
            applicant=CITIZEN,
            channel=Channel.DIRECT,
            receiving_agency=UNIT,
            received_at=RECEIVED,
            actor="cb",
            calendar=calendar,
        )

    assert receive().due_at == naive_due(RECEIVED)  # same answer first
    receiving = Comparison(
        "receive a dossier (code, clock start, due, record)",
        best_of(receive, repeat=repeat, number=number),
        "naive due date alone (day-by-day holidays)",
        best_of(lambda: naive_due(RECEIVED), repeat=repeat, number=number),
        target="below 1 (the whole receipt cheaper than a naive deadline)",
    )
    receiving = judged(receiving, ratio_at_most(1.0))

    population = _population(calendar, size)
    stats = compute_statistics(population, agency=UNIT, start=START, end=END)
    assert _same(stats, _replay(population, UNIT, START, END))
    ours = best_of(
        lambda: compute_statistics(population, agency=UNIT, start=START, end=END), repeat=repeat
    )
    peer = best_of(lambda: _replay(population, UNIT, START, END), repeat=repeat)
    return [
        receiving,
        Comparison(
            f"statistics of a month over {size:,} dossiers (pure Python)",
            ours,
            "replay of each dossier's history",
            peer,
            target="≤ 2 s per 1,000,000 (the baseline for SQL)",
            met=ours / size * 1e6 <= 2,
            sized=True,
            notes=f"≈ {ours / size * 1e6:.2f} s per 1,000,000 dossiers",
        ),
    ]
