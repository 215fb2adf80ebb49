"""Cases as JSON-ready data (how the store keeps them), and back: ``case_from_dict(case_to_dict(c))
== c``. Keys are this library's own English names; no wire format is involved."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from egovkit.errors import ParseError
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

#: Version of the stored shape.
SHAPE = 1


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _read_time(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _recipient(r: Recipient) -> dict[str, Any]:
    return {"unit": r.unit, "person": r.person}


def _assignment(a: Assignment) -> dict[str, Any]:
    return {"unit": a.unit, "person": a.person, "role": a.role.value, "due": _time(a.due)}


def _read_assignment(data: Mapping[str, Any]) -> Assignment:
    return Assignment(
        unit=data["unit"],
        person=data["person"],
        role=Role(data["role"]),
        due=_read_time(data["due"]),
    )


def event_to_dict(event: Event) -> dict[str, Any]:
    """An event as JSON-ready data."""
    return {
        "action": event.action.value,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "text": event.text,
        "due": _time(event.due),
        "recipients": [_recipient(r) for r in event.recipients],
        "assignments": [_assignment(a) for a in event.assignments],
        "document": event.document,
    }


def event_from_dict(data: Mapping[str, Any]) -> Event:
    """The event :func:`event_to_dict` wrote."""
    return Event(
        action=Action(data["action"]),
        at=datetime.fromisoformat(data["at"]),
        actor=data["actor"],
        text=data["text"],
        due=_read_time(data["due"]),
        recipients=tuple(Recipient(**r) for r in data["recipients"]),
        assignments=tuple(_read_assignment(a) for a in data["assignments"]),
        document=data["document"],
    )


def case_to_dict(case: Case) -> dict[str, Any]:
    """A case as JSON-ready data."""
    return {
        "shape": SHAPE,
        "key": case.key,
        "flow": case.flow.value,
        "office": case.office,
        "level": case.level.value,
        "opened_at": case.opened_at.isoformat(),
        "opened_by": case.opened_by,
        "subject": case.subject,
        "document_type": case.document_type,
        "number": case.number,
        "issuer": case.issuer,
        "document_date": _time(case.document_date),
        "electronic": case.electronic,
        "state": case.state.value,
        "due": _time(case.due),
        "direction": case.direction,
        "recipients": [_recipient(r) for r in case.recipients],
        "assignments": [_assignment(a) for a in case.assignments],
        "completed_at": _time(case.completed_at),
        "reply": case.reply,
        "signed_at": _time(case.signed_at),
        "issued_at": _time(case.issued_at),
        "replaced_by": case.replaced_by,
        "events": [event_to_dict(e) for e in case.events],
    }


def case_from_dict(data: Mapping[str, Any]) -> Case:
    """The case :func:`case_to_dict` wrote; :class:`~egovkit.errors.ParseError` on other data."""
    try:
        if data.get("shape") != SHAPE:
            raise ValueError(f"unknown shape {data.get('shape')!r}")
        return Case(
            key=data["key"],
            flow=Flow(data["flow"]),
            office=data["office"],
            level=Level(data["level"]),
            opened_at=datetime.fromisoformat(data["opened_at"]),
            opened_by=data["opened_by"],
            subject=data["subject"],
            document_type=data["document_type"],
            number=data["number"],
            issuer=data["issuer"],
            document_date=_read_time(data["document_date"]),
            electronic=bool(data["electronic"]),
            state=State(data["state"]),
            due=_read_time(data["due"]),
            direction=data["direction"],
            recipients=tuple(Recipient(**r) for r in data["recipients"]),
            assignments=tuple(_read_assignment(a) for a in data["assignments"]),
            completed_at=_read_time(data["completed_at"]),
            reply=data["reply"],
            signed_at=_read_time(data["signed_at"]),
            issued_at=_read_time(data["issued_at"]),
            replaced_by=data["replaced_by"],
            events=tuple(event_from_dict(e) for e in data["events"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ParseError(
            f"not a stored handling case: {error}", code="handling.stored", where="case"
        ) from error


__all__ = ["SHAPE", "case_from_dict", "case_to_dict", "event_from_dict", "event_to_dict"]
