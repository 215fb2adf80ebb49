"""Statistics: each figure on a hand-built set, the as-of cut, and the accounting identity."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.agencies import AgencyCode
from egovkit.dossiers import (
    AgencyRole,
    Channel,
    Dossier,
    DossierStatistics,
    Standing,
    Timeliness,
    compute_statistics,
    standing,
    timeliness,
)
from egovkit.errors import ValidationError
from egovkit.testing.strategies.dossiers import dossiers

from ._support import CALENDAR, UNIT, at, received

MARCH = {"agency": UNIT, "start": date(2026, 3, 1), "end": date(2026, 3, 31)}


def _set() -> list[Dossier]:
    """Eleven dossiers of UNIT around March 2026 (simple procedure: 3 working days)."""
    old_done = received(at(2026, 2, 2, 9), number=1).resolve(at=at(2026, 2, 4, 9), actor="ld")
    carried_late = received(at(2026, 2, 26, 9), number=2).resolve(at=at(2026, 3, 4, 9), actor="ld")
    carried_open = received(at(2026, 2, 27, 9), number=3)  # due 4 March 09:00: overdue
    early = received(at(2026, 3, 2, 9), number=4, channel=Channel.ONLINE).resolve(
        at=at(2026, 3, 3, 9), actor="ld"
    )
    on_time = received(at(2026, 3, 2, 9), number=5, channel=Channel.ONLINE).resolve(
        at=at(2026, 3, 5, 8), actor="ld"
    )
    late_same_day = received(at(2026, 3, 2, 9), number=6).resolve(at=at(2026, 3, 5, 10), actor="ld")
    withdrawn = received(at(2026, 3, 10, 9), number=7, channel=Channel.POSTAL).withdraw(
        at=at(2026, 3, 11, 9), actor="cd"
    )
    paused = received(at(2026, 3, 30, 9), number=8).pause(
        at=at(2026, 3, 30, 10), actor="cv", reason="Chờ"
    )
    due_soon = received(at(2026, 3, 26, 9), number=9)  # due 31 March 09:00
    in_time = received(at(2026, 3, 31, 9), number=10)  # due 3 April
    stopped = received(at(2026, 3, 16, 9), number=11).stop(
        at=at(2026, 3, 17, 9), actor="ld", reason="Giả mạo giấy tờ"
    )
    next_month = received(at(2026, 4, 1, 9), number=12)
    return [
        old_done,
        carried_late,
        carried_open,
        early,
        on_time,
        late_same_day,
        withdrawn,
        paused,
        due_soon,
        in_time,
        stopped,
        next_month,
    ]


def test_each_figure_of_march() -> None:
    stats = compute_statistics(_set(), **MARCH)  # type: ignore[arg-type]
    assert stats.as_of == at(2026, 4, 1)
    assert (stats.carried_over, stats.new, stats.received) == (2, 8, 10)
    assert (stats.new_direct, stats.new_online, stats.new_postal) == (5, 2, 1)
    assert (stats.finished_early, stats.finished_on_time, stats.finished_late) == (1, 1, 2)
    assert (stats.in_progress_on_time, stats.in_progress_overdue) == (1, 2)
    assert stats.due_within_24h == 0  # as of 1 April 00:00 the one due 31 March is overdue
    assert (stats.paused, stats.withdrawn, stats.stopped) == (1, 1, 1)
    assert stats.digital_take_up == pytest.approx(2 / 7)
    assert stats.completion_rate == pytest.approx(4 / 10)
    assert stats.on_time_rate == pytest.approx(2 / 4)
    data = stats.to_dict()
    assert data["by_channel"] == {"direct": 5, "online": 2, "postal": 1}
    assert data["received"] == 10
    assert data["as_of"] == "2026-04-01T00:00:00+07:00"


def test_as_of_inside_the_period() -> None:
    stats = compute_statistics(_set(), **MARCH, as_of=at(2026, 3, 30, 12))  # type: ignore[arg-type]
    assert stats.as_of == at(2026, 3, 30, 12)
    # not yet received: in_time (31 March); due_soon is due 31 March 09:00, within 24 hours
    assert stats.new == 7
    assert stats.due_within_24h == 1
    assert stats.in_progress_on_time == 1
    assert stats.in_progress_overdue == 1  # carried_open
    assert stats.paused == 1


def test_as_of_after_the_period_is_cut_to_its_end() -> None:
    later = compute_statistics(_set(), **MARCH, as_of=at(2026, 6, 1))  # type: ignore[arg-type]
    assert later == compute_statistics(_set(), **MARCH)  # type: ignore[arg-type]


def test_as_of_before_the_period_is_refused() -> None:
    with pytest.raises(ValidationError):
        compute_statistics(_set(), **MARCH, as_of=at(2026, 2, 1))  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        compute_statistics([], agency=UNIT, start=date(2026, 3, 2), end=date(2026, 3, 1))


def test_finished_before_as_of_only() -> None:
    stats = compute_statistics(_set(), **MARCH, as_of=at(2026, 3, 5, 9))  # type: ignore[arg-type]
    # on_time resolved at 08:00 counts; late_same_day (resolved 10:00, due 09:00) is still in
    # progress and, due exactly at T, within its deadline
    assert stats.finished_on_time == 1
    assert stats.finished_late == 1  # carried_late
    assert stats.in_progress_overdue == 1  # carried_open
    assert stats.in_progress_on_time == 1
    assert stats.due_within_24h == 1


def test_other_agencies_and_sub_units() -> None:
    parent = AgencyCode.parse("000.00.00.H53")
    assert (
        compute_statistics(
            _set(), agency=parent, start=date(2026, 3, 1), end=date(2026, 3, 31)
        ).received
        == 0
    )
    wide = compute_statistics(
        _set(), agency=parent, start=date(2026, 3, 1), end=date(2026, 3, 31), include_subunits=True
    )
    assert wide.received == 10
    by_desk = compute_statistics(_set(), **MARCH, role=AgencyRole.RECEIVING)  # type: ignore[arg-type]
    assert by_desk.received == 10


def test_empty_rates_are_none() -> None:
    stats = compute_statistics([], **MARCH)  # type: ignore[arg-type]
    assert stats.digital_take_up is None
    assert stats.completion_rate is None
    assert stats.on_time_rate is None


def test_timeliness_compares_dates_for_early_and_instants_for_late() -> None:
    due = at(2026, 3, 5, 9)
    assert timeliness(at(2026, 3, 4, 16), due) is Timeliness.EARLY
    assert timeliness(at(2026, 3, 5, 7), due) is Timeliness.ON_TIME
    assert timeliness(at(2026, 3, 5, 9), due) is Timeliness.ON_TIME
    assert timeliness(at(2026, 3, 5, 9, 1), due) is Timeliness.LATE
    assert timeliness(at(2026, 3, 5, 9), None) is Timeliness.ON_TIME


@settings(max_examples=40)
@given(
    st.lists(
        dossiers(CALENDAR, agencies=st.just(UNIT), first=date(2026, 1, 1), last=date(2026, 4, 30)),
        max_size=12,
    ),
    st.integers(0, 60 * 24),
)
def test_every_received_dossier_is_counted_once(items: list[Dossier], minutes: int) -> None:
    as_of = at(2026, 3, 1) + timedelta(minutes=minutes * 30)
    stats = compute_statistics(items, **MARCH, as_of=as_of)  # type: ignore[arg-type]
    assert stats.received == (
        stats.finished + stats.withdrawn + stats.stopped + stats.in_progress + stats.paused
    )
    assert stats.new == stats.new_direct + stats.new_online + stats.new_postal
    assert 0 <= stats.due_within_24h <= stats.in_progress_on_time
    _check_against_a_slow_reference(items, stats, min(as_of, at(2026, 4, 1)))


def _check_against_a_slow_reference(
    items: list[Dossier], stats: DossierStatistics, cut: datetime
) -> None:
    """Recount two figures from the transition history alone, a different route."""
    start = at(2026, 3, 1)
    new = 0
    open_at_cut = 0
    for dossier in items:
        receipt = dossier.history[0].at
        if start <= receipt < cut:
            new += 1
        if receipt < cut:
            states = [r.target for r in dossier.history if r.at < cut]
            ended = any(s.value in {"resolved", "withdrawn", "stopped"} for s in states)
            if not ended:
                open_at_cut += 1
    assert stats.new == new
    assert stats.in_progress + stats.paused == open_at_cut


def test_standing_is_what_a_watch_list_shows() -> None:
    dossier = received(at(2026, 3, 2, 9))  # due 5 March 09:00
    assert standing(dossier, at(2026, 3, 2, 9)) is Standing.NOT_RECEIVED
    assert standing(dossier, at(2026, 3, 3, 9)) is Standing.ON_TRACK
    assert standing(dossier, at(2026, 3, 4, 9)) is Standing.DUE_SOON
    assert standing(dossier, at(2026, 3, 5, 9)) is Standing.DUE_SOON
    assert standing(dossier, at(2026, 3, 5, 9, 1)) is Standing.OVERDUE
    assert standing(dossier, at(2026, 3, 4, 8), soon=timedelta(hours=1)) is Standing.ON_TRACK
    paused = dossier.pause(at=at(2026, 3, 6, 9), actor="cv", reason="r")
    assert standing(paused, at(2026, 3, 6, 10)) is Standing.PAUSED
    assert standing(paused, at(2026, 3, 6, 9)) is Standing.OVERDUE  # the pause starts at 09:00
    done = dossier.resolve(at=at(2026, 3, 4, 9), actor="ld")
    assert standing(done, at(2026, 3, 4, 9)) is Standing.DUE_SOON
    assert standing(done, at(2026, 3, 4, 9, 1)) is Standing.FINISHED
    watch = [d for d in _set() if standing(d, at(2026, 3, 20)) is Standing.OVERDUE]
    assert [d.code.number for d in watch] == [3]
