"""Handling queries and search inside the store: SQL on SQLite against the same questions
answered in Python over the stored cases (what a store without SQL does, and what an application
that keeps cases as JSON documents would do).

N cases (20,000 in a full run, 400 in a quick one) of one office — incoming documents directed,
assigned to the units, noted, completed (on time or late) or still open; outgoing ones drafted to
issued — built with random legal steps and imported with ``HandlingStore.import_cases``. Then:

- the overdue list of one unit at one instant;
- on-time rates of every unit for the year;
- a search for a subject word typed without diacritics ("huong").

Ours and the peer must give the same answers.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from _harness import Comparison, best_of

from egovkit.calendar import VIETNAM_TZ
from egovkit.handling import (
    Action,
    Assignment,
    Case,
    CaseQueries,
    Event,
    Flow,
    HandlingQueries,
    HandlingStore,
    Level,
    Recipient,
    Role,
)
from egovkit.handling.search import CaseIndex, SearchQuery
from egovkit.handling.transitions import INITIAL, TRANSITIONS, apply
from egovkit.storage import open_store

UNITS = [f"Phòng {n}" for n in ("Nội vụ", "Tư pháp", "Tài chính", "Kinh tế", "Văn hóa", "Y tế")]
SUBJECTS = [
    "Về việc khen thưởng bà Lê Thị Hương",
    "Về việc điều động bà Nguyễn Thị Hường",
    "Kế hoạch phòng chống lụt bão",
    "Báo cáo công tác quý I",
    "Về việc sửa đường giao thông nông thôn",
]
START = datetime(2026, 1, 2, 8, tzinfo=VIETNAM_TZ)
AT = datetime(2026, 10, 1, 9, tzinfo=VIETNAM_TZ)


def _case(rng: random.Random, n: int) -> Case:
    flow = Flow.INCOMING if rng.random() < 0.8 else Flow.OUTGOING
    opened = START + timedelta(hours=rng.randrange(0, 300 * 24))
    case = Case(
        key=f"case-{n:07d}", flow=flow, office="000.00.01.H53",
        level=rng.choice([Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]), opened_at=opened,
        opened_by="Văn thư", subject=rng.choice(SUBJECTS), number=f"{n % 999 + 1}/UBND-VP",
        electronic=rng.random() < 0.9, state=INITIAL[flow],
    )  # fmt: skip
    at = opened
    for _ in range(rng.randrange(0, 8)):
        legal = sorted((a for (s, a) in TRANSITIONS if s is case.state), key=lambda a: a.value)
        if not legal:
            break
        action = rng.choice(legal)
        at = at + timedelta(hours=rng.randrange(1, 24 * 6))
        due = at + timedelta(days=rng.randrange(-3, 20))
        first = rng.randrange(len(UNITS))
        lead = Assignment(unit=UNITS[first], role=Role.IN_CHARGE)
        helper = Assignment(unit=UNITS[(first + 1) % len(UNITS)], role=Role.COOPERATING)
        case = apply(
            case,
            Event(
                action=action, at=at, actor="Lãnh đạo", text="Xử lý", due=due,
                assignments=(lead, helper) if action is Action.ASSIGN else (),
                recipients=(Recipient(unit=lead.unit),),
                document="12/UBND-VP" if action is Action.NUMBER else "r",
            ),
        )  # fmt: skip
    return case


def _overdue(queries: HandlingQueries) -> object:
    return queries.overdue(AT, unit=UNITS[0])


def _rates(queries: HandlingQueries) -> object:
    return queries.on_time_rates(START, START + timedelta(days=365))


def _compare(
    name: str,
    question: Callable[[HandlingQueries], object],
    sql: HandlingQueries,
    book: HandlingStore,
) -> list[Comparison]:
    decoded = CaseQueries(book.all())
    assert question(sql) == question(CaseQueries(book.all())) == question(decoded)
    ours = best_of(lambda: question(sql), repeat=3)
    peer = best_of(lambda: question(CaseQueries(book.all())), repeat=3)
    held = best_of(lambda: question(decoded), repeat=3)
    return [
        Comparison(
            name=f"handling: {name}",
            ours=ours,
            peer_name="Python over the stored cases",
            peer=peer,
            target="faster than the peer",
        ),
        Comparison(
            name=f"handling: {name}",
            ours=ours,
            peer_name="Python over cases already in memory",
            peer=held,
            notes="the rules alone, no reading",
        ),
    ]


def run(quick: bool) -> list[Comparison]:
    """Time the three questions, SQL against Python, on the same SQLite store."""
    size = 400 if quick else 20_000
    rng = random.Random(18)
    cases = [_case(rng, n) for n in range(size)]
    place = Path(tempfile.mkdtemp(prefix="bench-handling-"))
    try:
        with open_store(f"sqlite:///{place / 'egov.db'}?synchronous=normal") as store:
            book = HandlingStore(store)
            for first in range(0, size, 5000):
                book.import_cases(cases[first : first + 5000])
            sql = book.queries
            rows = [
                *_compare(f"overdue list of one unit ({size:,} cases)", _overdue, sql, book),
                *_compare(f"on-time rates, a year ({size:,} cases)", _rates, sql, book),
            ]
            query = SearchQuery(text="huong")
            search = book.search
            assert search.search(query) == CaseIndex(book.all()).search(query)
            ours = best_of(lambda: search.search(query), repeat=3)
            peer = best_of(lambda: CaseIndex(book.all()).search(query), repeat=3)
            rows.append(
                Comparison(
                    name=f"handling: search 'huong' ({size:,} cases)", ours=ours,
                    peer_name="Python over the stored cases", peer=peer,
                    target="faster than the peer", notes="SQLite FTS5",
                )
            )  # fmt: skip
            return rows
    finally:
        shutil.rmtree(place, ignore_errors=True)
