"""Handling documents as an office does (quản lý văn bản và điều hành).

Incoming documents (văn bản đến) are distributed to units and people, given a leader's direction
(ý kiến chỉ đạo), assigned to a unit in charge (chủ trì) with cooperating units (phối hợp) and
units for information, given a deadline on the working-day calendar, followed with progress
notes, completed with the reply document linked, and reopened when needed. Outgoing documents
(văn bản đi) are drafted, reviewed, submitted for signing, signed, numbered, issued, and recalled
or replaced. Every step is an
:class:`~egovkit.handling.model.Event` with its actor and instant; one transition table
refuses illegal moves.

- :mod:`~egovkit.handling.model` — cases, events, assignments;
- :mod:`~egovkit.handling.transitions` — the table and the fold;
- :mod:`~egovkit.handling.desk` — steps with deadlines resolved on the calendar;
- :mod:`~egovkit.handling.deadlines` — default processing times per document type (data);
- :mod:`~egovkit.handling.queries` — work queues, overdue, on-time rates, electronic share;
- :mod:`~egovkit.handling.store` — cases in a store, events in its audit log.
"""

from __future__ import annotations

from egovkit.handling.deadlines import DeadlinePolicy, default_policy
from egovkit.handling.desk import Desk
from egovkit.handling.model import (
    Action,
    Assignment,
    Case,
    Event,
    Flow,
    Level,
    Recipient,
    Role,
    State,
)
from egovkit.handling.queries import (
    CaseQueries,
    ElectronicShare,
    HandlingQueries,
    OnTimeRate,
    Task,
)
from egovkit.handling.serialization import case_from_dict, case_to_dict
from egovkit.handling.store import HandlingStore
from egovkit.handling.transitions import INITIAL, TRANSITIONS, IllegalMoveError, apply, replay

__all__ = [
    "INITIAL",
    "TRANSITIONS",
    "Action",
    "Assignment",
    "Case",
    "CaseQueries",
    "DeadlinePolicy",
    "Desk",
    "ElectronicShare",
    "Event",
    "Flow",
    "HandlingQueries",
    "HandlingStore",
    "IllegalMoveError",
    "Level",
    "OnTimeRate",
    "Recipient",
    "Role",
    "State",
    "Task",
    "apply",
    "case_from_dict",
    "case_to_dict",
    "default_policy",
    "replay",
]
