"""The value objects of document handling (xử lý văn bản): a case, its events, its people.

A :class:`Case` follows one document through an office: an incoming document (văn bản đến) from
receipt to completion, or an outgoing one (văn bản đi) from draft to issue. The case is the fold
of its :class:`Event` list: every step names its actor and instant, and the state after it comes
from one transition table (:mod:`egovkit.handling.transitions`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime

import attrs

from egovkit.calendar import to_vietnam
from egovkit.errors import ValidationError
from egovkit.text import clean


class Flow(enum.Enum):
    """Which way the document travels."""

    INCOMING = "incoming"  # văn bản đến
    OUTGOING = "outgoing"  # văn bản đi


class State(enum.Enum):
    """Where a case stands. The first six are incoming states, the rest outgoing ones."""

    RECEIVED = "received"  # tiếp nhận, vào sổ văn bản đến
    DISTRIBUTED = "distributed"  # đã phân phối (trình lãnh đạo, chuyển đơn vị)
    DIRECTED = "directed"  # đã có ý kiến chỉ đạo
    ASSIGNED = "assigned"  # đã giao xử lý
    IN_PROGRESS = "in_progress"  # đang xử lý
    COMPLETED = "completed"  # hoàn thành xử lý
    DRAFT = "draft"  # dự thảo
    IN_REVIEW = "in_review"  # trình duyệt, kiểm tra thể thức
    AWAITING_SIGNATURE = "awaiting_signature"  # trình ký
    SIGNED = "signed"  # đã ký
    NUMBERED = "numbered"  # đã cấp số
    ISSUED = "issued"  # đã ban hành
    RECALLED = "recalled"  # đã thu hồi
    REPLACED = "replaced"  # đã thay thế


class Action(enum.Enum):
    """What an event does (its name in the transition table and in the audit log)."""

    DISTRIBUTE = "distribute"  # phân phối
    DIRECT = "direct"  # cho ý kiến chỉ đạo
    ASSIGN = "assign"  # giao xử lý
    NOTE = "note"  # ghi tiến độ
    COMPLETE = "complete"  # hoàn thành (có văn bản trả lời)
    REOPEN = "reopen"  # mở lại
    SUBMIT_FOR_REVIEW = "submit_for_review"  # trình duyệt
    RETURN_TO_DRAFT = "return_to_draft"  # trả lại dự thảo
    SUBMIT_FOR_SIGNING = "submit_for_signing"  # trình ký
    SIGN = "sign"  # ký
    NUMBER = "number"  # cấp số
    ISSUE = "issue"  # ban hành, phát hành
    RECALL = "recall"  # thu hồi
    REPLACE = "replace"  # thay thế


class Role(enum.Enum):
    """A person's or unit's part in handling an incoming document (phiếu giải quyết văn bản đến)."""

    IN_CHARGE = "in_charge"  # chủ trì
    COOPERATING = "cooperating"  # phối hợp
    INFORMATION = "information"  # để biết


class Level(enum.Enum):
    """The level of government of the office that handles a case (for the electronic share)."""

    CENTRAL = "central"  # trung ương
    PROVINCE = "province"  # cấp tỉnh
    DISTRICT = "district"  # cấp huyện (until 30 June 2025)
    COMMUNE = "commune"  # cấp xã


def _instant(value: datetime) -> datetime:
    return to_vietnam(value, where="at")


def _optional_instant(value: datetime | None) -> datetime | None:
    return None if value is None else to_vietnam(value, where="due")


def _recipients(value: Iterable[Recipient]) -> tuple[Recipient, ...]:
    return tuple(value)


def _assignments(value: Iterable[Assignment]) -> tuple[Assignment, ...]:
    return tuple(value)


def _events(value: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(value)


def _name(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value:
        raise ValidationError(
            f"{attribute.name} must not be empty", code="handling.empty", where=attribute.name
        )


@attrs.frozen(kw_only=True)
class Recipient:
    """A unit, or a person of a unit, that a document is distributed to."""

    unit: str = attrs.field(converter=clean, validator=_name)
    person: str = attrs.field(default="", converter=clean)


@attrs.frozen(kw_only=True)
class Assignment:
    """A unit (and optionally a person in it) given a part in handling, with its deadline.

    ``due`` is the assignment's own deadline; ``None`` means the case's deadline.
    """

    unit: str = attrs.field(converter=clean, validator=_name)
    person: str = attrs.field(default="", converter=clean)
    role: Role
    due: datetime | None = attrs.field(default=None, converter=_optional_instant)

    @property
    def party(self) -> tuple[str, str]:
        """Who: (unit, person) — an assignment to the same party replaces the earlier one."""
        return (self.unit, self.person)


@attrs.frozen(kw_only=True)
class Event:
    """One step of a case, made by ``actor`` at ``at``.

    Which fields an action uses: ``recipients`` (distribute), ``text`` (the direction, a progress
    note, a reason), ``due`` (the deadline a direction sets, already resolved on the calendar; on
    assign, the default deadline, kept only when the case has none yet),
    ``assignments`` (assign), ``document`` (the reply document of complete, the replacement of
    replace, the number of number).
    """

    action: Action
    at: datetime = attrs.field(converter=_instant)
    actor: str = attrs.field(converter=clean, validator=_name)
    text: str = attrs.field(default="", converter=clean)
    due: datetime | None = attrs.field(default=None, converter=_optional_instant)
    recipients: tuple[Recipient, ...] = attrs.field(default=(), converter=_recipients)
    assignments: tuple[Assignment, ...] = attrs.field(default=(), converter=_assignments)
    document: str = attrs.field(default="", converter=clean)


#: The state a new case of each flow is in.
_START: dict[Flow, State] = {Flow.INCOMING: State.RECEIVED, Flow.OUTGOING: State.DRAFT}


@attrs.frozen(kw_only=True)
class Case:
    """A document as an office handles it: what it is, where it stands, and how it got there.

    ``key`` names the case in the store; ``document_type`` is the Decree 30 abbreviation (``""``
    for a công văn); ``number`` the số, ký hiệu (for an outgoing case, given when numbered);
    ``electronic`` whether it was received or sent electronically; ``level`` and ``office`` the
    handling office's level and code (for statistics).
    """

    key: str = attrs.field(converter=clean, validator=_name)
    flow: Flow
    office: str = attrs.field(converter=clean, validator=_name)
    level: Level
    opened_at: datetime = attrs.field(converter=_instant)
    opened_by: str = attrs.field(converter=clean, validator=_name)
    subject: str = attrs.field(default="", converter=clean)
    document_type: str = attrs.field(default="", converter=clean)
    number: str = attrs.field(default="", converter=clean)
    issuer: str = attrs.field(default="", converter=clean)
    document_date: datetime | None = attrs.field(default=None, converter=_optional_instant)
    electronic: bool = True
    state: State = attrs.field(default=attrs.Factory(lambda c: _START[c.flow], takes_self=True))
    due: datetime | None = attrs.field(default=None, converter=_optional_instant)
    direction: str = ""
    recipients: tuple[Recipient, ...] = attrs.field(default=(), converter=_recipients)
    assignments: tuple[Assignment, ...] = attrs.field(default=(), converter=_assignments)
    completed_at: datetime | None = attrs.field(default=None, converter=_optional_instant)
    reply: str = ""
    signed_at: datetime | None = attrs.field(default=None, converter=_optional_instant)
    issued_at: datetime | None = attrs.field(default=None, converter=_optional_instant)
    replaced_by: str = ""
    events: tuple[Event, ...] = attrs.field(default=(), converter=_events)

    @property
    def is_open(self) -> bool:
        """Whether the case still waits for someone (not completed, issued, recalled, replaced)."""
        return self.state not in _CLOSED

    def due_of(self, assignment: Assignment) -> datetime | None:
        """The deadline that applies to ``assignment``: its own, else the case's."""
        return assignment.due if assignment.due is not None else self.due

    @property
    def on_time(self) -> bool | None:
        """For a completed case: completed by its deadline (``True`` without one); else ``None``."""
        if self.completed_at is None:
            return None
        return self.due is None or self.completed_at <= self.due


_CLOSED = frozenset({State.COMPLETED, State.ISSUED, State.RECALLED, State.REPLACED})

__all__ = [
    "Action",
    "Assignment",
    "Case",
    "Event",
    "Flow",
    "Level",
    "Recipient",
    "Role",
    "State",
]
