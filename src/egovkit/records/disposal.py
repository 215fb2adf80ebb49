"""Disposal (tiêu hủy) of files past retention: only through a recorded decision.

A decision names who decided, when, under which number, and the list of files; each file it
disposes of is replaced by a tombstone that keeps its code, title, seal and the SHA-256 of every
electronic file, so the archive can always show what existed and that it was destroyed on
purpose. Nothing is ever deleted without one. Files holding secret documents (tài liệu mật)
keep the rules of the law on state secrets: the decision must name the approval for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from egovkit.errors import PolicyError, ValidationError
from egovkit.records.casefile import CaseFile, FileState
from egovkit.records.retention import TransferRules
from egovkit.text import clean


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(value)))


@attrs.frozen(kw_only=True)
class DisposalDecision:
    """Quyết định tiêu hủy: its number, who decided and when, the files, and for secret
    documents the approval required by the law on state secrets (``secret_approval``)."""

    number: str = attrs.field(converter=clean)
    decided_by: str = attrs.field(converter=clean)
    decided_on: dt.date
    files: tuple[str, ...] = attrs.field(converter=_codes)
    reason: str = ""
    secret_approval: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.number or not self.decided_by or not self.files:
            raise ValidationError(
                "a disposal decision names its number, who decided and the files",
                code="records.decision",
                where="decision",
            )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (stored with the tombstones)."""
        return {
            "number": self.number,
            "decided_by": self.decided_by,
            "decided_on": self.decided_on.isoformat(),
            "files": list(self.files),
            "reason": self.reason,
            "secret_approval": self.secret_approval,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DisposalDecision:
        """Read :meth:`to_dict` output."""
        return cls(
            number=data["number"],
            decided_by=data["decided_by"],
            decided_on=dt.date.fromisoformat(data["decided_on"]),
            files=data["files"],
            reason=data.get("reason", ""),
            secret_approval=data.get("secret_approval", ""),
        )


@attrs.frozen(kw_only=True)
class Tombstone:
    """What remains of a disposed file: enough to prove what it was and that it went."""

    code: str
    title: str
    retention: str
    start_date: dt.date
    end_date: dt.date | None
    seal: str | None
    digests: tuple[tuple[int, tuple[str, ...]], ...]
    decision: str
    decided_by: str
    disposed_on: dt.date

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "code": self.code,
            "title": self.title,
            "retention": self.retention,
            "start_date": self.start_date.isoformat(),
            "end_date": None if self.end_date is None else self.end_date.isoformat(),
            "seal": self.seal,
            "digests": [{"ordinal": o, "sha256": list(d)} for o, d in self.digests],
            "decision": self.decision,
            "decided_by": self.decided_by,
            "disposed_on": self.disposed_on.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tombstone:
        """Read :meth:`to_dict` output."""
        end = data.get("end_date")
        return cls(
            code=data["code"],
            title=data["title"],
            retention=data["retention"],
            start_date=dt.date.fromisoformat(data["start_date"]),
            end_date=None if end is None else dt.date.fromisoformat(end),
            seal=data.get("seal"),
            digests=tuple((int(d["ordinal"]), tuple(d["sha256"])) for d in data["digests"]),
            decision=data["decision"],
            decided_by=data["decided_by"],
            disposed_on=dt.date.fromisoformat(data["disposed_on"]),
        )


def check_disposal(
    case: CaseFile,
    decision: DisposalDecision,
    *,
    on: dt.date,
    rules: TransferRules | None = None,
) -> Tombstone:
    """The tombstone of ``case`` disposed of under ``decision`` on ``on``, after checking that
    the decision lists it, that it is closed or transferred and past its retention, and that a
    secret file's decision names its approval. Raises PolicyError otherwise."""
    where = str(case.code)
    if where not in decision.files:
        raise PolicyError(
            f"decision {decision.number} does not list file {where}",
            code="records.not_in_decision",
            where=where,
        )
    if on < decision.decided_on:
        raise PolicyError(
            f"file {where} cannot be disposed of before decision {decision.number} is made",
            code="records.before_decision",
            where=where,
        )
    if case.state is FileState.OPEN or case.end_date is None:
        raise PolicyError(f"file {where} is still open", code="records.disposal_open", where=where)
    end = case.retention_end(rules)
    if end is None:
        raise PolicyError(
            f"file {where} is kept permanently (vĩnh viễn) and is never disposed of",
            code="records.permanent",
            where=where,
        )
    if on <= end:
        raise PolicyError(
            f"file {where} is kept until {end}; it cannot be disposed of on {on}",
            code="records.retention_running",
            where=where,
        )
    if case.is_secret and not decision.secret_approval:
        raise PolicyError(
            f"file {where} holds secret documents (tài liệu mật): the decision must name the "
            "approval the law on state secrets requires",
            code="records.secret_disposal",
            where=where,
        )
    return Tombstone(
        code=where,
        title=case.title,
        retention=case.retention.label(),
        start_date=case.start_date,
        end_date=case.end_date,
        seal=case.seal,
        digests=tuple((d.ordinal, d.digests()) for d in case.documents),
        decision=decision.number,
        decided_by=decision.decided_by,
        disposed_on=on,
    )


__all__ = ["DisposalDecision", "Tombstone", "check_disposal"]
