"""One exception tree for everything egovkit raises.

Every error carries a stable machine-readable ``code`` (dotted, lower case), ``where`` (the field
or XPath at fault, or ``""``) and a human ``message``; catch :class:`EgovkitError` to catch
them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from egovkit.findings import Finding, errors_in


class EgovkitError(Exception):
    """Root of the tree. ``str(error)`` gives the message with its code and location."""

    default_code: ClassVar[str] = "egovkit"

    def __init__(self, message: str, *, code: str | None = None, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.where = where

    def __str__(self) -> str:
        at = f" at {self.where}" if self.where else ""
        return f"{self.message} [{self.code}{at}]"

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view (``code``, ``where``, ``message``), as the CLI prints it."""
        return {"code": self.code, "where": self.where, "message": self.message}


class ParseError(EgovkitError, ValueError):
    """Text or bytes could not be read at all (``position`` is a 0-based offset when known)."""

    default_code = "parse"

    def __init__(
        self, message: str, *, code: str | None = None, where: str = "", position: int | None = None
    ) -> None:
        super().__init__(message, code=code, where=where)
        self.position = position

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "position": self.position}


class ValidationError(EgovkitError, ValueError):
    """Input was readable but broke one or more rules; ``findings`` lists every one of them."""

    default_code = "validation"

    def __init__(
        self,
        message: str,
        *,
        findings: Iterable[Finding] = (),
        code: str | None = None,
        where: str = "",
    ) -> None:
        self.findings: tuple[Finding, ...] = tuple(findings)
        super().__init__(message, code=code, where=where)

    @classmethod
    def from_findings(cls, subject: str, findings: Iterable[Finding]) -> ValidationError:
        """One error for all the error-severity findings about ``subject``."""
        bad = errors_in(findings)
        lines = "; ".join(f"{f.where}: {f.message}" for f in bad)
        return cls(f"{subject} failed {len(bad)} check(s): {lines}", findings=bad)

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "findings": [f.to_dict() for f in self.findings]}


class UnsafeInputError(EgovkitError):
    """Input looks hostile (entity expansion, path escape, zip bomb…) and was refused unread."""

    default_code = "unsafe_input"


class PolicyError(EgovkitError):
    """An action is forbidden by a rule (e.g. sending a secret document electronically)."""

    default_code = "policy"


class SignatureError(EgovkitError):
    """A signature could not be made or checked (not: the signature is invalid — see reports)."""

    default_code = "signature"


class StorageError(EgovkitError):
    """A store failed to read or write."""

    default_code = "storage"


class ConflictError(EgovkitError):
    """A change clashes with the current state (stale write, duplicate, illegal transition)."""

    default_code = "conflict"


class NotFoundError(EgovkitError, LookupError):
    """The thing asked for does not exist (in a store, a catalogue or a code list)."""

    default_code = "not_found"


class ConfigurationError(EgovkitError):
    """egovkit is set up wrongly, e.g. a store URL whose adapter is not installed."""

    default_code = "configuration"


class RemoteError(EgovkitError):
    """An external system (exchange axis, portal, time-stamp authority) failed or refused."""

    default_code = "remote"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        where: str = "",
        retryable: bool = False,
    ) -> None:
        super().__init__(message, code=code, where=where)
        self.retryable = retryable


__all__ = [
    "ConfigurationError",
    "ConflictError",
    "EgovkitError",
    "NotFoundError",
    "ParseError",
    "PolicyError",
    "RemoteError",
    "SignatureError",
    "StorageError",
    "UnsafeInputError",
    "ValidationError",
]
