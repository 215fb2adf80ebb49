"""The state machine: the table, illegal moves, national codes and the transition records."""

from __future__ import annotations

import itertools

import pytest

from egovkit.calendar import Duration
from egovkit.dossiers import (
    TRANSITIONS,
    Dossier,
    DossierCode,
    DossierStatus,
    IllegalTransitionError,
    TransitionRecord,
    check_transition,
    is_allowed,
)
from egovkit.errors import ConflictError, NotFoundError, ValidationError

from ._support import CALENDAR, CITIZEN, SIMPLE, UNIT, at, received

S = DossierStatus


def test_the_table_covers_every_state() -> None:
    assert set(TRANSITIONS) == set(DossierStatus)
    for targets in TRANSITIONS.values():
        assert targets <= set(DossierStatus)


def test_terminal_states_lead_nowhere() -> None:
    for status in DossierStatus:
        assert (not TRANSITIONS[status]) == status.is_terminal


def test_no_state_moves_to_itself() -> None:
    for status, targets in TRANSITIONS.items():
        assert status not in targets


def test_every_state_is_reachable_from_submission() -> None:
    seen = {S.SUBMITTED}
    frontier = [S.SUBMITTED]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(DossierStatus)


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s, t in itertools.product(DossierStatus, DossierStatus) if t not in TRANSITIONS[s]],
)
def test_every_pair_outside_the_table_is_illegal(source: S, target: S) -> None:
    assert not is_allowed(source, target)
    with pytest.raises(IllegalTransitionError) as caught:
        check_transition(source, target)
    error = caught.value
    assert isinstance(error, ConflictError)
    assert error.code == "dossier.illegal_transition"
    assert (error.source, error.target) == (source, target)
    assert error.to_dict()["from"] == source.value
    assert error.to_dict()["to"] == target.value
    assert source.value in error.message
    assert target.value in error.message


def test_national_codes_are_one_to_ten_once_each() -> None:
    codes = [s.national_code for s in DossierStatus if s.national_code is not None]
    assert sorted(codes) == list(range(1, 11))
    for code in range(1, 11):
        assert DossierStatus.from_national_code(code).national_code == code
    assert DossierStatus.RESOLVED.national_code == 9
    assert DossierStatus.SUPPLEMENT_REQUESTED.vietnamese == "Yêu cầu bổ sung giấy tờ"
    local = {s for s in DossierStatus if s.national_code is None}
    assert local == {S.TRANSFERRED, S.PAUSED, S.CORRECTING}
    with pytest.raises(NotFoundError):
        DossierStatus.from_national_code(11)


def test_returned_dossier_cannot_be_withdrawn() -> None:
    dossier = received(at(2026, 3, 2, 9)).resolve(at=at(2026, 3, 3, 9), actor="ld")
    dossier = dossier.return_result(at=at(2026, 3, 3, 10), actor="cb")
    with pytest.raises(IllegalTransitionError) as caught:
        dossier.withdraw(at=at(2026, 3, 4, 9), actor="cd")
    assert caught.value.source is S.RETURNED
    assert caught.value.target is S.WITHDRAWN


@pytest.mark.parametrize(
    "action",
    [
        lambda d: d.start_processing(at=at(2026, 3, 5, 9), actor="x"),
        lambda d: d.resolve(at=at(2026, 3, 5, 9), actor="x"),
        lambda d: d.pause(at=at(2026, 3, 5, 9), actor="x", reason="r"),
        lambda d: d.request_supplement(items=["a"], at=at(2026, 3, 5, 9), actor="x"),
        lambda d: d.accept(at=at(2026, 3, 5, 9), actor="x", calendar=CALENDAR),
    ],
)
def test_withdrawn_dossier_does_nothing_more(action: object) -> None:
    dossier = received(at(2026, 3, 2, 9)).withdraw(at=at(2026, 3, 3, 9), actor="cd")
    with pytest.raises(IllegalTransitionError):
        action(dossier)  # type: ignore[operator]


def test_an_illegal_move_leaves_the_dossier_and_the_log_alone() -> None:
    log: list[TransitionRecord] = []
    dossier = received(at(2026, 3, 2, 9))
    with pytest.raises(IllegalTransitionError):
        dossier.return_result(at=at(2026, 3, 3, 9), actor="cb", recorder=log.append)
    assert log == []
    assert dossier.status is S.RECEIVED


def test_every_change_is_handed_to_the_recorder() -> None:
    log: list[TransitionRecord] = []
    dossier = Dossier.submit(
        code=DossierCode(agency=UNIT, day=at(2026, 3, 2, 9).date(), number=7),
        procedure=SIMPLE,
        applicant=CITIZEN,
        receiving_agency=UNIT,
        submitted_at=at(2026, 3, 1, 22, 15),
        actor="cổng dịch vụ công",
        recorder=log.append,
    )
    dossier = dossier.accept(
        at=at(2026, 3, 2, 8), actor="cb.tiepnhan", calendar=CALENDAR, recorder=log.append
    )
    dossier = dossier.start_processing(at=at(2026, 3, 2, 9), actor="cv", recorder=log.append)
    dossier = dossier.extend(
        at=at(2026, 3, 3, 9),
        actor="ld",
        reason="Cần xác minh",
        letter_reference="5/XL",
        calendar=CALENDAR,
        by=Duration.working_days(1),
        recorder=log.append,
    )
    dossier = dossier.resolve(at=at(2026, 3, 4, 9), actor="ld", recorder=log.append)
    assert log == list(dossier.history)
    assert [(r.event, r.source, r.target) for r in log] == [
        ("submit", None, S.SUBMITTED),
        ("accept", S.SUBMITTED, S.RECEIVED),
        ("start_processing", S.RECEIVED, S.PROCESSING),
        ("extend", S.PROCESSING, S.PROCESSING),
        ("resolve", S.PROCESSING, S.RESOLVED),
    ]
    assert log[3].reason == "Cần xác minh"
    assert log[1].to_dict() == {
        "dossier": "000.00.01.H53-260302-0007",
        "event": "accept",
        "from": "submitted",
        "to": "received",
        "actor": "cb.tiepnhan",
        "at": "2026-03-02T08:00:00+07:00",
        "reason": "",
    }


def test_changes_cannot_go_back_in_time() -> None:
    dossier = received(at(2026, 3, 2, 9))
    with pytest.raises(ValidationError) as caught:
        dossier.start_processing(at=at(2026, 3, 2, 8), actor="cv")
    assert caught.value.code == "dossier.time_order"


def test_actions_that_need_a_reason_refuse_without_one() -> None:
    dossier = received(at(2026, 3, 2, 9))
    with pytest.raises(ValidationError) as caught:
        dossier.stop(at=at(2026, 3, 3, 9), actor="ld", reason="  ")
    assert caught.value.code == "dossier.reason_missing"


def test_correction_goes_back_to_resolved_and_keeps_the_first_finish() -> None:
    dossier = received(at(2026, 3, 2, 9)).resolve(at=at(2026, 3, 3, 9), actor="ld")
    dossier = dossier.return_result(at=at(2026, 3, 3, 10), actor="cb")
    dossier = dossier.start_correction(at=at(2026, 3, 5, 9), actor="cb", reason="Sai tên")
    assert dossier.status is S.CORRECTING
    dossier = dossier.resolve(at=at(2026, 3, 6, 9), actor="ld")
    dossier = dossier.return_result(at=at(2026, 3, 6, 10), actor="cb")
    assert dossier.finished_at == at(2026, 3, 3, 9)
    assert dossier.returned_at == at(2026, 3, 6, 10)


def test_refusal_of_an_online_submission() -> None:
    dossier = Dossier.submit(
        code=DossierCode(agency=UNIT, day=at(2026, 3, 2, 9).date(), number=8),
        procedure=SIMPLE,
        applicant=CITIZEN,
        receiving_agency=UNIT,
        submitted_at=at(2026, 3, 2, 9),
        actor="cổng",
    )
    assert dossier.due_at is None
    assert dossier.received_at is None
    refused = dossier.refuse(at=at(2026, 3, 2, 10), actor="cb", reason="Không thuộc thẩm quyền")
    assert refused.status is S.REFUSED
    assert refused.refused_at == at(2026, 3, 2, 10)
    assert refused.closed_at == at(2026, 3, 2, 10)
