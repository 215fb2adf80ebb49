"""Findings: what a lenient reader or a validation noticed, without raising.

Lenient parsing of real-world data (legacy agency codes, impossible dates, missing diacritics)
must never crash; it records findings instead, and a strict mode turns the error-severity ones
into one :class:`~egovkit.errors.ValidationError`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs


class Severity(enum.Enum):
    """How serious a finding is. Only ``ERROR`` makes a strict check fail."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@attrs.frozen(kw_only=True)
class Finding:
    """One thing a check noticed.

    ``code`` is stable and machine-readable (e.g. ``"agency_code.legacy_shape"``); ``where`` names
    the field or XPath; ``message`` is for people.
    """

    code: str
    where: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.where}: {self.message} [{self.code}]"

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready view, with the same keys the CLI prints."""
        return {
            "code": self.code,
            "where": self.where,
            "severity": self.severity.value,
            "message": self.message,
        }


def errors_in(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The findings of error severity, in order."""
    return tuple(f for f in findings if f.severity is Severity.ERROR)
