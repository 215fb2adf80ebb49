"""Why a unit scored what it scored: the explanation tree of a scorecard.

Every node says how many points it gave out of how many; every leaf also its inputs, numerator
and denominator, threshold, formula and status. N/A (không áp dụng / thiếu số liệu) is a status
with a reason, never a silent zero. The tree prints as indented text and as JSON.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from egovkit.assessment._numbers import json_number, number_text
from egovkit.errors import NotFoundError


class Status(enum.StrEnum):
    """How a node came out."""

    OK = "ok"
    NOT_APPLICABLE = "na"  # could not be scored; ``reason`` says why
    ZERO = "zero"  # scored 0 by an explicit rule (e.g. a zero denominator counts as 0)


@attrs.frozen(kw_only=True)
class Explanation:
    """One node of the explanation tree.

    ``points`` is ``None`` when the node is N/A. For leaves, ``inputs`` maps each indicator used
    to the value as read (``"412/500"``), ``value`` is the rate that was scored and ``formula``
    shows the arithmetic with the numbers filled in.
    """

    id: str
    name_vi: str
    name_en: str
    kind: str  # "leaf" or the group's aggregate ("sum", "max", "mean")
    max_points: Decimal
    points: Decimal | None
    status: Status = Status.OK
    reason: str = ""
    indicator: str | None = None
    inputs: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    threshold: Decimal | None = None
    formula: str = ""
    children: tuple[Explanation, ...] = ()

    def find(self, node_id: str) -> Explanation | None:
        """The node called ``node_id`` in this subtree, or ``None``."""
        if self.id == node_id:
            return self
        for child in self.children:
            found = child.find(node_id)
            if found is not None:
                return found
        return None

    def get(self, node_id: str) -> Explanation:
        """The node called ``node_id`` in this subtree; a typed error when there is none."""
        found = self.find(node_id)
        if found is None:
            raise NotFoundError(
                f"no node {node_id!r} in this explanation",
                code="assessment.explanation.unknown_node",
                where=node_id,
            )
        return found

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view; numbers are rounded to 6 decimal places."""
        out: dict[str, Any] = {
            "id": self.id,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "kind": self.kind,
            "points": None if self.points is None else json_number(self.points),
            "max_points": json_number(self.max_points),
            "status": self.status.value,
        }
        if self.reason:
            out["reason"] = self.reason
        if self.kind == "leaf":
            out.update(
                {
                    "indicator": self.indicator,
                    "inputs": dict(self.inputs),
                    "numerator": _opt(self.numerator),
                    "denominator": _opt(self.denominator),
                    "value": _opt(self.value),
                    "threshold": _opt(self.threshold),
                    "formula": self.formula,
                }
            )
        else:
            out["children"] = [c.to_dict() for c in self.children]
        return out

    def to_text(self, *, indent: str = "  ") -> str:
        """Indented lines, one per node, e.g. ``awareness  Nhận thức số: 100.0000 / 100 …``."""
        lines: list[str] = []
        self._lines(lines, 0, indent)
        return "\n".join(lines)

    def _lines(self, lines: list[str], depth: int, indent: str) -> None:
        pad = indent * depth
        name = self.name_vi or self.name_en or self.id
        got = "N/A" if self.points is None else number_text(self.points)
        head = f"{pad}{self.id}  {name}: {got} / {number_text(self.max_points)}"
        if self.kind != "leaf":
            head += f"  [{self.kind}]"
        if self.status is not Status.OK:
            head += f"  ({self.status.value}: {self.reason})"
        elif self.reason:
            head += f"  ({self.reason})"
        lines.append(head)
        if self.kind == "leaf":
            if self.inputs:
                shown = ", ".join(f"{k} = {v}" for k, v in self.inputs.items())
                lines.append(f"{pad}{indent}inputs: {shown}")
            if self.formula:
                lines.append(f"{pad}{indent}formula: {self.formula}")
        for child in self.children:
            child._lines(lines, depth + 1, indent)


def _opt(value: Decimal | None) -> int | float | None:
    return None if value is None else json_number(value)


__all__ = ["Explanation", "Status"]
