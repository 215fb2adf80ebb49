"""egovkit's own JSON form of a :class:`~egovkit.dossiers.model.Dossier`, for stores, files and
APIs.

This is not a portal wire format (the DVCQG adapter has its own mapping); it is a plain, stable,
English-keyed mapping tagged with :data:`FORMAT`. ``dossier_from_dict(dossier_to_dict(d)) == d``
for every dossier, and bad input raises :class:`~egovkit.errors.ParseError` naming the field.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from datetime import datetime, time
from typing import Any, Final, TypeVar

from egovkit.agencies import AgencyCode
from egovkit.calendar import Duration, DurationUnit, to_vietnam
from egovkit.documents.model import Attachment
from egovkit.dossiers.codes import DossierCode
from egovkit.dossiers.model import Dossier
from egovkit.dossiers.papers import DossierAttachment, Reuse
from egovkit.dossiers.parties import (
    Applicant,
    ApplicantKind,
    Channel,
    Identifier,
    IdentifierKind,
    ResultDelivery,
)
from egovkit.dossiers.parts import (
    ClockPause,
    Extension,
    Fee,
    FeeCollection,
    PauseKind,
    Payment,
    PaymentMethod,
    ProcessingStep,
    Result,
    SupplementRequest,
)
from egovkit.dossiers.procedures import Procedure, StepPlan
from egovkit.dossiers.status import DossierStatus
from egovkit.dossiers.transitions import TransitionRecord
from egovkit.errors import EgovkitError, ParseError

#: The tag of this form; a reader refuses any other.
FORMAT: Final = "egovkit.dossier/1"

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)


def _instant(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _agency(value: AgencyCode | None) -> str | None:
    return None if value is None else str(value)


def _duration(value: Duration) -> dict[str, Any]:
    return {"amount": value.amount, "unit": value.unit.value}


def _attachment(value: Attachment) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": value.name,
        "media_type": value.media_type,
        "size": value.size,
        "sha256": value.sha256,
    }
    if isinstance(value, DossierAttachment):  # Decree 45 flags: only on papers that have them
        out["component_code"] = value.component_code
        out["digitised"] = value.digitised
        out["reuse"] = value.reuse.value
        out["replaces_result"] = value.replaces_result
    return out


def dossier_to_dict(dossier: Dossier) -> dict[str, Any]:
    """A JSON-ready mapping of every part of ``dossier``."""
    procedure = dossier.procedure
    applicant = dossier.applicant
    return {
        "format": FORMAT,
        "code": str(dossier.code),
        "procedure": {
            "code": procedure.code,
            "name": procedure.name,
            "processing_time": _duration(procedure.processing_time),
            "cutoff": None if procedure.cutoff is None else procedure.cutoff.isoformat(),
            "steps": (
                [
                    {"name": s.name, "duration": _duration(s.duration), "agency": _agency(s.agency)}
                    for s in procedure.steps
                ]
                if procedure.steps
                else []
            ),
        },
        "applicant": {
            "kind": applicant.kind._value_,
            "name": applicant.name,
            "identifiers": (
                [{"kind": i.kind._value_, "value": i.value} for i in applicant.identifiers]
                if applicant.identifiers
                else []
            ),
            "address": applicant.address,
            "phone": applicant.phone,
            "email": applicant.email,
        },
        "channel": dossier.channel._value_,
        "receiving_agency": str(dossier.receiving_agency),
        "competent_agency": str(dossier.competent_agency),
        "status": dossier.status._value_,
        "summary": dossier.summary,
        "submitted_at": _instant(dossier.submitted_at),
        "received_at": _instant(dossier.received_at),
        "clock_started_at": _instant(dossier.clock_started_at),
        "due_at": _instant(dossier.due_at),
        "appointed_at": _instant(dossier.appointed_at),
        "steps": (
            [
                {
                    "name": s.name,
                    "agency": _agency(s.agency),
                    "due_at": _instant(s.due_at),
                    "started_at": _instant(s.started_at),
                    "finished_at": _instant(s.finished_at),
                    "handler": s.handler,
                    "note": s.note,
                }
                for s in dossier.steps
            ]
            if dossier.steps
            else []
        ),
        "supplements": (
            [
                {
                    "requested_at": _instant(s.requested_at),
                    "requested_by": s.requested_by,
                    "items": list(s.items),
                    "reason": s.reason,
                    "supplemented_at": _instant(s.supplemented_at),
                    "received_by": s.received_by,
                    "previous_due": _instant(s.previous_due),
                    "new_due": _instant(s.new_due),
                }
                for s in dossier.supplements
            ]
            if dossier.supplements
            else []
        ),
        "pauses": (
            [
                {
                    "kind": p.kind._value_,
                    "started_at": _instant(p.started_at),
                    "resume_to": p.resume_to._value_,
                    "ended_at": _instant(p.ended_at),
                    "reason": p.reason,
                }
                for p in dossier.pauses
            ]
            if dossier.pauses
            else []
        ),
        "extensions": (
            [
                {
                    "at": _instant(e.at),
                    "actor": e.actor,
                    "previous_due": _instant(e.previous_due),
                    "new_due": _instant(e.new_due),
                    "reason": e.reason,
                    "letter_reference": e.letter_reference,
                    "letter_form": e.letter_form,
                }
                for e in dossier.extensions
            ]
            if dossier.extensions
            else []
        ),
        "fees": (
            [
                {
                    "name": f.name,
                    "amount": f.amount,
                    "code": f.code,
                    "collection": f.collection._value_,
                }
                for f in dossier.fees
            ]
            if dossier.fees
            else []
        ),
        "payments": (
            [
                {
                    "amount": p.amount,
                    "paid_at": _instant(p.paid_at),
                    "method": p.method._value_,
                    "reference": p.reference,
                }
                for p in dossier.payments
            ]
            if dossier.payments
            else []
        ),
        "results": (
            [
                {
                    "name": r.name,
                    "issued_at": _instant(r.issued_at),
                    "reference": r.reference,
                    "attachment": None if r.attachment is None else _attachment(r.attachment),
                    "code": r.code,
                    "electronic": r.electronic,
                    "data_store_reference": r.data_store_reference,
                }
                for r in dossier.results
            ]
            if dossier.results
            else []
        ),
        "attachments": [_attachment(a) for a in dossier.attachments] if dossier.attachments else [],
        "result_delivery": (
            None if dossier.result_delivery is None else dossier.result_delivery._value_
        ),
        "history": (
            [
                {
                    "event": r.event,
                    "from": None if r.source is None else r.source._value_,
                    "to": r.target._value_,
                    "actor": r.actor,
                    "at": _instant(r.at),
                    "reason": r.reason,
                }
                for r in dossier.history
            ]
            if dossier.history
            else []
        ),
    }


class _Reader:
    """Reads one mapping, naming the field at fault in every error."""

    def __init__(self, value: object, where: str) -> None:
        if not isinstance(value, Mapping):
            raise ParseError(
                f"{where or 'dossier'} must be an object", code="dossier.json.type", where=where
            )
        self.data: Mapping[str, Any] = value
        self.where = where

    def _path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _get(self, key: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
        if key not in self.data:
            raise ParseError(
                f"{self._path(key)} is missing", code="dossier.json.missing", where=self._path(key)
            )
        value = self.data[key]
        if value is None and optional:
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise ParseError(
                f"{self._path(key)} has the wrong type ({type(value).__name__})",
                code="dossier.json.type",
                where=self._path(key),
            )
        return value

    def text(self, key: str) -> str:
        value: str = self._get(key, str)
        return value

    def optional_text(self, key: str) -> str | None:
        value: str | None = self._get(key, str, optional=True)
        return value

    def flag(self, key: str) -> bool:
        value: bool = self._get(key, bool)
        return value

    def text_or_empty(self, key: str) -> str:
        """A text written since Decree 45 data was added: an older record lacks it."""
        return self.text(key) if key in self.data else ""

    def flag_or_false(self, key: str) -> bool:
        """A flag written since Decree 45 data was added: an older record lacks it."""
        return self.flag(key) if key in self.data else False

    def integer(self, key: str) -> int:
        value: int = self._get(key, int)
        return value

    def convert(self, key: str, read: Callable[[str], T], *, optional: bool = False) -> Any:
        text = self._get(key, str, optional=optional)
        if text is None:
            return None
        try:
            return read(text)
        except EgovkitError as exc:
            raise ParseError(exc.message, code=exc.code, where=self._path(key)) from exc
        except ValueError as exc:
            raise ParseError(
                f"{self._path(key)}: {text!r} is not valid ({exc})",
                code="dossier.json.value",
                where=self._path(key),
            ) from exc

    def instant(self, key: str) -> datetime:
        value: datetime = self.convert(key, _read_instant)
        return value

    def optional_instant(self, key: str) -> datetime | None:
        value: datetime | None = self.convert(key, _read_instant, optional=True)
        return value

    def choice(self, key: str, kind: type[E]) -> E:
        value: E = self.convert(key, kind)
        return value

    def agency(self, key: str, *, optional: bool = False) -> Any:
        return self.convert(key, AgencyCode.parse, optional=optional)

    def items(self, key: str) -> list[_Reader]:
        values = self._get(key, list)
        return [_Reader(v, f"{self._path(key)}[{i}]") for i, v in enumerate(values)]

    def texts(self, key: str) -> list[str]:
        values = self._get(key, list)
        if not all(isinstance(v, str) for v in values):
            raise ParseError(
                f"{self._path(key)} must list text", code="dossier.json.type", where=self._path(key)
            )
        return list(values)

    def child(self, key: str, *, optional: bool = False) -> _Reader | None:
        value = self._get(key, Mapping, optional=optional)
        return None if value is None else _Reader(value, self._path(key))

    def duration(self, key: str) -> Duration:
        child = self.child(key)
        assert child is not None
        return Duration(amount=child.integer("amount"), unit=child.choice("unit", DurationUnit))


def _read_instant(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return to_vietnam(value, where="instant")


def _read_attachment(item: _Reader) -> Attachment:
    if "reuse" not in item.data:
        return Attachment(
            name=item.text("name"),
            media_type=item.text("media_type"),
            size=item.integer("size"),
            sha256=item.text("sha256"),
        )
    return DossierAttachment(
        name=item.text("name"),
        media_type=item.text("media_type"),
        size=item.integer("size"),
        sha256=item.text("sha256"),
        component_code=item.text("component_code"),
        digitised=item.flag("digitised"),
        reuse=item.choice("reuse", Reuse),
        replaces_result=item.text("replaces_result"),
    )


def dossier_from_dict(data: object) -> Dossier:
    """Read the mapping :func:`dossier_to_dict` writes; every error names its field."""
    top = _Reader(data, "")
    if top.data.get("format") != FORMAT:
        raise ParseError(
            f"not a dossier in the form {FORMAT!r}", code="dossier.json.format", where="format"
        )
    try:
        return _read(top)
    except ParseError:
        raise
    except EgovkitError as exc:
        raise ParseError(exc.message, code=exc.code, where=exc.where) from exc


def _read(top: _Reader) -> Dossier:
    code = top.convert("code", DossierCode.parse)
    proc = top.child("procedure")
    who = top.child("applicant")
    assert proc is not None
    assert who is not None
    procedure = Procedure(
        code=proc.text("code"),
        name=proc.text("name"),
        processing_time=proc.duration("processing_time"),
        cutoff=proc.convert("cutoff", time.fromisoformat, optional=True),
        steps=[
            StepPlan(
                name=s.text("name"),
                duration=s.duration("duration"),
                agency=s.agency("agency", optional=True),
            )
            for s in proc.items("steps")
        ],
    )
    applicant = Applicant(
        kind=who.choice("kind", ApplicantKind),
        name=who.text("name"),
        identifiers=[
            Identifier(kind=i.choice("kind", IdentifierKind), value=i.text("value"))
            for i in who.items("identifiers")
        ],
        address=who.text("address"),
        phone=who.text("phone"),
        email=who.text("email"),
    )
    return Dossier(
        code=code,
        procedure=procedure,
        applicant=applicant,
        channel=top.choice("channel", Channel),
        receiving_agency=top.agency("receiving_agency"),
        competent_agency=top.agency("competent_agency"),
        status=top.choice("status", DossierStatus),
        summary=top.text("summary"),
        submitted_at=top.optional_instant("submitted_at"),
        received_at=top.optional_instant("received_at"),
        clock_started_at=top.optional_instant("clock_started_at"),
        due_at=top.optional_instant("due_at"),
        appointed_at=top.optional_instant("appointed_at"),
        steps=[
            ProcessingStep(
                name=s.text("name"),
                agency=s.agency("agency", optional=True),
                due_at=s.optional_instant("due_at"),
                started_at=s.optional_instant("started_at"),
                finished_at=s.optional_instant("finished_at"),
                handler=s.text("handler"),
                note=s.text("note"),
            )
            for s in top.items("steps")
        ],
        supplements=[
            SupplementRequest(
                requested_at=s.instant("requested_at"),
                requested_by=s.text("requested_by"),
                items=s.texts("items"),
                reason=s.text("reason"),
                supplemented_at=s.optional_instant("supplemented_at"),
                received_by=s.text("received_by"),
                previous_due=s.optional_instant("previous_due"),
                new_due=s.optional_instant("new_due"),
            )
            for s in top.items("supplements")
        ],
        pauses=[
            ClockPause(
                kind=p.choice("kind", PauseKind),
                started_at=p.instant("started_at"),
                resume_to=p.choice("resume_to", DossierStatus),
                ended_at=p.optional_instant("ended_at"),
                reason=p.text("reason"),
            )
            for p in top.items("pauses")
        ],
        extensions=[
            Extension(
                at=e.instant("at"),
                actor=e.text("actor"),
                previous_due=e.instant("previous_due"),
                new_due=e.instant("new_due"),
                reason=e.text("reason"),
                letter_reference=e.text("letter_reference"),
                letter_form=e.text("letter_form"),
            )
            for e in top.items("extensions")
        ],
        fees=[
            Fee(
                name=f.text("name"),
                amount=f.integer("amount"),
                code=f.text("code"),
                collection=f.choice("collection", FeeCollection),
            )
            for f in top.items("fees")
        ],
        payments=[
            Payment(
                amount=p.integer("amount"),
                paid_at=p.instant("paid_at"),
                method=p.choice("method", PaymentMethod),
                reference=p.text("reference"),
            )
            for p in top.items("payments")
        ],
        results=[
            Result(
                name=r.text("name"),
                issued_at=r.instant("issued_at"),
                reference=r.text("reference"),
                attachment=_optional_attachment(r),
                code=r.text_or_empty("code"),
                electronic=r.flag_or_false("electronic"),
                data_store_reference=r.text_or_empty("data_store_reference"),
            )
            for r in top.items("results")
        ],
        attachments=[_read_attachment(a) for a in top.items("attachments")],
        result_delivery=(
            top.convert("result_delivery", ResultDelivery, optional=True)
            if "result_delivery" in top.data
            else None
        ),
        history=[
            TransitionRecord(
                dossier=str(code),
                event=h.text("event"),
                source=h.convert("from", DossierStatus, optional=True),
                target=h.choice("to", DossierStatus),
                actor=h.text("actor"),
                at=h.instant("at"),
                reason=h.text("reason"),
            )
            for h in top.items("history")
        ],
    )


def _optional_attachment(item: _Reader) -> Attachment | None:
    child = item.child("attachment", optional=True)
    return None if child is None else _read_attachment(child)


__all__ = ["FORMAT", "dossier_from_dict", "dossier_to_dict"]
