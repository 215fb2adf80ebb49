"""Targets for online services, kept as dated data ("100% at level 3 and 50% at level 4 by
2025"; online 90% / toàn trình 90% for a province), and checks against them.

A target is never a constant in code: plans change every few years, so each one is a record
with its source, and :func:`all_targets` reads the ones egovkit ships (users add their own).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from datetime import date
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

import attrs

from egovkit.dossiers import Channel, Dossier
from egovkit.errors import NotFoundError, ValidationError
from egovkit.services.catalogue import CompetentLevel, Procedure, ProcedureCatalogue
from egovkit.services.levels import scheme as scheme_by_id


class TargetKind(enum.Enum):
    """What a target measures."""

    PROCEDURE_SHARE = "procedure_share"  # share of procedures at or above a level
    ONLINE_DOSSIER_SHARE = "online_dossier_share"  # online dossiers among direct + online


def _fraction(value: object) -> Fraction:
    try:
        result = Fraction(str(value))
    except (ValueError, ZeroDivisionError) as exc:
        raise ValidationError(
            f"{value!r} is not a share", code="services.target.minimum", where="minimum"
        ) from exc
    if not 0 <= result <= 1:
        raise ValidationError(
            f"a share is between 0 and 1, not {value!r}",
            code="services.target.minimum",
            where="minimum",
        )
    return result


def _levels(value: Iterable[CompetentLevel]) -> frozenset[CompetentLevel]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class Target:
    """A dated target: ``minimum`` share of ``kind`` for the procedures of
    ``competent_levels``, to be met by ``due`` (``None``: at all times)."""

    id: str
    kind: TargetKind
    minimum: Fraction = attrs.field(converter=_fraction)
    competent_levels: frozenset[CompetentLevel] = attrs.field(converter=_levels)
    scheme: str = ""
    level: str = ""
    due: date | None = None
    source: str = ""

    def __attrs_post_init__(self) -> None:
        if self.kind is TargetKind.PROCEDURE_SHARE:
            scheme_by_id(self.scheme).level(self.level)  # both must exist


@attrs.frozen(kw_only=True)
class TargetCheck:
    """The outcome of one target: the measured share (``None`` with nothing to measure)."""

    target: Target
    numerator: int
    denominator: int
    met: bool
    reason: str

    @property
    def share(self) -> Fraction | None:
        """Numerator over denominator."""
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        share = self.share
        return {
            "target": self.target.id,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "share": None if share is None else float(share),
            "minimum": float(self.target.minimum),
            "met": self.met,
            "reason": self.reason,
        }


def _target(data: Mapping[str, Any]) -> Target:
    due = data.get("due")
    return Target(
        id=str(data["id"]),
        kind=TargetKind(data["kind"]),
        minimum=data["minimum"],
        competent_levels=[CompetentLevel(v) for v in data["competent_levels"]],
        scheme=str(data.get("scheme", "")),
        level=str(data.get("level", "")),
        due=None if due is None else date.fromisoformat(due),
        source=str(data.get("source", "")),
    )


@cache
def all_targets() -> tuple[Target, ...]:
    """The targets egovkit ships (``data/targets.json``)."""
    text = resources.files("egovkit.services").joinpath("data/targets.json").read_text("utf-8")
    return tuple(_target(t) for t in json.loads(text)["targets"])


def target(target_id: str) -> Target:
    """One shipped target by id."""
    for found in all_targets():
        if found.id == target_id:
            return found
    raise NotFoundError(f"no target {target_id!r}", code="services.target.unknown", where="id")


def _verdict(target: Target, part: int, whole: int, what: str) -> TargetCheck:
    met = whole > 0 and Fraction(part, whole) >= target.minimum
    shown = f"{part}/{whole}" if whole else "nothing to measure"
    due = f" by {target.due}" if target.due else ""
    reason = (
        f"{what}: {shown}, {'meets' if met else 'misses'} the minimum "
        f"{float(target.minimum):.0%}{due}"
    )
    return TargetCheck(target=target, numerator=part, denominator=whole, met=met, reason=reason)


def check_procedures(target: Target, procedures: Iterable[Procedure], *, on: date) -> TargetCheck:
    """Check a ``TargetKind.PROCEDURE_SHARE`` target on the versions in force on ``on``."""
    if target.kind is not TargetKind.PROCEDURE_SHARE:
        raise ValidationError(
            f"{target.id} is not a procedure-share target",
            code="services.target.kind",
            where="kind",
        )
    chosen = scheme_by_id(target.scheme)
    wanted = chosen.level(target.level).rank
    part = whole = 0
    for procedure in procedures:
        if (
            not procedure.is_valid_on(on)
            or procedure.competent_level not in target.competent_levels
        ):
            continue
        whole += 1
        level = chosen.classify(procedure.capabilities, has_fees=procedure.has_fees).level
        part += level.rank >= wanted
    label = chosen.level(target.level).label
    return _verdict(target, part, whole, f"procedures at {label} or above")


def check_online_dossiers(
    target: Target, dossiers: Iterable[Dossier], catalogue: ProcedureCatalogue, *, on: date
) -> TargetCheck:
    """Check a ``TargetKind.ONLINE_DOSSIER_SHARE`` target: online dossiers over dossiers
    filed directly or online (postal ones left out), among the dossiers of procedures that
    are at ``MucDo`` 3 or 4 under Decree 42/2022 on ``on`` and of the target's levels."""
    if target.kind is not TargetKind.ONLINE_DOSSIER_SHARE:
        raise ValidationError(
            f"{target.id} is not an online-dossier target",
            code="services.target.kind",
            where="kind",
        )
    chosen = scheme_by_id("nd42-2022")
    eligible: dict[str, bool] = {}
    part = whole = 0
    for dossier in dossiers:
        code = dossier.procedure.code
        if code not in eligible:
            found = catalogue.find(code, on=on)
            eligible[code] = (
                found is not None
                and found.competent_level in target.competent_levels
                and (chosen.classify(found.capabilities, has_fees=found.has_fees).muc_do or 0) >= 3
            )
        if not eligible[code] or dossier.channel is Channel.POSTAL:
            continue
        whole += 1
        part += dossier.channel is Channel.ONLINE
    return _verdict(target, part, whole, "online dossiers of procedures at MucDo 3/4")


__all__ = [
    "Target",
    "TargetCheck",
    "TargetKind",
    "all_targets",
    "check_online_dossiers",
    "check_procedures",
    "target",
]
