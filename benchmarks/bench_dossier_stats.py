"""Dossier statistics inside the store: SQL on SQLite against a Python loop over the same rows.

N dossiers (1,000,000 in a full run, 2,000 in a quick one) of the eight district units of a
province, received from December 2025 to December 2026 and driven through every fate (finished
early, on time, late; withdrawn; stopped; paused once or twice; still open), are bulk-loaded with
``store.dossiers.add_many`` — the same path as any import: canonical JSON records, the facts the
SQL counts, and one audit entry per record and per transition — in transactions of 50,000.

Then the province's figures for 2026 as of 20 December, sub-units included (every row counts):

- egovkit: ``store.dossiers.statistics(...)``, one SQL statement over the facts' covering index;
- the peer: a Python loop over the same fact rows (and pause rows) read from the same database,
  applying the same rules row by row — what a report computed in the application would do.

Both must give the same figures. Aim: ≤ 2 s per 1,000,000 dossiers.
"""

from __future__ import annotations

import gc
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from _harness import Comparison, best_of

from egovkit.agencies import AgencyCode
from egovkit.calendar import VIETNAM_TZ, Duration, WorkCalendar
from egovkit.dossiers import (
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    DossierCode,
    DossierStatistics,
    Procedure,
)
from egovkit.dossiers.persistence import agency_range, count_query
from egovkit.dossiers.persistence.facts import CHANNELS
from egovkit.storage import open_store

PROVINCE = AgencyCode.province("H53")
UNITS = [AgencyCode.parse(f"000.00.{n:02d}.H53") for n in range(1, 9)]
PROCEDURES = [
    Procedure(
        code="1.001612.000.00.00.H53",
        name="Đăng ký khai sinh",
        processing_time=Duration.working_days(3),
    ),
    Procedure(
        code="1.009794.000.00.00.H53",
        name="Cấp giấy phép xây dựng",
        processing_time=Duration.working_days(15),
        cutoff=None,
    ),
    Procedure(
        code="2.000908.000.00.00.H53",
        name="Chứng thực bản sao",
        processing_time=Duration.working_hours(4),
    ),
]
CITIZEN = Applicant(kind=ApplicantKind.CITIZEN, name="Nguyễn Văn An")
FIRST = datetime(2025, 12, 1, 7, tzinfo=VIETNAM_TZ)
SPAN_MINUTES = 395 * 24 * 60
QUERY = {
    "agency": PROVINCE,
    "start": date(2026, 1, 1),
    "end": date(2026, 12, 31),
    "as_of": datetime(2026, 12, 20, 12, tzinfo=VIETNAM_TZ),
    "include_subunits": True,
}
BATCH = 50_000


def _population(size: int, calendar: WorkCalendar) -> Iterator[Dossier]:
    """``size`` distinct dossier lives, in every kind of state."""
    rng = random.Random(6)
    numbers: dict[tuple[AgencyCode, date], int] = {}
    channels = [Channel.DIRECT, Channel.ONLINE, Channel.ONLINE, Channel.POSTAL]
    for _ in range(size):
        unit = rng.choice(UNITS)
        received = FIRST + timedelta(minutes=rng.randrange(SPAN_MINUTES))
        day = received.date()
        number = numbers[(unit, day)] = numbers.get((unit, day), 0) + 1
        dossier = Dossier.receive(
            code=DossierCode(agency=unit, day=day, number=number),
            procedure=rng.choice(PROCEDURES),
            applicant=CITIZEN,
            channel=rng.choice(channels),
            receiving_agency=unit,
            received_at=received,
            actor="tiếp nhận",
            calendar=calendar,
        )
        later = received + timedelta(hours=rng.randrange(1, 600))
        fate = rng.random()
        if fate < 0.5:
            dossier = dossier.resolve(at=later, actor="lãnh đạo")
        elif fate < 0.57:
            dossier = dossier.withdraw(at=later, actor="công dân")
        elif fate < 0.6:
            dossier = dossier.stop(at=later, actor="lãnh đạo", reason="dừng")
        elif fate < 0.75:
            dossier = dossier.pause(at=later, actor="chuyên viên", reason="chờ ý kiến")
            if rng.random() < 0.5:
                later += timedelta(hours=rng.randrange(1, 300))
                dossier = dossier.resume(at=later, actor="chuyên viên", calendar=calendar)
                if rng.random() < 0.5:
                    later += timedelta(hours=rng.randrange(1, 100))
                    dossier = dossier.pause(at=later, actor="chuyên viên", reason="chờ lại")
        yield dossier


def _load(url: str, size: int) -> float:
    """Bulk-load ``size`` dossiers; returns the seconds it took."""
    calendar = WorkCalendar()
    started = time.perf_counter()
    with open_store(url) as store:
        batch: list[Dossier] = []
        for dossier in _population(size, calendar):
            batch.append(dossier)
            if len(batch) == BATCH:
                store.dossiers.add_many(batch)
                batch.clear()
        if batch:
            store.dossiers.add_many(batch)
    return time.perf_counter() - started


def _python_loop(path: Path) -> dict[str, int]:
    """The peer: the same rows read from the same database, counted in a Python loop."""
    query, _ = count_query(**QUERY)  # type: ignore[arg-type]
    low, high = agency_range(PROVINCE, include_subunits=True)
    s, t, soon = query.start, query.cut, query.soon
    counts = dict.fromkeys(
        [
            "carried_over",
            "new",
            "new_direct",
            "new_online",
            "new_postal",
            "finished_early",
            "finished_on_time",
            "finished_late",
            "in_progress_on_time",
            "in_progress_overdue",
            "due_within_24h",
            "paused",
            "withdrawn",
            "stopped",
        ],
        0,
    )
    channel_key = {
        CHANNELS[Channel.DIRECT]: "new_direct",
        CHANNELS[Channel.ONLINE]: "new_online",
        CHANNELS[Channel.POSTAL]: "new_postal",
    }
    with sqlite3.connect(path) as db:
        pauses: dict[str, list[tuple[int, int]]] = {}
        for key, started, ended in db.execute(
            "SELECT key, started_at, ended_at FROM dossier_pauses"
        ):
            pauses.setdefault(key, []).append((started, ended))
        rows = db.execute(
            "SELECT key, channel, received_at, closed_at, closed_kind, closed_day, due_at, "
            "due_day FROM dossier_facts WHERE competent >= ? AND competent < ?",
            (low, high),
        )
        for key, channel, received, closed_at, kind, closed_day, due, due_day in rows:
            if received >= t or (kind == 4 and closed_at < t):
                continue
            if received < s:
                if closed_at < s:
                    continue
                counts["carried_over"] += 1
            else:
                counts["new"] += 1
                counts[channel_key[channel]] += 1
            if closed_at < t:
                if kind == 1:
                    if closed_at > due:
                        counts["finished_late"] += 1
                    elif closed_day < due_day:
                        counts["finished_early"] += 1
                    else:
                        counts["finished_on_time"] += 1
                else:
                    counts["withdrawn" if kind == 2 else "stopped"] += 1
            elif any(a < t <= b for a, b in pauses.get(key, ())):
                counts["paused"] += 1
            elif due < t:
                counts["in_progress_overdue"] += 1
            else:
                counts["in_progress_on_time"] += 1
                if due <= soon:
                    counts["due_within_24h"] += 1
    return counts


def _figures(stats: DossierStatistics) -> dict[str, int]:
    data = {k: v for k, v in stats.to_dict().items() if isinstance(v, int)}
    by_channel = stats.to_dict()["by_channel"]
    assert isinstance(by_channel, dict)
    data.update({f"new_{k}": v for k, v in by_channel.items()})
    for derived in ("received", "finished", "in_progress"):
        data.pop(derived)
    return data


def run(quick: bool) -> list[Comparison]:
    size, repeat = (2_000, 3) if quick else (1_000_000, 3)
    place = Path(tempfile.mkdtemp(prefix="egovkit-bench-dossiers-"))
    try:
        path = place / "dossiers.db"
        url = f"sqlite:///{path}?synchronous=normal"
        loading = _load(url, size)
        with open_store(url) as store:
            stats = store.dossiers.statistics(**QUERY)  # type: ignore[arg-type]
            assert _figures(stats) == _python_loop(path), "SQL and the Python loop disagree"
            assert stats.received > 0.85 * size  # the report really covers (almost) every row
            gc.collect()
            ours = best_of(lambda: store.dossiers.statistics(**QUERY), repeat=repeat)  # type: ignore[arg-type]
            unit = best_of(
                lambda: store.dossiers.statistics(**{**QUERY, "agency": UNITS[0]}),  # type: ignore[arg-type]
                repeat=repeat,
            )
        peer = best_of(lambda: _python_loop(path), repeat=repeat)
        megabytes = path.stat().st_size / 1e6
    finally:
        shutil.rmtree(place, ignore_errors=True)
    return [
        Comparison(
            f"statistics of a province's year over {size:,} dossiers (SQLite, SQL)",
            ours,
            "Python loop over the same fact rows from the same database",
            peer,
            target="≤ 2 s per 1,000,000 dossiers",
            met=ours * 1_000_000 / size <= 2,
            sized=True,
            notes=(
                f"{stats.received:,} dossiers counted; one district (1/8): {unit:.3f} s; "
                f"bulk load {loading:.1f} s ({size / loading:,.0f} dossiers/s, records + facts + "
                f"audit), database {megabytes:,.0f} MB"
            ),
        )
    ]
