"""The allowed steps of a case, in one table, and the fold that applies an event to a case.

``TRANSITIONS[(state, action)]`` is the state after the step; a pair not in the table is an
illegal move (:class:`IllegalMoveError`). Incoming cases start
``RECEIVED``, outgoing ones
``DRAFT``. The order follows Decree 30/2020/NĐ-CP: incoming documents are
received, distributed, directed and assigned (Art. 20-24); outgoing ones are drafted, reviewed,
signed, then numbered and issued (Art. 10-16; numbering follows signing, Art. 15-16); an issued
document can be recalled or replaced (Art. 18.4).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

import attrs

from egovkit.errors import ConflictError, ValidationError
from egovkit.handling.model import Action, Assignment, Case, Event, Flow, Recipient, Role, State

_S, _A = State, Action

#: The state a case of each flow starts in.
INITIAL: Final[Mapping[Flow, State]] = MappingProxyType(
    {Flow.INCOMING: _S.RECEIVED, Flow.OUTGOING: _S.DRAFT}
)

#: Every allowed step: (state before, action) → state after.
TRANSITIONS: Final[Mapping[tuple[State, Action], State]] = MappingProxyType(
    {
        # incoming (văn bản đến)
        (_S.RECEIVED, _A.DISTRIBUTE): _S.DISTRIBUTED,
        (_S.DISTRIBUTED, _A.DISTRIBUTE): _S.DISTRIBUTED,
        (_S.RECEIVED, _A.DIRECT): _S.DIRECTED,
        (_S.DISTRIBUTED, _A.DIRECT): _S.DIRECTED,
        (_S.DIRECTED, _A.DIRECT): _S.DIRECTED,
        (_S.ASSIGNED, _A.DIRECT): _S.ASSIGNED,
        (_S.IN_PROGRESS, _A.DIRECT): _S.IN_PROGRESS,
        (_S.DISTRIBUTED, _A.ASSIGN): _S.ASSIGNED,
        (_S.DIRECTED, _A.ASSIGN): _S.ASSIGNED,
        (_S.ASSIGNED, _A.ASSIGN): _S.ASSIGNED,
        (_S.IN_PROGRESS, _A.ASSIGN): _S.IN_PROGRESS,
        (_S.ASSIGNED, _A.NOTE): _S.IN_PROGRESS,
        (_S.IN_PROGRESS, _A.NOTE): _S.IN_PROGRESS,
        (_S.ASSIGNED, _A.COMPLETE): _S.COMPLETED,
        (_S.IN_PROGRESS, _A.COMPLETE): _S.COMPLETED,
        (_S.COMPLETED, _A.REOPEN): _S.IN_PROGRESS,
        # outgoing (văn bản đi)
        (_S.DRAFT, _A.NOTE): _S.DRAFT,
        (_S.DRAFT, _A.SUBMIT_FOR_REVIEW): _S.IN_REVIEW,
        (_S.IN_REVIEW, _A.NOTE): _S.IN_REVIEW,
        (_S.IN_REVIEW, _A.RETURN_TO_DRAFT): _S.DRAFT,
        (_S.IN_REVIEW, _A.SUBMIT_FOR_SIGNING): _S.AWAITING_SIGNATURE,
        (_S.AWAITING_SIGNATURE, _A.RETURN_TO_DRAFT): _S.DRAFT,
        (_S.AWAITING_SIGNATURE, _A.SIGN): _S.SIGNED,
        (_S.SIGNED, _A.NUMBER): _S.NUMBERED,
        (_S.NUMBERED, _A.ISSUE): _S.ISSUED,
        (_S.ISSUED, _A.RECALL): _S.RECALLED,
        (_S.ISSUED, _A.REPLACE): _S.REPLACED,
    }
)

#: The actions each flow knows (an action of the other flow is refused with a clear message).
FLOW_OF_STATE: Final[Mapping[State, Flow]] = MappingProxyType(
    {state: Flow.INCOMING if index < 6 else Flow.OUTGOING for index, state in enumerate(State)}
)


class IllegalMoveError(ConflictError):
    """A step the transition table does not allow from the case's state."""

    default_code = "handling.illegal_move"


def allowed(state: State) -> frozenset[Action]:
    """The actions the table allows from ``state``."""
    return frozenset(action for (before, action) in TRANSITIONS if before is state)


def _require(condition: bool, message: str, code: str, where: str) -> None:
    if not condition:
        raise ValidationError(message, code=code, where=where)


def _merged_recipients(
    have: tuple[Recipient, ...], new: Iterable[Recipient]
) -> tuple[Recipient, ...]:
    kept = list(have)
    for recipient in new:
        if recipient not in kept:
            kept.append(recipient)
    return tuple(kept)


def _merged_assignments(
    have: tuple[Assignment, ...], new: Iterable[Assignment]
) -> tuple[Assignment, ...]:
    kept = {assignment.party: assignment for assignment in have}
    for assignment in new:
        kept[assignment.party] = assignment  # the same party again: the newer part replaces
    return tuple(kept.values())


def apply(case: Case, event: Event) -> Case:
    """``case`` after ``event``; :class:`IllegalMoveError` when the table does not allow it,
    :class:`~egovkit.errors.ValidationError` when the event lacks what its action needs."""
    after = TRANSITIONS.get((case.state, event.action))
    if after is None:
        names = ", ".join(sorted(a.value for a in allowed(case.state))) or "none"
        raise IllegalMoveError(
            f"a case in state {case.state.value!r} cannot {event.action.value!r} "
            f"(allowed: {names})",
            where=case.key,
        )
    last = case.events[-1].at if case.events else case.opened_at
    _require(
        event.at >= last,
        f"an event at {event.at.isoformat()} comes before the case's last step "
        f"({last.isoformat()})",
        "handling.event_order",
        "at",
    )
    changes: dict[str, object] = {"state": after, "events": (*case.events, event)}
    action = event.action
    if action is Action.DISTRIBUTE:
        _require(bool(event.recipients), "distribute to whom?", "handling.recipients", "recipients")
        changes["recipients"] = _merged_recipients(case.recipients, event.recipients)
    elif action is Action.DIRECT:
        _require(bool(event.text), "a direction needs its text", "handling.direction", "text")
        changes["direction"] = event.text
        if event.due is not None:
            changes["due"] = event.due
    elif action is Action.ASSIGN:
        _require(bool(event.assignments), "assign to whom?", "handling.assignments", "assignments")
        merged = _merged_assignments(case.assignments, event.assignments)
        _require(
            any(a.role is Role.IN_CHARGE for a in merged),
            "an assignment needs a unit in charge (chủ trì)",
            "handling.in_charge",
            "assignments",
        )
        changes["assignments"] = merged
        if event.due is not None and case.due is None:  # a default: a direction's date wins
            changes["due"] = event.due
    elif action in (Action.NOTE, Action.RETURN_TO_DRAFT, Action.RECALL, Action.REOPEN):
        _require(bool(event.text), f"{action.value} needs a text", "handling.text", "text")
        if action is Action.REOPEN:
            changes["completed_at"] = None
            changes["reply"] = ""
    elif action is Action.COMPLETE:
        changes["completed_at"] = event.at
        changes["reply"] = event.document
    elif action is Action.SIGN:
        changes["signed_at"] = event.at
    elif action is Action.NUMBER:
        _require(
            bool(event.document), "number needs the số, ký hiệu", "handling.number", "document"
        )
        changes["number"] = event.document
    elif action is Action.ISSUE:
        changes["issued_at"] = event.at
    elif action is Action.REPLACE:
        _require(
            bool(event.document),
            "replace needs the replacement",
            "handling.replacement",
            "document",
        )
        changes["replaced_by"] = event.document
    return attrs.evolve(case, **changes)  # type: ignore[arg-type]


def replay(case: Case, events: Iterable[Event]) -> Case:
    """``case`` after each of ``events`` in turn."""
    for event in events:
        case = apply(case, event)
    return case


def rebuilt(case: Case) -> Case:
    """``case`` recomputed from its opening and its events (what a stored case must equal)."""
    start = attrs.evolve(
        case,
        state=INITIAL[case.flow],
        due=None,
        direction="",
        recipients=(),
        assignments=(),
        completed_at=None,
        reply="",
        signed_at=None,
        issued_at=None,
        replaced_by="",
        events=(),
        # the number is the opening's, unless a step gave it (numbering an outgoing document)
        number="" if any(e.action is Action.NUMBER for e in case.events) else case.number,
    )
    return replay(start, case.events)


__all__ = [
    "FLOW_OF_STATE",
    "INITIAL",
    "TRANSITIONS",
    "IllegalMoveError",
    "allowed",
    "apply",
    "rebuilt",
    "replay",
]
