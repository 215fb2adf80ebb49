"""What a dossier's deadline depends on: the procedure (thủ tục hành chính) and its steps.

A procedure gives the processing time (thời hạn giải quyết) in working days, working hours or
calendar days, an optional receipt cut-off of its own (received after 15:00 → counted from the
next working morning), and for an inter-agency (liên thông) procedure the share of the total
each agency has: the steps' times must fit inside the total.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time

import attrs

from egovkit.agencies import AgencyCode
from egovkit.calendar import Duration
from egovkit.errors import ValidationError
from egovkit.text import clean


def _required(value: str, where: str) -> str:
    text = clean(value)
    if not text:
        raise ValidationError(f"{where} must not be empty", code=f"dossier.{where}", where=where)
    return text


def _step_name(value: str) -> str:
    return _required(value, "step.name")


def _code(value: str) -> str:
    return _required(value, "procedure.code")


def _name(value: str) -> str:
    return _required(value, "procedure.name")


@attrs.frozen(kw_only=True)
class StepPlan:
    """One agency's part of an inter-agency procedure: its name, the agency (``None`` for the
    competent agency itself) and the time it has (inside the procedure's total)."""

    name: str = attrs.field(converter=_step_name)
    duration: Duration
    agency: AgencyCode | None = None


def _steps(value: Iterable[StepPlan]) -> tuple[StepPlan, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Procedure:
    """An administrative procedure as the desk needs it to receive a dossier.

    >>> from egovkit.calendar import Duration
    >>> from egovkit.dossiers import Procedure
    >>> Procedure(code="1.001612.000.00.00.H53", name="Đăng ký khai sinh",
    ...           processing_time=Duration.working_days(1)).processing_time.amount
    1
    """

    code: str = attrs.field(converter=_code)
    name: str = attrs.field(converter=_name)
    processing_time: Duration
    cutoff: time | None = None
    steps: tuple[StepPlan, ...] = attrs.field(default=(), converter=_steps)

    def __attrs_post_init__(self) -> None:
        if self.cutoff is not None and self.cutoff.tzinfo is not None:
            raise ValidationError(
                "a receipt cut-off is a wall-clock time without a zone",
                code="dossier.procedure.cutoff",
                where="procedure.cutoff",
            )
        total = self.processing_time
        if any(step.duration.unit is not total.unit for step in self.steps):
            raise ValidationError(
                f"the steps of {self.code} must count time in {total.unit.value} as the total does",
                code="dossier.procedure.step_unit",
                where="procedure.steps",
            )
        used = sum(step.duration.amount for step in self.steps)
        if used > total.amount:
            raise ValidationError(
                f"the steps of {self.code} take {used} {total.unit.value}, more than the "
                f"{total.amount} of the whole procedure",
                code="dossier.procedure.steps_exceed_total",
                where="procedure.steps",
            )


__all__ = ["Procedure", "StepPlan"]
