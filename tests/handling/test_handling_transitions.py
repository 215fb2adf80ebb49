"""The transition table of handling cases: random event sequences (legal and illegal alike)
follow the table exactly, and replaying a case's events gives the case back."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.errors import ValidationError
from egovkit.handling import (
    INITIAL,
    TRANSITIONS,
    Action,
    Assignment,
    Case,
    Event,
    Flow,
    IllegalMoveError,
    Role,
    State,
    apply,
    case_from_dict,
    case_to_dict,
)
from egovkit.handling.transitions import FLOW_OF_STATE, rebuilt
from egovkit.testing.contracts.handling import incoming
from egovkit.testing.strategies.handling import cases, openings, steps


@settings(max_examples=300)
@given(data=st.data())
def test_the_state_always_follows_the_table(data: st.DataObject) -> None:
    case = data.draw(openings())
    for event in data.draw(steps(case.opened_at, count=20)):
        expected = TRANSITIONS.get((case.state, event.action))
        if expected is None:
            with pytest.raises(IllegalMoveError) as refused:
                apply(case, event)
            assert refused.value.code == "handling.illegal_move"
            continue
        after = apply(case, event)
        assert after.state is expected
        assert after.events == (*case.events, event)
        assert FLOW_OF_STATE[after.state] is case.flow  # a case never changes flow
        case = after


@settings(max_examples=200)
@given(case=cases())
def test_a_case_is_the_replay_of_its_events(case: Case) -> None:
    assert rebuilt(case) == case
    assert case_from_dict(case_to_dict(case)) == case  # read(write(x)) == x


def test_every_state_of_a_flow_is_reachable_and_closed_states_are_terminal_or_reopen() -> None:
    for flow in Flow:
        seen, frontier = {INITIAL[flow]}, [INITIAL[flow]]
        while frontier:
            state = frontier.pop()
            for (before, _), after in TRANSITIONS.items():
                if before is state and after not in seen:
                    seen.add(after)
                    frontier.append(after)
        assert seen == {s for s in State if FLOW_OF_STATE[s] is flow}
    assert {a for (s, a) in TRANSITIONS if s is State.COMPLETED} == {Action.REOPEN}
    assert not [a for (s, a) in TRANSITIONS if s in (State.RECALLED, State.REPLACED)]


def test_an_assignment_needs_a_unit_in_charge_and_events_go_forward() -> None:
    case = incoming()
    t = case.opened_at
    case = apply(case, Event(action=Action.DIRECT, at=t, actor="Chủ tịch", text="Giao"))
    helper = Assignment(unit="Phòng Nội vụ", role=Role.COOPERATING)
    with pytest.raises(ValidationError) as missing:
        apply(case, Event(action=Action.ASSIGN, at=t, actor="Chủ tịch", assignments=(helper,)))
    assert missing.value.code == "handling.in_charge"
    with pytest.raises(ValidationError) as backwards:
        apply(case, Event(action=Action.DIRECT, at=t - timedelta(seconds=1), actor="X", text="y"))
    assert backwards.value.code == "handling.event_order"


def test_completion_links_the_reply_and_reopening_clears_it() -> None:
    case = incoming()
    t = case.opened_at
    lead = Assignment(unit="Văn phòng", role=Role.IN_CHARGE, due=t + timedelta(days=3))
    case = apply(
        case, Event(action=Action.DIRECT, at=t, actor="C", text="Xử lý", due=t + timedelta(days=2))
    )
    case = apply(case, Event(action=Action.ASSIGN, at=t, actor="C", assignments=(lead,)))
    done = apply(
        case,
        Event(action=Action.COMPLETE, at=t + timedelta(days=1), actor="A", document="12/UBND-VP"),
    )
    assert (done.state, done.reply, done.on_time) == (State.COMPLETED, "12/UBND-VP", True)
    again = apply(
        done, Event(action=Action.REOPEN, at=t + timedelta(days=4), actor="C", text="Bổ sung")
    )
    assert (again.state, again.reply, again.completed_at) == (State.IN_PROGRESS, "", None)
    late = apply(again, Event(action=Action.COMPLETE, at=t + timedelta(days=5), actor="A"))
    assert late.on_time is False
    assert attrs.evolve(late, due=None).on_time is True
