"""The one-stop dossier (hồ sơ thủ tục hành chính) and its life.

A :class:`Dossier` is a frozen value: every action (receive, process, request a supplement,
extend, resolve, return…) returns a new dossier with the change and a
:class:`~egovkit.dossiers.transitions.TransitionRecord` appended to ``history``.
Pass ``recorder=`` to have the record handed to an audit log as well. Changes of state follow
:data:`~egovkit.dossiers.transitions.TRANSITIONS`; anything else raises
:class:`~egovkit.dossiers.transitions.IllegalTransitionError`. Actions that move deadlines take
the agency's :class:`~egovkit.calendar.work.WorkCalendar`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs

from egovkit.agencies import AgencyCode
from egovkit.calendar import Duration, WorkCalendar, to_vietnam
from egovkit.documents.model import Attachment
from egovkit.dossiers import deadlines
from egovkit.dossiers.codes import DossierCode
from egovkit.dossiers.parties import Applicant, Channel, ResultDelivery
from egovkit.dossiers.parts import (
    ClockPause,
    Extension,
    Fee,
    FeeCollection,
    PauseKind,
    Payment,
    ProcessingStep,
    Result,
    SupplementRequest,
)
from egovkit.dossiers.procedures import Procedure
from egovkit.dossiers.regimes import FormKind, Regime, regime_on
from egovkit.dossiers.status import DossierStatus
from egovkit.dossiers.transitions import (
    TransitionRecord,
    TransitionRecorder,
    check_transition,
)
from egovkit.errors import ConflictError, ValidationError
from egovkit.text import clean

_S = DossierStatus
_CLOSING = frozenset({_S.RESOLVED, _S.WITHDRAWN, _S.STOPPED, _S.REFUSED})
_PAUSE_OF = {
    _S.SUPPLEMENT_REQUESTED: PauseKind.SUPPLEMENT,
    _S.AWAITING_PAYMENT: PauseKind.PAYMENT,
    _S.PAUSED: PauseKind.SUSPENSION,
}


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


def _optional_instant(value: datetime | None) -> datetime | None:
    return None if value is None else to_vietnam(value, where="instant")


@attrs.frozen(kw_only=True)
class Dossier:
    """A dossier filed at a one-stop desk (bộ phận một cửa).

    ``receiving_agency`` took it in (cơ quan tiếp nhận); ``competent_agency`` decides it (cơ
    quan có thẩm quyền) — under Decree 118/2025 a centre accepts dossiers for any authority of
    the province, so the two often differ. ``received_at`` is when the desk accepted it,
    ``clock_started_at`` when its processing time began to run, ``appointed_at`` the due instant
    first appointed (on the receipt slip) and ``due_at`` the current due instant (hạn trả kết
    quả), moved by pauses and extensions; ``result_delivery`` how the result goes back (hình
    thức trả kết quả), when known. Build one with :meth:`receive`
    (at the desk) or :meth:`submit` (filed online, accepted later with :meth:`accept`).
    """

    code: DossierCode
    procedure: Procedure
    applicant: Applicant
    channel: Channel
    receiving_agency: AgencyCode
    competent_agency: AgencyCode
    status: DossierStatus
    summary: str = attrs.field(default="", converter=clean)
    submitted_at: datetime | None = attrs.field(default=None, converter=_optional_instant)
    received_at: datetime | None = attrs.field(default=None, converter=_optional_instant)
    clock_started_at: datetime | None = attrs.field(default=None, converter=_optional_instant)
    due_at: datetime | None = attrs.field(default=None, converter=_optional_instant)
    appointed_at: datetime | None = attrs.field(default=None, converter=_optional_instant)
    steps: tuple[ProcessingStep, ...] = attrs.field(default=(), converter=_tuple)
    supplements: tuple[SupplementRequest, ...] = attrs.field(default=(), converter=_tuple)
    pauses: tuple[ClockPause, ...] = attrs.field(default=(), converter=_tuple)
    extensions: tuple[Extension, ...] = attrs.field(default=(), converter=_tuple)
    fees: tuple[Fee, ...] = attrs.field(default=(), converter=_tuple)
    payments: tuple[Payment, ...] = attrs.field(default=(), converter=_tuple)
    results: tuple[Result, ...] = attrs.field(default=(), converter=_tuple)
    attachments: tuple[Attachment, ...] = attrs.field(default=(), converter=_tuple)
    history: tuple[TransitionRecord, ...] = attrs.field(default=(), converter=_tuple)
    result_delivery: ResultDelivery | None = None

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def receive(
        cls,
        *,
        code: DossierCode,
        procedure: Procedure,
        applicant: Applicant,
        channel: Channel,
        receiving_agency: AgencyCode,
        received_at: datetime,
        actor: str,
        calendar: WorkCalendar,
        competent_agency: AgencyCode | None = None,
        summary: str = "",
        fees: Iterable[Fee] = (),
        attachments: Iterable[Attachment] = (),
        submitted_at: datetime | None = None,
        recorder: TransitionRecorder | None = None,
    ) -> Dossier:
        """A dossier accepted by the desk at ``received_at`` (Được tiếp nhận), its clock
        started and its due instant (and its steps' deadlines) computed."""
        received_at = to_vietnam(received_at, where="received_at")
        start = deadlines.clock_start(calendar, received_at, procedure)
        steps = tuple(
            ProcessingStep(name=plan.name, agency=plan.agency, due_at=due)
            for plan, due in zip(
                procedure.steps,
                deadlines.step_deadlines(calendar, start, procedure),
                strict=True,
            )
        )
        due = deadlines.due_from(calendar, start, procedure.processing_time)
        record = TransitionRecord(
            dossier=str(code),
            event="receive",
            source=None,
            target=_S.RECEIVED,
            actor=actor,
            at=received_at,
        )
        dossier = cls(
            code=code,
            procedure=procedure,
            applicant=applicant,
            channel=channel,
            receiving_agency=receiving_agency,
            competent_agency=competent_agency or receiving_agency,
            status=_S.RECEIVED,
            summary=summary,
            submitted_at=submitted_at or received_at,
            received_at=received_at,
            clock_started_at=start,
            due_at=due,
            appointed_at=due,
            steps=steps,
            fees=fees,
            attachments=attachments,
            history=(record,),
        )
        if recorder is not None:
            recorder(record)
        return dossier

    @classmethod
    def submit(
        cls,
        *,
        code: DossierCode,
        procedure: Procedure,
        applicant: Applicant,
        receiving_agency: AgencyCode,
        submitted_at: datetime,
        actor: str,
        channel: Channel = Channel.ONLINE,
        competent_agency: AgencyCode | None = None,
        summary: str = "",
        fees: Iterable[Fee] = (),
        attachments: Iterable[Attachment] = (),
        recorder: TransitionRecorder | None = None,
    ) -> Dossier:
        """A dossier filed online and not yet accepted (Mới đăng ký): no clock, no due date."""
        submitted_at = to_vietnam(submitted_at, where="submitted_at")
        dossier = cls(
            code=code,
            procedure=procedure,
            applicant=applicant,
            channel=channel,
            receiving_agency=receiving_agency,
            competent_agency=competent_agency or receiving_agency,
            status=_S.SUBMITTED,
            summary=summary,
            submitted_at=submitted_at,
            fees=fees,
            attachments=attachments,
        )
        record = TransitionRecord(
            dossier=str(code),
            event="submit",
            source=None,
            target=_S.SUBMITTED,
            actor=actor,
            at=submitted_at,
        )
        return dossier._recorded(record, recorder)

    def accept(
        self,
        *,
        at: datetime,
        actor: str,
        calendar: WorkCalendar,
        recorder: TransitionRecorder | None = None,
    ) -> Dossier:
        """Accept a dossier filed online (Mới đăng ký → Được tiếp nhận); its clock starts."""
        return self._move(_S.RECEIVED, "accept", at, actor, "", recorder, calendar=calendar)

    def refuse(
        self, *, at: datetime, actor: str, reason: str, recorder: TransitionRecorder | None = None
    ) -> Dossier:
        """Refuse to accept the dossier (Không được tiếp nhận); ``reason`` goes on form 03."""
        return self._move(_S.REFUSED, "refuse", at, actor, _reason(reason), recorder)

    # -- processing --------------------------------------------------------------------------

    def start_processing(
        self,
        *,
        at: datetime,
        actor: str,
        step: str = "",
        recorder: TransitionRecorder | None = None,
    ) -> Dossier:
        """Hand the dossier to the processing officer (Đang xử lý); ``step`` names the step
        started, an existing planned one or a new one."""
        if step:
            self._check_step_free(step)
        moved = self._move(_S.PROCESSING, "start_processing", at, actor, step, recorder)
        return moved._start_step(step, at, actor) if step else moved

    def transfer(
        self,
        *,
        step: str,
        at: datetime,
        actor: str,
        agency: AgencyCode | None = None,
        recorder: TransitionRecorder | None = None,
    ) -> Dossier:
        """Send the dossier to another agency for an inter-agency step (liên thông); the
        planned step named ``step`` starts (or a new one, at ``agency``)."""
        self._check_step_free(step)
        moved = self._move(_S.TRANSFERRED, "transfer", at, actor, step, recorder)
        return moved._start_step(step, at, actor, agency=agency)

    def finish_step(
        self,
        *,
        step: str,
        at: datetime,
        actor: str,
        note: str = "",
        recorder: TransitionRecorder | None = None,
    ) -> Dossier:
        """Mark the started step ``step`` finished (the state does not change)."""
        index = self._step_index(step)
        found = self.steps[index] if index >= 0 else None
        if found is None or found.started_at is None or found.finished_at is not None:
            raise ConflictError(
                f"step {step!r} of {self.code} is not in progress",
                code="dossier.step.not_started",
                where="steps",
            )
        at = self._check_time(at)
        steps = list(self.steps)
        steps[index] = attrs.evolve(found, finished_at=at, note=note or found.note)
        return attrs.evolve(self, steps=tuple(steps))._event(
            "finish_step", at, actor, step, recorder
        )

    def request_supplement(
        self,
        *,
        items: Iterable[str],
        at: datetime,
        actor: str,
        reason: str = "",
        recorder: TransitionRecorder | None = None,
    ) -> Dossier:
        """Ask the applicant to complete the dossier (form 02); the clock stops."""
        listed = tuple(items)
        request = SupplementRequest(
            requested_at=to_vietnam(at, where="at"),
            requested_by=actor,
            items=listed,
            reason=reason,
            previous_due=self.due_at,
        )
        if not request.items:
            raise ValidationError(
                "a supplement request lists what is missing",
                code="dossier.supplement.items",
                where="items",
            )
        moved = self._move(
            _S.SUPPLEMENT_REQUESTED, "request_supplement", at, actor, reason, recorder
        )
        return attrs.evolve(moved, supplements=(*moved.supplements, request))

    def supplement(
        self,
        *,
        at: datetime,
        actor: str,
        calendar: WorkCalendar,
        recorder: TransitionRecorder | None = None,
    ) -> Dossier:
        """The applicant supplied what was asked; the clock runs again and the deadlines move
        by the time it stood still."""
        if self.status is not _S.SUPPLEMENT_REQUESTED:
            raise ConflictError(
                f"{self.code} is {self.status.value}: no supplement was requested",
                code="dossier.supplement.none",
                where="status",
            )
        moved = self._resume("supplement", at, actor, calendar, recorder)
        last = moved.supplements[-1]
        done = attrs.evolve(
            last, supplemented_at=moved.history[-1].at, received_by=actor, new_due=moved.due_at
        )
        return attrs.evolve(moved, supplements=(*moved.supplements[:-1], done))

    def request_payment(
        self,
        *,
        at: datetime,
        actor: str,
        reason: str = "",
        recorder: TransitionRecorder | None = None,
    ) -> Dossier:
        """Ask the applicant to fulfil a financial obligation; the clock stops."""
        return self._move(_S.AWAITING_PAYMENT, "request_payment", at, actor, reason, recorder)

    def record_payment(
        self, payment: Payment, *, actor: str, recorder: TransitionRecorder | None = None
    ) -> Dossier:
        """Keep a payment (the state does not change; resume the dossier separately)."""
        at = self._check_time(payment.paid_at)
        moved = attrs.evolve(self, payments=(*self.payments, payment))
        return moved._event("record_payment", at, actor, payment.reference, recorder)

    def pause(
        self, *, at: datetime, actor: str, reason: str, recorder: TransitionRecorder | None = None
    ) -> Dossier:
        """Suspend processing (tạm dừng); the clock stops."""
        return self._move(_S.PAUSED, "pause", at, actor, _reason(reason), recorder)

    def resume(
        self,
        *,
        at: datetime,
        actor: str,
        calendar: WorkCalendar,
        reason: str = "",
        recorder: TransitionRecorder | None = None,
    ) -> Dossier:
        """End a pause or a wait for payment; the deadlines move by the time it lasted."""
        if self.status not in (_S.PAUSED, _S.AWAITING_PAYMENT):
            raise ConflictError(
                f"{self.code} is {self.status.value}, not paused or awaiting payment",
                code="dossier.not_paused",
                where="status",
            )
        return self._resume("resume", at, actor, calendar, recorder, reason=reason)

    def extend(
        self,
        *,
        at: datetime,
        actor: str,
        reason: str,
        letter_reference: str,
        calendar: WorkCalendar,
        new_due: datetime | None = None,
        by: Duration | None = None,
        recorder: TransitionRecorder | None = None,
    ) -> Dossier:
        """Move the due instant later (gia hạn), to ``new_due`` or ``by`` more time counted
        from the current due instant; the apology/extension letter (form 04 of the regime in
        force) is recorded with its reference."""
        if self.due_at is None or self.status.is_terminal or self.finished_at is not None:
            raise ConflictError(
                f"{self.code} ({self.status.value}) has no running deadline to extend",
                code="dossier.extend.not_open",
                where="status",
            )
        if (new_due is None) == (by is None):
            raise ValidationError(
                "give either new_due or by", code="dossier.extend.arguments", where="new_due"
            )
        target = calendar.due(self.due_at, by) if by is not None else new_due
        assert target is not None
        target = to_vietnam(target, where="new_due")
        if target <= self.due_at:
            raise ValidationError(
                f"an extension must move the due instant later than {self.due_at.isoformat()}",
                code="dossier.extend.earlier",
                where="new_due",
            )
        letter = clean(letter_reference)
        if not letter:
            raise ValidationError(
                "an extension needs the reference of its apology/extension letter",
                code="dossier.extend.letter",
                where="letter_reference",
            )
        at = self._check_time(at)
        form = self.regime.form(FormKind.APOLOGY)
        extension = Extension(
            at=at,
            actor=actor,
            previous_due=self.due_at,
            new_due=target,
            reason=_reason(reason),
            letter_reference=letter,
            letter_form=f"{form.label}: {form.title}".lstrip(": "),
        )
        moved = attrs.evolve(self, due_at=target, extensions=(*self.extensions, extension))
        return moved._event("extend", at, actor, reason, recorder)

    # -- ending ------------------------------------------------------------------------------

    def resolve(
        self,
        *,
        at: datetime,
        actor: str,
        results: Iterable[Result] = (),
        recorder: TransitionRecorder | None = None,
    ) -> Dossier:
        """The result is ready (Đã xử lý xong); open steps finish at ``at``."""
        moved = self._move(_S.RESOLVED, "resolve", at, actor, "", recorder)
        when = moved.history[-1].at
        steps = tuple(
            attrs.evolve(s, finished_at=when)
            if s.started_at is not None and s.finished_at is None
            else s
            for s in moved.steps
        )
        return attrs.evolve(moved, results=(*moved.results, *results), steps=steps)

    def return_result(
        self, *, at: datetime, actor: str, recorder: TransitionRecorder | None = None
    ) -> Dossier:
        """The result was handed to the applicant (Đã trả kết quả)."""
        return self._move(_S.RETURNED, "return_result", at, actor, "", recorder)

    def withdraw(
        self,
        *,
        at: datetime,
        actor: str,
        reason: str = "",
        recorder: TransitionRecorder | None = None,
    ) -> Dossier:
        """The applicant withdrew the dossier (rút hồ sơ)."""
        return self._move(_S.WITHDRAWN, "withdraw", at, actor, reason, recorder)

    def stop(
        self, *, at: datetime, actor: str, reason: str, recorder: TransitionRecorder | None = None
    ) -> Dossier:
        """Stop processing for good (dừng giải quyết; the stop notice gives ``reason``)."""
        return self._move(_S.STOPPED, "stop", at, actor, _reason(reason), recorder)

    def start_correction(
        self, *, at: datetime, actor: str, reason: str, recorder: TransitionRecorder | None = None
    ) -> Dossier:
        """A result must be corrected (đính chính); :meth:`resolve` again when it is."""
        return self._move(_S.CORRECTING, "start_correction", at, actor, _reason(reason), recorder)

    # -- derived -----------------------------------------------------------------------------

    @property
    def regime(self) -> Regime:
        """The one-stop regime in force on the day the dossier was received (submitted, while
        not yet received)."""
        day = self.received_at or self.submitted_at
        if day is None:
            raise ValidationError(
                f"{self.code} has neither a received nor a submitted instant",
                code="dossier.regime.no_date",
                where="received_at",
            )
        return regime_on(day)

    @property
    def open_pause(self) -> ClockPause | None:
        """The pause under way, if any."""
        last = self.pauses[-1] if self.pauses else None
        return last if last is not None and last.ended_at is None else None

    def _first(self, status: DossierStatus) -> datetime | None:
        return next(
            (r.at for r in self.history if r.target is status and r.source is not status), None
        )

    def _last(self, status: DossierStatus) -> datetime | None:
        found = [r.at for r in self.history if r.target is status and r.source is not status]
        return found[-1] if found else None

    @property
    def finished_at(self) -> datetime | None:
        """When the result was first ready (first move to Đã xử lý xong)."""
        return self._first(_S.RESOLVED)

    @property
    def returned_at(self) -> datetime | None:
        """When the result was (last) handed over."""
        return self._last(_S.RETURNED)

    @property
    def withdrawn_at(self) -> datetime | None:
        """When the applicant withdrew the dossier."""
        return self._first(_S.WITHDRAWN)

    @property
    def stopped_at(self) -> datetime | None:
        """When processing was stopped for good."""
        return self._first(_S.STOPPED)

    @property
    def refused_at(self) -> datetime | None:
        """When the desk refused the dossier."""
        return self._first(_S.REFUSED)

    @property
    def closing(self) -> TransitionRecord | None:
        """The record of the move that took the dossier out of the desk's work: the first one
        into finished (Đã xử lý xong), withdrawn, stopped or refused; ``None`` while open."""
        for record in self.history:
            if record.target in _CLOSING and record.source is not record.target:
                return record
        return None

    @property
    def closed_at(self) -> datetime | None:
        """When the dossier left the desk's work: finished, withdrawn, stopped or refused."""
        closing = self.closing
        return None if closing is None else closing.at

    @property
    def fees_due(self) -> int:
        """The fees to collect (exempt ones excluded), in đồng."""
        return sum(f.amount for f in self.fees if f.collection is not FeeCollection.EXEMPT)

    @property
    def amount_paid(self) -> int:
        """The payments received, in đồng."""
        return sum(p.amount for p in self.payments)

    # -- internals ---------------------------------------------------------------------------

    def _check_time(self, at: datetime) -> datetime:
        at = to_vietnam(at, where="at")
        if self.history and at < self.history[-1].at:
            raise ValidationError(
                f"{at.isoformat()} is before the dossier's last change "
                f"({self.history[-1].at.isoformat()})",
                code="dossier.time_order",
                where="at",
            )
        return at

    def _recorded(self, record: TransitionRecord, recorder: TransitionRecorder | None) -> Dossier:
        dossier = attrs.evolve(self, history=(*self.history, record))
        if recorder is not None:
            recorder(record)
        return dossier

    def _event(
        self,
        event: str,
        at: datetime,
        actor: str,
        reason: str,
        recorder: TransitionRecorder | None,
    ) -> Dossier:
        record = TransitionRecord(
            dossier=str(self.code),
            event=event,
            source=self.status,
            target=self.status,
            actor=actor,
            at=at,
            reason=reason,
        )
        return self._recorded(record, recorder)

    def _move(
        self,
        target: DossierStatus,
        event: str,
        at: datetime,
        actor: str,
        reason: str,
        recorder: TransitionRecorder | None,
        *,
        calendar: WorkCalendar | None = None,
    ) -> Dossier:
        check_transition(self.status, target)
        at = self._check_time(at)
        changes: dict[str, Any] = {"status": target}
        pause = self.open_pause
        if pause is not None:  # leaving a clock-stopped state: close the pause
            changes["pauses"] = (*self.pauses[:-1], attrs.evolve(pause, ended_at=at))
            if calendar is not None:
                changes.update(self._shifted(calendar, pause.started_at, at))
        if target in _PAUSE_OF:
            opened = ClockPause(
                kind=_PAUSE_OF[target], started_at=at, resume_to=self.status, reason=reason
            )
            changes["pauses"] = (*changes.get("pauses", self.pauses), opened)
        if target is _S.RECEIVED and self.received_at is None:
            if calendar is None:  # pragma: no cover - accept() always passes one
                raise ValidationError("a calendar is needed", code="dossier.calendar", where="")
            start = deadlines.clock_start(calendar, at, self.procedure)
            dues = deadlines.step_deadlines(calendar, start, self.procedure)
            due = deadlines.due_from(calendar, start, self.procedure.processing_time)
            changes.update(
                received_at=at,
                clock_started_at=start,
                due_at=due,
                appointed_at=due,
                steps=tuple(
                    ProcessingStep(name=p.name, agency=p.agency, due_at=d)
                    for p, d in zip(self.procedure.steps, dues, strict=True)
                ),
            )
        record = TransitionRecord(
            dossier=str(self.code),
            event=event,
            source=self.status,
            target=target,
            actor=actor,
            at=at,
            reason=reason,
        )
        return attrs.evolve(self, **changes)._recorded(record, recorder)

    def _resume(
        self,
        event: str,
        at: datetime,
        actor: str,
        calendar: WorkCalendar,
        recorder: TransitionRecorder | None,
        *,
        reason: str = "",
    ) -> Dossier:
        pause = self.open_pause
        assert pause is not None, "a clock-stopped state always has an open pause"
        return self._move(pause.resume_to, event, at, actor, reason, recorder, calendar=calendar)

    def _shifted(
        self, calendar: WorkCalendar, paused_at: datetime, resumed_at: datetime
    ) -> dict[str, Any]:
        unit = self.procedure.processing_time.unit

        def shift(due: datetime | None) -> datetime | None:
            if due is None:
                return None
            return deadlines.shift_for_pause(calendar, due, unit, paused_at, resumed_at)

        steps = tuple(
            s if s.finished_at is not None else attrs.evolve(s, due_at=shift(s.due_at))
            for s in self.steps
        )
        return {"due_at": shift(self.due_at), "steps": steps}

    def _step_index(self, name: str) -> int:
        wanted = clean(name)
        for index, step in enumerate(self.steps):
            if step.name == wanted:
                return index
        return -1

    def _check_step_free(self, name: str) -> None:
        """Refuse, before anything is recorded, to start a step that has already started."""
        index = self._step_index(name)
        if index >= 0 and self.steps[index].started_at is not None:
            raise ConflictError(
                f"step {name!r} of {self.code} has already started",
                code="dossier.step.started",
                where="steps",
            )

    def _start_step(
        self, name: str, at: datetime, actor: str, *, agency: AgencyCode | None = None
    ) -> Dossier:
        when = to_vietnam(at, where="at")
        index = self._step_index(name)
        if index < 0:
            step = ProcessingStep(name=name, agency=agency, started_at=when, handler=actor)
            return attrs.evolve(self, steps=(*self.steps, step))
        found = self.steps[index]
        steps = list(self.steps)
        steps[index] = attrs.evolve(
            found, started_at=when, handler=actor, agency=agency or found.agency
        )
        return attrs.evolve(self, steps=tuple(steps))


def _reason(reason: str) -> str:
    text = clean(reason)
    if not text:
        raise ValidationError(
            "this action needs a reason (lý do)", code="dossier.reason_missing", where="reason"
        )
    return text


__all__ = ["Dossier"]
