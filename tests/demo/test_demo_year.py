"""The simulated year: seeded, on working days, and every step after the one before."""

from __future__ import annotations

import datetime as dt

from egovkit.agencies import AgencyCode
from egovkit.calendar import WorkCalendar
from egovkit.demo.year import YEAR_END, plan_year, steps_for
from egovkit.dossiers import Dossier, allocate_dossier_code
from egovkit.storage import MemorySequenceAllocator

COMMUNES = [AgencyCode.parse("000.00.41.H99"), AgencyCode.parse("000.00.42.H99")]
CALENDAR = WorkCalendar()


def test_the_year_is_the_same_on_every_run() -> None:
    first = plan_year(COMMUNES, per_commune=40, calendar=CALENDAR)
    again = plan_year(COMMUNES, per_commune=40, calendar=CALENDAR)
    assert first == again
    assert len(first) == 80
    assert [p.received_at for p in first] == sorted(p.received_at for p in first)
    assert {p.outcome for p in plan_year(COMMUNES, per_commune=200, calendar=CALENDAR)} == {
        "early_or_on_time",
        "supplement",
        "extension",
        "late",
        "withdrawn",
    }


def test_dossiers_arrive_on_working_days_and_their_steps_play_in_order() -> None:
    sequences = MemorySequenceAllocator()
    late = 0
    for plan in plan_year(COMMUNES, per_commune=60, calendar=CALENDAR):
        assert CALENDAR.is_working_day(plan.received_at.date())
        assert not dt.date(2026, 2, 16) <= plan.received_at.date() <= dt.date(2026, 2, 20)
        dossier = Dossier.receive(
            code=allocate_dossier_code(sequences, plan.agency, plan.received_at),
            procedure=plan.procedure.for_dossiers(),
            applicant=plan.applicant,
            channel=plan.channel,
            receiving_agency=plan.agency,
            received_at=plan.received_at,
            actor="test",
            calendar=CALENDAR,
        )
        steps = steps_for(plan, dossier, CALENDAR)
        assert [s.at for s in steps] == sorted(s.at for s in steps)
        for step in steps:
            if step.at >= YEAR_END:
                break
            dossier = step.action(dossier)
        if plan.outcome == "late" and dossier.finished_at is not None:
            assert dossier.due_at is not None
            assert dossier.finished_at > dossier.due_at
            late += 1
        if plan.outcome == "withdrawn":
            assert dossier.withdrawn_at is not None
    assert late > 0
