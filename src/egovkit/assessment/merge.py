"""The merge policy for merged units (sáp nhập): a merged unit scores the mean of its
predecessors' values, as DTI 2024 scored the provinces merged in 2025."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from egovkit.assessment._numbers import CONTEXT
from egovkit.assessment.inputs import Measure, UnitInput
from egovkit.errors import ConflictError, NotFoundError
from egovkit.errors import ValidationError as _ValidationError
from egovkit.findings import Finding
from egovkit.text import clean


def merge_units(units: Sequence[UnitInput], merges: Mapping[str, Sequence[str]]) -> list[UnitInput]:
    """Replace predecessors by merged units (sáp nhập), each value the arithmetic mean of its
    predecessors' values (rates for fractions), as DTI 2024 scored the provinces merged in 2025.

    A value missing from any predecessor stays missing in the merged unit (the engine then
    reports it), and predecessors must agree on their attributes.
    """
    by_name = {u.unit: u for u in units}
    consumed: dict[str, str] = {}
    merged: dict[str, UnitInput] = {}
    for new_name, old_names in merges.items():
        new = clean(new_name)
        if not old_names:
            raise _merge_error(f"merged unit {new!r} has no predecessors", new)
        olds = [clean(o) for o in old_names]
        for old in olds:
            if old not in by_name:
                raise NotFoundError(
                    f"predecessor {old!r} of {new!r} is not among the units",
                    code="assessment.merge.unknown_unit",
                    where=new,
                )
            if old in consumed:
                raise _merge_error(
                    f"{old!r} is merged into both {consumed[old]!r} and {new!r}", new
                )
            consumed[old] = new
        if new in by_name and new not in olds:
            raise ConflictError(
                f"merged unit {new!r} clashes with an existing unit",
                code="assessment.merge.clash",
                where=new,
            )
        parts = [by_name[o] for o in olds]
        merged[new] = UnitInput(
            unit=new,
            values=_mean_values(parts),
            attributes=_same_attributes(parts, new),
            merged_from=tuple(olds),
        )
    out: list[UnitInput] = []
    for unit in units:
        target = consumed.get(unit.unit)
        if target is None:
            out.append(unit)
        elif merged[target].merged_from[0] == unit.unit:
            out.append(merged[target])
    return out


def _mean_values(parts: Sequence[UnitInput]) -> dict[str, Measure]:
    keys = set(parts[0].values)
    for part in parts[1:]:
        keys &= set(part.values)
    out: dict[str, Measure] = {}
    for key in sorted(keys):
        rates = [p.values[key].rate() for p in parts]
        if any(r is None for r in rates):
            continue
        total = sum((r for r in rates if r is not None), Decimal(0))
        out[key] = Measure(value=CONTEXT.divide(total, len(rates)))
    return out


def _same_attributes(parts: Sequence[UnitInput], new: str) -> dict[str, str]:
    first = dict(parts[0].attributes)
    for part in parts[1:]:
        if dict(part.attributes) != first:
            raise _merge_error(f"predecessors of {new!r} have different attributes", new)
    return first


def _merge_error(message: str, where: str) -> _ValidationError:
    return _ValidationError(
        message,
        code="assessment.merge.invalid",
        where=where,
        findings=[Finding(code="assessment.merge.invalid", where=where, message=message)],
    )


__all__ = ["merge_units"]
