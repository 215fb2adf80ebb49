"""Checks of a rule set before it scores anyone: weights, references, thresholds, grades.

A rule set whose weights do not add up to what the decision declares, or that scores an
indicator nobody defined, would publish wrong rankings; every such mistake is a
:class:`~egovkit.findings.Finding` naming the rule set, the node and the field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from egovkit.assessment.model import (
    Aggregate,
    BandScoring,
    CountScoring,
    Group,
    Leaf,
    MinMaxScoring,
    RatioScoring,
    RuleSet,
    node_max,
    walk,
)
from egovkit.findings import Finding, Severity


def check_ruleset(ruleset: RuleSet) -> list[Finding]:
    """Every problem of ``ruleset``; error-severity ones make it unusable."""
    out: list[Finding] = []

    def add(code: str, where: str, message: str, severity: Severity = Severity.ERROR) -> None:
        out.append(
            Finding(
                code=f"assessment.ruleset.{code}",
                where=f"{ruleset.name}:{where}",
                message=message,
                severity=severity,
            )
        )

    if ruleset.effective_to is not None and ruleset.effective_to <= ruleset.effective_from:
        add("dates", "effective_to", "effective_to must be after effective_from")
    indicator_ids: set[str] = set()
    for i, indicator in enumerate(ruleset.indicators):
        if indicator.id in indicator_ids:
            add("duplicate_id", f"indicators[{i}].id", f"indicator {indicator.id!r} twice")
        indicator_ids.add(indicator.id)
        if (
            indicator.minimum is not None
            and indicator.maximum is not None
            and indicator.minimum > indicator.maximum
        ):
            add("range", f"indicators[{i}]", f"indicator {indicator.id!r}: minimum > maximum")

    node_ids: set[str] = set()
    used: set[str] = set()
    for path, node in walk(ruleset.root):
        if node.id in node_ids:
            add("duplicate_id", path, f"node id {node.id!r} used twice")
        node_ids.add(node.id)
        if isinstance(node, Leaf):
            used.add(node.indicator)
            used.update(node.times)
            _check_leaf(node, path, indicator_ids, ruleset.attributes, add)
        else:
            _check_group(node, path, add)

    for indicator in ruleset.indicators:
        if indicator.id not in used:
            add(
                "unused_indicator",
                f"indicators.{indicator.id}",
                f"indicator {indicator.id!r} is defined but no rule scores it",
                Severity.WARNING,
            )

    root_max = node_max(ruleset.root)
    if root_max <= 0:
        add("weights", f"{ruleset.root.id}.points", "the index can give no points at all")
    previous: Decimal | None = None
    for i, band in enumerate(ruleset.grades):
        if band.minimum is None:
            if i != len(ruleset.grades) - 1:
                add("grades", f"grades[{i}].minimum", "only the last grade may have no minimum")
            continue
        if previous is not None and band.minimum >= previous:
            add("grades", f"grades[{i}].minimum", "grades must go from the best down")
        previous = band.minimum
    return out


def _check_leaf(
    leaf: Leaf,
    path: str,
    indicators: set[str],
    attributes: tuple[str, ...],
    add: _Add,
) -> None:
    if leaf.indicator not in indicators:
        add("unknown_indicator", f"{path}.indicator", f"unknown indicator {leaf.indicator!r}")
    for other in leaf.times:
        if other not in indicators:
            add("unknown_indicator", f"{path}.times", f"unknown indicator {other!r}")
    if leaf.points < 0:
        add("weights", f"{path}.points", "points must not be negative")
    scoring = leaf.scoring
    if isinstance(scoring, RatioScoring):
        if scoring.threshold <= 0:
            add("threshold", f"{path}.scoring.threshold", "threshold T must be above 0")
        if scoring.threshold_by is not None:
            if scoring.threshold_by not in attributes:
                add(
                    "unknown_attribute",
                    f"{path}.scoring.threshold_by",
                    f"attribute {scoring.threshold_by!r} is not declared in attributes",
                )
            if not scoring.thresholds:
                add("threshold", f"{path}.scoring.thresholds", "threshold_by needs thresholds")
        elif scoring.thresholds:
            add("threshold", f"{path}.scoring.thresholds", "thresholds need threshold_by")
        for key, value in scoring.thresholds.items():
            if value <= 0:
                add("threshold", f"{path}.scoring.thresholds.{key}", "threshold must be above 0")
    elif isinstance(scoring, BandScoring):
        if not scoring.bands:
            add("bands", f"{path}.scoring.bands", "no bands")
        for i, band in enumerate(scoring.bands):
            where = f"{path}.scoring.bands[{i}]"
            if not 0 <= band.points <= leaf.points:
                add("bands", f"{where}.points", f"band points must be within 0..{leaf.points}")
            if (
                band.minimum is not None
                and band.maximum is not None
                and band.minimum > band.maximum
            ):
                add("bands", where, "band minimum above its maximum")
    elif isinstance(scoring, CountScoring):
        if scoring.target is not None and scoring.target <= 0:
            add("threshold", f"{path}.scoring.target", "target must be above 0")
    elif (
        isinstance(scoring, MinMaxScoring)
        and scoring.low is not None
        and scoring.high is not None
        and scoring.low >= scoring.high
    ):
        add("threshold", f"{path}.scoring", "low must be below high")


def _check_group(group: Group, path: str, add: _Add) -> None:
    if not group.children:
        add("empty_group", f"{path}.children", "a group needs at least one child")
        return
    maxima = [node_max(c) for c in group.children]
    if group.aggregate is Aggregate.SUM and group.points is not None:
        total = sum(maxima, Decimal(0))
        if total != group.points:
            add(
                "weights",
                f"{path}.points",
                f"children's points add up to {total}, but the group declares {group.points}",
            )
    elif group.aggregate is Aggregate.MAX and group.points is not None:
        if max(maxima) != group.points:
            add(
                "weights",
                f"{path}.points",
                f"the best child gives at most {max(maxima)}, but the group declares "
                f"{group.points}",
            )
    elif group.aggregate is Aggregate.MEAN:
        if group.points is None:
            add("weights", f"{path}.points", "a mean group must declare its points")
        if any(m <= 0 for m in maxima):
            add("weights", f"{path}.children", "children of a mean must each give some points")


class _Add(Protocol):
    """The shape of the ``add`` callback."""

    def __call__(
        self, code: str, where: str, message: str, severity: Severity = Severity.ERROR
    ) -> None: ...


__all__ = ["check_ruleset"]
