"""Processing deadlines of incoming documents (thời hạn giải quyết văn bản đến).

A leader's direction may set the deadline (a date, or a number of working days); otherwise the
office's default for the document type applies. Those defaults are data, not code: Decree
30/2020/NĐ-CP (Art. 24) leaves them to the direction and to each agency's rules, so the shipped
table (``data/deadlines.json``) is an assumption that an agency replaces with
:meth:`DeadlinePolicy.from_mapping`. Deadlines count working days on a
:class:`~egovkit.calendar.work.WorkCalendar` (holidays, swapped days, the agency's own days off).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import attrs

from egovkit.calendar import WorkCalendar
from egovkit.errors import ValidationError
from egovkit.text import nfc


def _days(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 366:
        raise ValidationError(
            f"a processing time is 1-366 working days: {value!r}",
            code="handling.deadline_days",
            where=where,
        )
    return value


def _table(value: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType({nfc(k): _days(v, k or "công văn") for k, v in value.items()})


@attrs.frozen(kw_only=True)
class DeadlinePolicy:
    """Working days allowed per document type (abbreviation; ``""`` for a công văn), with a
    default for the rest, its effective date and where the figures come from."""

    default_working_days: int = attrs.field(
        validator=lambda _i, _a, v: _days(v, "default_working_days")
    )
    by_type: Mapping[str, int] = attrs.field(factory=dict, converter=_table, hash=False)
    effective: date
    source: str
    version: str = ""

    def working_days(self, document_type: str) -> int:
        """The working days allowed for a document of ``document_type``."""
        return self.by_type.get(nfc(document_type), self.default_working_days)

    def due(
        self,
        calendar: WorkCalendar,
        start: datetime,
        *,
        document_type: str = "",
        working_days: int | None = None,
    ) -> datetime:
        """The deadline of a document of ``document_type`` whose clock starts at ``start``;
        ``working_days`` (a direction's own figure) overrides the table."""
        days = self.working_days(document_type) if working_days is None else working_days
        return calendar.add_working_days(start, _days(days, "working_days"))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> DeadlinePolicy:
        """A policy from its JSON form (the shape of ``data/deadlines.json``)."""
        try:
            return cls(
                default_working_days=data["default_working_days"],
                by_type=dict(data.get("by_type", {})),
                effective=date.fromisoformat(data["effective"]),
                source=str(data["source"]),
                version=str(data.get("version", "")),
            )
        except (KeyError, TypeError, ValueError) as error:
            if isinstance(error, ValidationError):
                raise
            raise ValidationError(
                f"not a deadline policy: {error}", code="handling.policy", where="deadlines"
            ) from error


@cache
def default_policy() -> DeadlinePolicy:
    """The shipped (assumed) policy; see the module docstring."""
    text = resources.files("egovkit.handling").joinpath("data/deadlines.json").read_text("utf-8")
    return DeadlinePolicy.from_mapping(json.loads(text))


__all__ = ["DeadlinePolicy", "default_policy"]
