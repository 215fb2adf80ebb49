"""The allowed state changes of a dossier, in one table, and the record each change leaves.

Every change a desk makes produces a :class:`TransitionRecord` (who, when, from, to, why). The
domain does not know where records go: whoever runs the desk passes a
:class:`TransitionRecorder` (a callable) and connects it to the store's audit log (nhật ký).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Final, Protocol

import attrs

from egovkit.calendar import to_vietnam
from egovkit.dossiers.status import DossierStatus
from egovkit.errors import ConflictError
from egovkit.text import clean

_S = DossierStatus

#: Every allowed change of state: ``TRANSITIONS[from]`` is the set of states it may go to.
#: Anything not listed raises :class:`IllegalTransitionError`.
TRANSITIONS: Final[Mapping[DossierStatus, frozenset[DossierStatus]]] = MappingProxyType(
    {
        _S.SUBMITTED: frozenset({_S.RECEIVED, _S.REFUSED, _S.SUPPLEMENT_REQUESTED, _S.WITHDRAWN}),
        _S.RECEIVED: frozenset(
            {
                _S.PROCESSING,
                _S.TRANSFERRED,
                _S.SUPPLEMENT_REQUESTED,
                _S.AWAITING_PAYMENT,
                _S.PAUSED,
                _S.WITHDRAWN,
                _S.STOPPED,
                _S.RESOLVED,
            }
        ),
        _S.PROCESSING: frozenset(
            {
                _S.TRANSFERRED,
                _S.SUPPLEMENT_REQUESTED,
                _S.AWAITING_PAYMENT,
                _S.PAUSED,
                _S.WITHDRAWN,
                _S.STOPPED,
                _S.RESOLVED,
            }
        ),
        _S.TRANSFERRED: frozenset(
            {
                _S.PROCESSING,
                _S.SUPPLEMENT_REQUESTED,
                _S.AWAITING_PAYMENT,
                _S.PAUSED,
                _S.WITHDRAWN,
                _S.STOPPED,
                _S.RESOLVED,
            }
        ),
        # leaving a clock-stopped state goes back where the dossier came from (or ends it)
        _S.SUPPLEMENT_REQUESTED: frozenset(
            {_S.SUBMITTED, _S.RECEIVED, _S.PROCESSING, _S.TRANSFERRED, _S.WITHDRAWN, _S.STOPPED}
        ),
        _S.AWAITING_PAYMENT: frozenset(
            {_S.RECEIVED, _S.PROCESSING, _S.TRANSFERRED, _S.RESOLVED, _S.WITHDRAWN, _S.STOPPED}
        ),
        _S.PAUSED: frozenset(
            {_S.RECEIVED, _S.PROCESSING, _S.TRANSFERRED, _S.WITHDRAWN, _S.STOPPED}
        ),
        _S.RESOLVED: frozenset({_S.RETURNED, _S.CORRECTING}),
        _S.RETURNED: frozenset({_S.CORRECTING}),
        _S.CORRECTING: frozenset({_S.RESOLVED}),
        _S.REFUSED: frozenset(),
        _S.WITHDRAWN: frozenset(),
        _S.STOPPED: frozenset(),
    }
)


def is_allowed(source: DossierStatus, target: DossierStatus) -> bool:
    """Whether a dossier in ``source`` may move to ``target``."""
    return target in TRANSITIONS[source]


class IllegalTransitionError(ConflictError):
    """A dossier was asked to move to a state its current state does not lead to
    (code ``dossier.illegal_transition``); ``source`` and ``target`` name both states."""

    default_code = "dossier.illegal_transition"

    def __init__(
        self, source: DossierStatus, target: DossierStatus, *, where: str = "status"
    ) -> None:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[source])) or "nothing"
        super().__init__(
            f"a dossier cannot go from {source.value} ({source.vietnamese}) to {target.value} "
            f"({target.vietnamese}); from {source.value} it may go to: {allowed}",
            where=where,
        )
        self.source = source
        self.target = target

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "from": self.source.value, "to": self.target.value}


def check_transition(
    source: DossierStatus, target: DossierStatus, *, where: str = "status"
) -> None:
    """Raise :class:`IllegalTransitionError` unless ``source`` may move to ``target``."""
    if target not in TRANSITIONS[source]:
        raise IllegalTransitionError(source, target, where=where)


def _instant(value: datetime) -> datetime:
    return to_vietnam(value, where="at")


@attrs.frozen(kw_only=True)
class TransitionRecord:
    """One change of a dossier, as the audit log keeps it.

    ``event`` names what happened (``"receive"``, ``"request_supplement"``, ``"extend"``…); for
    events that do not change the state (an extension, a step finished) ``source`` equals
    ``target``.
    """

    dossier: str
    event: str
    source: DossierStatus | None
    target: DossierStatus
    actor: str = attrs.field(converter=clean)
    at: datetime = attrs.field(converter=_instant)
    reason: str = attrs.field(default="", converter=clean)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view (what an audit log or the CLI stores)."""
        return {
            "dossier": self.dossier,
            "event": self.event,
            "from": None if self.source is None else self.source.value,
            "to": self.target.value,
            "actor": self.actor,
            "at": self.at.isoformat(),
            "reason": self.reason,
        }


class TransitionRecorder(Protocol):
    """Somewhere to put transition records: an audit log, a list, a message queue.

    A list's ``append`` is one: ``recorder: TransitionRecorder = records.append``.
    """

    def __call__(self, record: TransitionRecord, /) -> None:
        """Keep ``record``; raising aborts nothing already returned (call it inside the same
        transaction as the write of the dossier)."""


__all__ = [
    "TRANSITIONS",
    "IllegalTransitionError",
    "TransitionRecord",
    "TransitionRecorder",
    "check_transition",
    "is_allowed",
]
