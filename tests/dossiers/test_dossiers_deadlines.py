"""Deadlines: clock start, cut-offs, Tết, pauses, extensions, inter-agency steps, regimes."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from egovkit.calendar import DayChange, Duration, DurationUnit, WorkCalendar
from egovkit.dossiers import (
    Channel,
    Dossier,
    DossierCode,
    DossierStatus,
    FormKind,
    Procedure,
    StepPlan,
    TransitionRecord,
    regime_on,
    regimes,
)
from egovkit.dossiers.deadlines import shift_for_pause, step_deadlines
from egovkit.errors import ConflictError, NotFoundError, ValidationError
from egovkit.testing.strategies.dossiers import durations, procedures, vietnam_instants

from ._support import CALENDAR, CITIZEN, INTER_AGENCY, SIMPLE, UNIT, at, received


def _procedure(duration: Duration, cutoff: time | None = None) -> Procedure:
    return Procedure(code="2.000001", name="Thủ tục", processing_time=duration, cutoff=cutoff)


def test_received_in_office_hours_counts_from_then() -> None:
    dossier = received(at(2026, 3, 2, 9, 30))  # Monday
    assert dossier.clock_started_at == at(2026, 3, 2, 9, 30)
    assert dossier.due_at == at(2026, 3, 5, 9, 30)  # 3 working days


def test_received_after_closing_starts_the_next_working_morning() -> None:
    dossier = received(at(2026, 3, 2, 17, 45))
    assert dossier.clock_started_at == at(2026, 3, 3, 7)
    assert dossier.due_at == at(2026, 3, 5, 17)


def test_received_on_friday_evening_starts_monday() -> None:
    dossier = received(at(2026, 3, 6, 18))
    assert dossier.clock_started_at == at(2026, 3, 9, 7)


def test_a_procedures_own_cutoff_moves_the_start_to_the_next_morning() -> None:
    with_cutoff = received(at(2026, 3, 2, 15, 20), procedure=_procedure(_wd(2), time(15)))
    without = received(at(2026, 3, 2, 15, 20), procedure=_procedure(_wd(2)))
    assert with_cutoff.clock_started_at == at(2026, 3, 3, 7)
    assert with_cutoff.due_at == at(2026, 3, 4, 17)
    assert without.due_at == at(2026, 3, 4, 15, 20)


def test_tet_2026_is_skipped() -> None:
    # Friday 13 Feb 2026 16:00; 16–20 February are Tết days off
    dossier = received(at(2026, 2, 13, 16), procedure=_procedure(_wd(1)))
    assert dossier.due_at == at(2026, 2, 23, 16)
    late = received(at(2026, 2, 13, 17, 30), procedure=_procedure(_wd(1)))
    assert late.clock_started_at == at(2026, 2, 23, 7)
    assert late.due_at == at(2026, 2, 23, 17)


def test_tet_2025_and_the_worked_saturday() -> None:
    # Tết 2025: 25 Jan – 2 Feb off; Saturday 26 April 2025 worked for the 2 May bridge
    assert received(at(2025, 1, 24, 10), procedure=_procedure(_wd(1))).due_at == at(2025, 2, 3, 10)
    assert received(at(2025, 4, 25, 10), procedure=_procedure(_wd(1))).due_at == at(2025, 4, 26, 10)


def test_calendar_days_roll_forward_past_tet() -> None:
    dossier = received(at(2026, 2, 10, 9), procedure=_procedure(Duration.calendar_days(7)))
    assert dossier.due_at == at(2026, 2, 23, 17)  # 17 Feb is Tết: the next working day


def test_working_hours() -> None:
    dossier = received(at(2026, 3, 2, 16), procedure=_procedure(Duration.working_hours(4)))
    assert dossier.due_at == at(2026, 3, 3, 10)


def test_a_supplement_request_stops_the_clock() -> None:
    dossier = received(at(2026, 3, 2, 9)).start_processing(at=at(2026, 3, 2, 10), actor="cv")
    assert dossier.due_at == at(2026, 3, 5, 9)
    asked = dossier.request_supplement(
        items=["Bản sao giấy chứng sinh"], reason="Thiếu", at=at(2026, 3, 3, 9), actor="cv"
    )
    assert asked.status is DossierStatus.SUPPLEMENT_REQUESTED
    assert asked.open_pause is not None
    assert asked.open_pause.started_at == at(2026, 3, 3, 9)
    assert asked.due_at == dossier.due_at  # unknown until the citizen comes back
    # back on Tuesday 10 March 09:00: five working days later
    done = asked.supplement(at=at(2026, 3, 10, 9), actor="cb", calendar=CALENDAR)
    assert done.status is DossierStatus.PROCESSING
    assert done.due_at == at(2026, 3, 12, 9)
    request = done.supplements[-1]
    assert (request.previous_due, request.new_due) == (at(2026, 3, 5, 9), at(2026, 3, 12, 9))
    assert request.supplemented_at == at(2026, 3, 10, 9)
    assert done.pauses[-1].ended_at == at(2026, 3, 10, 9)
    assert done.open_pause is None


def test_supplement_before_acceptance_goes_back_to_submitted() -> None:
    online = Dossier.submit(
        code=DossierCode(agency=UNIT, day=date(2026, 3, 2), number=3),
        procedure=SIMPLE,
        applicant=CITIZEN,
        receiving_agency=UNIT,
        submitted_at=at(2026, 3, 2, 9),
        actor="cổng",
    )
    asked = online.request_supplement(items=["Ảnh"], at=at(2026, 3, 2, 10), actor="cb")
    back = asked.supplement(at=at(2026, 3, 4, 10), actor="cd", calendar=CALENDAR)
    assert back.status is DossierStatus.SUBMITTED
    assert back.due_at is None
    accepted = back.accept(at=at(2026, 3, 4, 11), actor="cb", calendar=CALENDAR)
    assert accepted.due_at == at(2026, 3, 9, 11)


def test_supplement_without_a_request_is_a_conflict() -> None:
    with pytest.raises(ConflictError) as caught:
        received(at(2026, 3, 2, 9)).supplement(at=at(2026, 3, 3, 9), actor="x", calendar=CALENDAR)
    assert caught.value.code == "dossier.supplement.none"


def test_a_supplement_request_lists_what_is_missing() -> None:
    with pytest.raises(ValidationError):
        received(at(2026, 3, 2, 9)).request_supplement(items=[" "], at=at(2026, 3, 3, 9), actor="x")


def test_payment_wait_and_pause_stop_the_clock_too() -> None:
    dossier = received(at(2026, 3, 2, 9))
    waiting = dossier.request_payment(at=at(2026, 3, 3, 9), actor="cv")
    assert waiting.status.stops_clock
    paid = waiting.resume(at=at(2026, 3, 4, 9), actor="cv", calendar=CALENDAR)
    assert paid.status is DossierStatus.RECEIVED
    assert paid.due_at == at(2026, 3, 6, 9)
    paused = paid.pause(at=at(2026, 3, 5, 9), actor="cv", reason="Chờ ý kiến")
    resumed = paused.resume(at=at(2026, 3, 5, 13, 30), actor="cv", calendar=CALENDAR)
    assert resumed.due_at == at(2026, 3, 6, 11, 30)  # 2.5 office hours later
    with pytest.raises(ConflictError):
        resumed.resume(at=at(2026, 3, 5, 14), actor="cv", calendar=CALENDAR)


def test_a_pause_outside_office_hours_moves_nothing() -> None:
    dossier = received(at(2026, 3, 2, 9))
    paused = dossier.pause(at=at(2026, 3, 6, 18), actor="cv", reason="r")
    back = paused.resume(at=at(2026, 3, 8, 20), actor="cv", calendar=CALENDAR)  # Sunday
    assert back.due_at == dossier.due_at


def test_a_pause_after_the_due_instant_does_not_forgive_the_delay() -> None:
    dossier = received(at(2026, 3, 2, 9))
    paused = dossier.pause(at=at(2026, 3, 9, 9), actor="cv", reason="r")
    back = paused.resume(at=at(2026, 3, 12, 9), actor="cv", calendar=CALENDAR)
    assert back.due_at == dossier.due_at


def test_calendar_day_durations_move_by_calendar_days() -> None:
    dossier = received(at(2026, 3, 2, 9), procedure=_procedure(Duration.calendar_days(10)))
    assert dossier.due_at == at(2026, 3, 12, 17)
    paused = dossier.pause(at=at(2026, 3, 3, 9), actor="cv", reason="r")
    back = paused.resume(at=at(2026, 3, 5, 15), actor="cv", calendar=CALENDAR)
    assert back.due_at == at(2026, 3, 16, 17)  # +2 days = Saturday 14 → Monday 16


def test_an_extension_moves_the_due_instant_and_keeps_the_letter() -> None:
    dossier = received(at(2026, 3, 2, 9))
    extended = dossier.extend(
        at=at(2026, 3, 4, 9),
        actor="ld",
        reason="Cần xác minh thực địa",
        letter_reference="15/UBND-XL",
        calendar=CALENDAR,
        by=Duration.working_days(2),
    )
    assert extended.due_at == at(2026, 3, 9, 9)
    extension = extended.extensions[-1]
    assert extension.previous_due == at(2026, 3, 5, 9)
    assert extension.letter_reference == "15/UBND-XL"
    assert extension.letter_form == (
        "Mẫu số 04: Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    )
    again = extended.extend(
        at=at(2026, 3, 5, 9),
        actor="ld",
        reason="r",
        letter_reference="16/UBND-XL",
        calendar=CALENDAR,
        new_due=at(2026, 3, 20, 17),
    )
    assert again.due_at == at(2026, 3, 20, 17)
    assert len(again.extensions) == 2


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"new_due": datetime(2026, 3, 4, 9).astimezone()}, "dossier.extend.earlier"),
        ({}, "dossier.extend.arguments"),
        ({"by": Duration.working_days(1), "letter_reference": " "}, "dossier.extend.letter"),
    ],
)
def test_extension_mistakes(kwargs: dict[str, object], code: str) -> None:
    arguments: dict[str, object] = {
        "at": at(2026, 3, 3, 9),
        "actor": "ld",
        "reason": "r",
        "letter_reference": "1/XL",
        "calendar": CALENDAR,
    }
    arguments.update(kwargs)
    with pytest.raises(ValidationError) as caught:
        received(at(2026, 3, 2, 9)).extend(**arguments)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_a_finished_dossier_cannot_be_extended() -> None:
    done = received(at(2026, 3, 2, 9)).resolve(at=at(2026, 3, 3, 9), actor="ld")
    with pytest.raises(ConflictError) as caught:
        done.extend(
            at=at(2026, 3, 3, 10),
            actor="ld",
            reason="r",
            letter_reference="1",
            calendar=CALENDAR,
            by=Duration.working_days(1),
        )
    assert caught.value.code == "dossier.extend.not_open"


def test_the_apology_form_follows_the_regime_of_the_received_date() -> None:
    june = received(at(2025, 6, 30, 16))
    extended = june.extend(
        at=at(2025, 7, 2, 9),
        actor="ld",
        reason="r",
        letter_reference="1/XL",
        calendar=CALENDAR,
        by=Duration.working_days(1),
    )
    assert extended.regime.key == "nd61-2018"
    assert extended.extensions[-1].letter_form == (
        "Mẫu số 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    )


def test_regimes_switch_on_1_july_2025() -> None:
    old, new = regime_on(date(2025, 6, 30)), regime_on(date(2025, 7, 1))
    assert old.decree == "61/2018/NĐ-CP"
    assert "107/2021/NĐ-CP" in old.amended_by
    assert new.decree == "118/2025/NĐ-CP"
    assert not old.routes_to_competent_authority
    assert new.routes_to_competent_authority
    assert old.form(FormKind.STOP_NOTICE).number is None
    forms = regime_on(date(2025, 9, 15))
    assert forms.guidance == "Thông tư 03/2025/TT-VPCP"
    assert forms.form(FormKind.STOP_NOTICE).label == "Mẫu số 05"
    assert forms.form(FormKind.TRACKING_BOOK).label == "Mẫu số 07"
    # 17:30 on 30 June UTC is already 1 July in Vietnam
    assert regime_on(datetime(2025, 6, 30, 17, 30, tzinfo=UTC)).key == "nd118-2025"
    with pytest.raises(NotFoundError):
        regime_on(date(2018, 1, 1))


@pytest.mark.parametrize(
    ("before", "first", "key"),
    [
        # Circular 01/2018/TT-VPCP, dated 23/11/2018, effective 06/01/2019 (lawnet.vn; seongay)
        (date(2019, 1, 5), date(2019, 1, 6), "nd61-2018"),
        # Circular 03/2025/TT-VPCP forms "từ ngày 15/9/2025" (thuviennhadat.vn)
        (date(2025, 9, 14), date(2025, 9, 15), "nd118-2025"),
    ],
)
def test_a_circulars_forms_apply_from_its_own_date(before: date, first: date, key: str) -> None:
    interim, prescribed = regime_on(before), regime_on(first)
    assert interim.key == prescribed.key == key
    assert not interim.forms_prescribed
    assert interim.guidance == ""
    assert all(f.number is None for f in interim.forms)
    assert {f.title for f in interim.forms} == {f.title for f in prescribed.forms}
    assert prescribed.forms_prescribed
    assert prescribed.form(FormKind.RECEIPT).label == "Mẫu số 01"
    assert prescribed.forms_from == first
    assert "open legal question" in regime_on(date(2025, 7, 1)).interim_note
    assert regime_on(date(2018, 6, 21)).form(FormKind.RECEIPT).label == ""
    assert all(r.sources for r in regimes())


def test_regimes_do_not_overlap_and_leave_no_gap() -> None:
    ordered = regimes()
    for before, after in itertools.pairwise(ordered):
        assert before.effective_until == after.effective_from
    assert ordered[-1].effective_until is None
    for regime in ordered:
        assert {f.kind for f in regime.forms} == set(FormKind)


def test_inter_agency_steps_have_their_own_deadlines() -> None:
    dossier = received(at(2026, 3, 2, 9), procedure=INTER_AGENCY)
    assert [s.due_at for s in dossier.steps] == [at(2026, 3, 10, 9), at(2026, 3, 13, 9)]
    assert dossier.due_at == at(2026, 3, 16, 9)
    dossier = dossier.start_processing(at=at(2026, 3, 2, 10), actor="cv", step="Thẩm định")
    dossier = dossier.finish_step(step="Thẩm định", at=at(2026, 3, 9, 16), actor="cv")
    dossier = dossier.transfer(step="Ý kiến Sở", at=at(2026, 3, 10, 8), actor="cv")
    assert dossier.status is DossierStatus.TRANSFERRED
    dossier = dossier.pause(at=at(2026, 3, 11, 9), actor="cv", reason="Chờ")
    dossier = dossier.resume(at=at(2026, 3, 12, 9), actor="cv", calendar=CALENDAR)
    # the unfinished step and the total move one working day; the finished step does not
    assert [s.due_at for s in dossier.steps] == [at(2026, 3, 10, 9), at(2026, 3, 16, 9)]
    assert dossier.due_at == at(2026, 3, 17, 9)
    assert dossier.status is DossierStatus.TRANSFERRED
    dossier = dossier.resolve(at=at(2026, 3, 17, 8), actor="ld")
    assert dossier.steps[1].finished_at == at(2026, 3, 17, 8)
    assert not dossier.steps[0].is_late
    assert dossier.steps[1].is_late


def test_step_mistakes() -> None:
    dossier = received(at(2026, 3, 2, 9), procedure=INTER_AGENCY)
    with pytest.raises(ConflictError):
        dossier.finish_step(step="Thẩm định", at=at(2026, 3, 3, 9), actor="cv")
    with pytest.raises(ConflictError):
        dossier.finish_step(step="Không có", at=at(2026, 3, 3, 9), actor="cv")
    started = dossier.start_processing(at=at(2026, 3, 2, 10), actor="cv", step="Thẩm định")
    log: list[TransitionRecord] = []
    with pytest.raises(ConflictError) as caught:
        started.transfer(step="Thẩm định", at=at(2026, 3, 3, 9), actor="cv", recorder=log.append)
    assert caught.value.code == "dossier.step.started"
    assert log == []  # nothing recorded for a refused action


def test_steps_must_fit_in_the_total() -> None:
    with pytest.raises(ValidationError) as caught:
        Procedure(
            code="1.1",
            name="x",
            processing_time=_wd(5),
            steps=[StepPlan(name="a", duration=_wd(3)), StepPlan(name="b", duration=_wd(3))],
        )
    assert caught.value.code == "dossier.procedure.steps_exceed_total"
    with pytest.raises(ValidationError) as caught:
        Procedure(
            code="1.1",
            name="x",
            processing_time=_wd(5),
            steps=[StepPlan(name="a", duration=Duration.working_hours(3))],
        )
    assert caught.value.code == "dossier.procedure.step_unit"


def _wd(n: int) -> Duration:
    return Duration.working_days(n)


# -- properties --------------------------------------------------------------------------------


@settings(max_examples=60)
@given(vietnam_instants(), procedures())
def test_the_due_instant_is_never_before_the_clock_starts(
    received_at: datetime, p: Procedure
) -> None:
    dossier = received(received_at, procedure=p)
    assert dossier.clock_started_at is not None
    assert dossier.due_at is not None
    assert received_at <= dossier.clock_started_at <= dossier.due_at
    assert CALENDAR.is_working_day(dossier.due_at.date())
    assert CALENDAR.is_working_day(dossier.clock_started_at.date())
    dues = [s.due_at for s in dossier.steps]
    assert dues == sorted(dues)  # type: ignore[type-var]
    assert all(d is not None and d <= dossier.due_at for d in dues)


@settings(max_examples=60)
@given(vietnam_instants(), st.integers(1, 200))
def test_working_hour_deadlines_hold_exactly_their_office_time(start: datetime, hours: int) -> None:
    dossier = received(start, procedure=_procedure(Duration.working_hours(hours)))
    assert dossier.clock_started_at is not None
    assert dossier.due_at is not None
    elapsed = CALENDAR.working_time_between(dossier.clock_started_at, dossier.due_at)
    assert elapsed == timedelta(hours=hours)


@settings(max_examples=60)
@given(
    vietnam_instants(first=date(2025, 1, 1), last=date(2026, 12, 31)),
    durations(max_amount=20),
    st.integers(0, 30 * 24 * 60),
    st.integers(0, 20 * 24 * 60),
)
def test_a_pause_adds_exactly_the_time_the_clock_stood_still(
    start: datetime, duration: Duration, pause_after: int, pause_minutes: int
) -> None:
    assume(duration.unit is not DurationUnit.CALENDAR_DAYS)
    dossier = received(start, procedure=_procedure(duration))
    assert dossier.clock_started_at is not None
    assert dossier.due_at is not None
    paused_at = start + timedelta(minutes=pause_after)
    resumed_at = paused_at + timedelta(minutes=pause_minutes)
    paused = dossier.pause(at=paused_at, actor="cv", reason="r")
    back = paused.resume(at=resumed_at, actor="cv", calendar=CALENDAR)
    assert back.due_at is not None
    assert back.due_at >= dossier.due_at
    if paused_at >= dossier.due_at:
        assert back.due_at == dossier.due_at
        return
    measure = CALENDAR.working_time_between
    before = measure(dossier.clock_started_at, dossier.due_at)
    stood_still = measure(max(paused_at, dossier.clock_started_at), resumed_at)
    if stood_still <= timedelta(0):
        assert back.due_at == dossier.due_at
    else:
        assert measure(dossier.clock_started_at, back.due_at) == before + stood_still


@settings(max_examples=40)
@given(
    vietnam_instants(first=date(2025, 1, 1), last=date(2026, 12, 31)),
    st.integers(1, 30),
    st.integers(0, 40),
    st.integers(0, 20),
)
def test_calendar_day_pauses_add_the_days_paused(
    start: datetime, days: int, pause_after: int, paused_days: int
) -> None:
    dossier = received(start, procedure=_procedure(Duration.calendar_days(days)))
    assert dossier.due_at is not None
    paused_at = start + timedelta(days=pause_after)
    assume(paused_at < dossier.due_at)
    back = shift_for_pause(
        CALENDAR,
        dossier.due_at,
        DurationUnit.CALENDAR_DAYS,
        paused_at,
        paused_at + timedelta(days=paused_days),
    )
    assert back.date() >= dossier.due_at.date() + timedelta(days=paused_days)
    assert CALENDAR.is_working_day(back.date())
    # rolled forward to the first working day, no further
    day = dossier.due_at.date() + timedelta(days=paused_days)
    while day < back.date():
        assert not CALENDAR.is_working_day(day)
        day += timedelta(days=1)


@settings(max_examples=40)
@given(vietnam_instants(), procedures(with_steps=True))
def test_the_last_planned_step_ends_by_the_total(start: datetime, p: Procedure) -> None:
    begin = CALENDAR.receipt_start(start, cutoff=p.cutoff)
    dues = step_deadlines(CALENDAR, begin, p)
    assert len(dues) == len(p.steps)
    assert all(due <= CALENDAR.due(begin, p.processing_time) for due in dues)


def test_a_local_day_off_moves_deadlines() -> None:
    local = WorkCalendar(
        changes=[DayChange(day=date(2026, 3, 4), working=False, decision="QĐ 1/QĐ-UBND")]
    )
    dossier = Dossier.receive(
        code=DossierCode(agency=UNIT, day=date(2026, 3, 2), number=1),
        procedure=SIMPLE,
        applicant=CITIZEN,
        channel=Channel.DIRECT,
        receiving_agency=UNIT,
        received_at=at(2026, 3, 2, 9),
        actor="cb",
        calendar=local,
    )
    assert dossier.due_at == at(2026, 3, 6, 9)


@pytest.mark.parametrize(
    ("received_at", "due"),
    [
        (at(2024, 2, 7, 10), at(2024, 2, 15, 10)),  # Tết 2024: 8–14 February off
        (at(2025, 1, 24, 10), at(2025, 2, 3, 10)),  # Tết 2025: 25 January – 2 February off
        (at(2026, 2, 13, 10), at(2026, 2, 23, 10)),  # Tết 2026: 14–22 February off
        (at(2027, 2, 3, 10), at(2027, 2, 11, 10)),  # Tết 2027 as holidays has it: 4–10 Feb
    ],
)
def test_one_working_day_across_tet(received_at: datetime, due: datetime) -> None:
    assert received(received_at, procedure=_procedure(_wd(1))).due_at == due


def test_a_supplement_across_tet_2026_adds_no_tet_days() -> None:
    dossier = received(at(2026, 2, 11, 9), procedure=_procedure(_wd(3)))
    assert dossier.due_at == at(2026, 2, 23, 9)  # 12, 13, 23 February
    asked = dossier.request_supplement(items=["Ảnh"], at=at(2026, 2, 13, 9), actor="cv")
    back = asked.supplement(at=at(2026, 2, 23, 9), actor="cb", calendar=CALENDAR)
    # one working day stood still (13 Feb 09:00–17:00 and 23 Feb 07:00–09:00); Tết costs nothing
    assert back.due_at == at(2026, 2, 24, 9)
