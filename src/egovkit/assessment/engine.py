"""Evaluate a rule set over units: check inputs, score leaves, aggregate, grade and rank.

Bad input never becomes a silent zero. A missing indicator, a value out of range, an unknown
indicator column or an attribute without a threshold is collected as a finding naming the unit,
the rule and the field; with ``on_bad_input="error"`` (the default) they are raised together as
one :class:`~egovkit.errors.ValidationError`, with ``"na"`` the unit's leaf becomes N/A with the
reason in its explanation. A zero denominator follows the leaf's own rule (N/A or zero).
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Literal

from egovkit.assessment._explaining import explain
from egovkit.assessment._gc import paused_gc
from egovkit.assessment._numbers import CONTEXT, ONE, ZERO, quantize
from egovkit.assessment._outcomes import (
    _OK,
    _Fast,
    _GroupOut,
    _GroupPlan,
    _LeafOut,
    _Out,
    _points_of,
    _Rate,
)
from egovkit.assessment.explanation import Explanation, Status
from egovkit.assessment.inputs import Measure, UnitInput
from egovkit.assessment.model import (
    Aggregate,
    BandScoring,
    CountScoring,
    Group,
    Indicator,
    IndicatorSource,
    IndicatorUnit,
    Leaf,
    NotApplicablePolicy,
    RatioScoring,
    RuleSet,
    Scale,
    YesNoScoring,
    ZeroDenominator,
    node_max,
    walk,
)
from egovkit.assessment.ranking import rank
from egovkit.assessment.results import Assessment, Scorecard
from egovkit.assessment.scoring import PopulationStats, share_for, threshold_of
from egovkit.assessment.validation import check_ruleset
from egovkit.errors import PolicyError, ValidationError
from egovkit.findings import Finding, errors_in

BadInput = Literal["error", "na"]
#: At most this many findings are listed in one error (the rest are counted).
MAX_FINDINGS = 200


def evaluate(
    ruleset: RuleSet,
    units: Sequence[UnitInput],
    *,
    at: date | None = None,
    on_bad_input: BadInput = "error",
) -> Assessment:
    """Score every unit with ``ruleset`` and rank them.

    ``at`` is the date the assessment is for; when given, the rule set must be in force on it
    (pick the version with :meth:`~egovkit.assessment.catalogue.RuleSetCatalogue.get`).
    """
    with decimal.localcontext(CONTEXT), paused_gc():
        return _Run(ruleset, units, at, on_bad_input).assessment()


class _Run:
    def __init__(
        self, ruleset: RuleSet, units: Sequence[UnitInput], at: date | None, policy: BadInput
    ) -> None:
        problems = errors_in(check_ruleset(ruleset))
        if problems:
            error = ValidationError.from_findings(f"rule set {ruleset.name}", problems)
            error.code = "assessment.ruleset.invalid"
            raise error
        if at is not None and not ruleset.is_in_force(at):
            until = ruleset.effective_to.isoformat() if ruleset.effective_to else "—"
            raise PolicyError(
                f"rule set {ruleset.name} is in force from {ruleset.effective_from} until {until},"
                f" not on {at}",
                code="assessment.ruleset.not_in_force",
                where=ruleset.name,
            )
        self.ruleset = ruleset
        self.units = units
        self.at = at
        self.policy = policy
        self.findings: list[Finding] = []
        self.finding_count = 0
        self.indicators = {i.id: i for i in ruleset.indicators}
        self.paths = {id(node): path for path, node in walk(ruleset.root)}
        self.root_max = node_max(ruleset.root)
        self._check_columns()
        self.stats: dict[int, PopulationStats | None] = {}
        self.fast: dict[int, _Fast] = {}
        self.plans: dict[int, _GroupPlan] = {}
        for _path, node in walk(ruleset.root):
            if isinstance(node, Leaf):
                if getattr(node.scoring, "needs_population", False):
                    self.stats[id(node)] = self._population(node)
                fast = _fast_plan(node, self.indicators[node.indicator])
                if fast is not None:
                    self.fast[id(node)] = fast
        for _path, node in walk(ruleset.root):
            if isinstance(node, Group):
                maxima = tuple(node_max(c) for c in node.children)
                self.plans[id(node)] = _GroupPlan(
                    children=tuple(
                        (c, isinstance(c, Leaf), self.fast.get(id(c))) for c in node.children
                    ),
                    is_sum=node.aggregate is Aggregate.SUM,
                    maxima=maxima,
                    declared=node.max_points(),
                    full=sum(maxima, ZERO),
                )

    # -- inputs

    def _problem(self, code: str, unit: str, field: str, message: str) -> None:
        self.finding_count += 1
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(
                Finding(code=f"assessment.input.{code}", where=f"{unit}.{field}", message=message)
            )

    def _check_columns(self) -> None:
        unknown: dict[str, list[str]] = {}
        for unit in self.units:
            for key in unit.values:
                if key not in self.indicators:
                    unknown.setdefault(key, []).append(unit.unit)
        for key, names in unknown.items():
            shown = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
            self.findings.append(
                Finding(
                    code="assessment.input.unknown_indicator",
                    where=key,
                    message=f"{key!r} is not an indicator of {self.ruleset.name} (units: {shown})",
                )
            )
            self.finding_count += 1

    def _rate(self, leaf: Leaf, unit: UnitInput) -> _Rate:
        path = self.paths[id(leaf)]
        rate = ONE
        for indicator_id in (leaf.indicator, *leaf.times):
            measure = unit.values.get(indicator_id)
            if measure is None:
                hint = (
                    " (computed from a dossier store by assessment.from_store, or supplied)"
                    if self.indicators[indicator_id].source is IndicatorSource.COMPUTED
                    else ""
                )
                return self._bad(
                    "missing",
                    unit,
                    indicator_id,
                    f"{self.ruleset.name} rule {path} needs indicator {indicator_id!r}, "
                    f"which is missing{hint}",
                )
            if measure.denominator is not None and measure.denominator == 0:
                zero = leaf.on_zero_denominator is ZeroDenominator.ZERO
                return _Rate(
                    None,
                    Status.ZERO if zero else Status.NOT_APPLICABLE,
                    f"zero denominator (mẫu số bằng 0) in {indicator_id}: "
                    + ("counted as 0 by the rule" if zero else "not applicable"),
                )
            problem = _out_of_range(self.indicators[indicator_id], measure)
            if problem:
                return self._bad(
                    "out_of_range",
                    unit,
                    indicator_id,
                    f"{self.ruleset.name} rule {path}: {indicator_id} = {measure} {problem}",
                )
            value = measure.rate()
            assert value is not None  # zero denominators were handled above
            rate = value if indicator_id == leaf.indicator else rate * value
        if leaf.rate_decimals is not None:
            rate = quantize(rate, leaf.rate_decimals)
        return _Rate(rate, Status.OK, "")

    def _bad(self, code: str, unit: UnitInput, field: str, message: str) -> _Rate:
        if self.policy == "error":
            self._problem(code, unit.unit, field, message)
        return _Rate(None, Status.NOT_APPLICABLE, message)

    def _population(self, leaf: Leaf) -> PopulationStats | None:
        values: list[Decimal] = []
        for unit in self.units:
            measure = unit.values.get(leaf.indicator)
            if measure is None:
                continue
            if _out_of_range(self.indicators[leaf.indicator], measure):
                continue
            value = measure.rate()
            if value is not None:
                values.append(value)
        return PopulationStats.of(values)

    # -- scoring

    def _leaf(self, leaf: Leaf, unit: UnitInput) -> _LeafOut:
        rate = self._rate(leaf, unit)
        if rate.rate is None:
            points = ZERO if rate.status is Status.ZERO else None
            return _LeafOut(points, rate.status, rate.reason, None, None)
        value = rate.rate
        scoring = leaf.scoring
        threshold: Decimal | None = None
        if isinstance(scoring, RatioScoring):
            threshold = threshold_of(scoring, dict(unit.attributes))
            if threshold is None:
                key = scoring.threshold_by or ""
                message = (
                    f"{self.ruleset.name} rule {self.paths[id(leaf)]} needs attribute {key!r} "
                    f"with one of {', '.join(scoring.thresholds)}; unit has "
                    f"{unit.attributes.get(key)!r}"
                )
                if self.policy == "error":
                    self._problem("attribute", unit.unit, key, message)
                return _LeafOut(None, Status.NOT_APPLICABLE, message, value, None)
        if isinstance(scoring, (RatioScoring, CountScoring)) and value < 0:
            message = f"{self.ruleset.name} rule {self.paths[id(leaf)]}: negative value {value}"
            if self.policy == "error":
                self._problem("out_of_range", unit.unit, leaf.indicator, message)
            return _LeafOut(None, Status.NOT_APPLICABLE, message, value, None)
        share = share_for(
            scoring,
            value,
            leaf_points=leaf.points,
            threshold=threshold,
            stats=self.stats.get(id(leaf)),
        )
        if share.share is None:
            if isinstance(scoring, (YesNoScoring, BandScoring)) and self.policy == "error":
                self._problem("unscorable", unit.unit, leaf.indicator, share.reason)
            return _LeafOut(None, Status.NOT_APPLICABLE, share.reason, value, share)
        return _LeafOut(share.share * leaf.points, Status.OK, "", value, share)

    def _group(self, group: Group, unit: UnitInput) -> _GroupOut:
        plan = self.plans[id(group)]
        values = unit.values
        collected: list[_Out] = []
        total = ZERO
        complete = True
        for child, is_leaf, fast in plan.children:
            out: _Out | None = None
            if fast is not None:
                # the common case, inlined: a plain number in range, capped linear ratio
                measure = values.get(fast.indicator)
                if measure is not None and measure.denominator is None:
                    v = measure.value
                    if (
                        v >= ZERO
                        and (fast.low is None or v >= fast.low)
                        and (fast.high is None or v <= fast.high)
                    ):
                        t = fast.threshold
                        fraction = v / t if v < t else ONE
                        out = fraction * fast.points
            if out is None:
                out = (
                    self._leaf(child, unit)  # type: ignore[arg-type]
                    if is_leaf
                    else self._group(child, unit)  # type: ignore[arg-type]
                )
            collected.append(out)
            points = out if isinstance(out, Decimal) else out.points
            if points is None:
                complete = False
            elif complete:
                total += points
        outs = tuple(collected)
        declared = plan.declared
        if complete and plan.is_sum:
            return _GroupOut(total, declared, _OK, "", outs)
        missing = [c.id for c, o in zip(group.children, outs, strict=True) if _points_of(o) is None]
        reason = ""
        used = list(zip(outs, plan.maxima, strict=True))
        if missing:
            names = ", ".join(missing)
            if group.on_na is NotApplicablePolicy.PROPAGATE:
                return _GroupOut(
                    None, declared, Status.NOT_APPLICABLE, f"N/A because of {names}", outs
                )
            if group.on_na is NotApplicablePolicy.ZERO:
                reason = f"N/A counted as 0: {names}"
            else:
                reason = f"left out and rescaled: {names}"
                used = [(o, m) for o, m in used if _points_of(o) is not None]
                if not used:
                    return _GroupOut(
                        None, declared, Status.NOT_APPLICABLE, "every child is N/A", outs
                    )
        points = _aggregate(
            group, [(_points_of(o) or ZERO, m) for o, m in used], declared, plan.full
        )
        return _GroupOut(points, declared, Status.OK, reason, outs)

    # -- results

    def assessment(self) -> Assessment:
        outcomes = [(unit, self._group(self.ruleset.root, unit)) for unit in self.units]
        if (self.findings and self.policy == "error") or any(
            f.code == "assessment.input.unknown_indicator" for f in self.findings
        ):
            first = self.findings[0]
            raise ValidationError(
                f"input for {self.ruleset.name} failed {self.finding_count} check(s), "
                f"the first at {first.where}: {first.message}",
                findings=self.findings,
                code="assessment.input.invalid",
                where=first.where,
            )
        scores: dict[str, Decimal | None] = {}
        for unit, out in outcomes:
            scores[unit.unit] = self._score(out)
        ranks = rank(scores, ties=self.ruleset.ties)
        cards = [
            self._card(unit, out, scores[unit.unit], ranks.get(unit.unit)) for unit, out in outcomes
        ]
        big = len(cards) + 1
        cards.sort(key=lambda c: (c.rank if c.rank is not None else big, c.unit))
        return Assessment(ruleset=self.ruleset, at=self.at, scorecards=tuple(cards))

    def _score(self, out: _GroupOut) -> Decimal | None:
        if out.points is None:
            return None
        value = out.points
        if self.ruleset.scale is Scale.FRACTION:
            value = CONTEXT.divide(value, self.root_max)
        return quantize(value, self.ruleset.decimals)

    def _card(
        self, unit: UnitInput, out: _GroupOut, score: Decimal | None, position: int | None
    ) -> Scorecard:
        band = self.ruleset.grade_for(score) if score is not None else None
        root = self.ruleset.root

        def build() -> Explanation:
            # rebuilt on each use rather than kept: 10,000 kept trees cost more in memory and
            # garbage-collector scans than building one again
            with decimal.localcontext(CONTEXT):
                return explain(root, out, unit, self._leaf, self.indicators)

        return Scorecard(
            unit=unit.unit,
            ruleset_id=self.ruleset.id,
            ruleset_version=self.ruleset.version,
            at=self.at,
            score=score,
            points=out.points,
            max_points=out.max_points,
            status=out.status,
            reason=out.reason,
            rank=position,
            grade=band.name if band else None,
            merged_from=unit.merged_from,
            explain=build,
        )


def _aggregate(
    group: Group, parts: list[tuple[Decimal, Decimal]], declared: Decimal, full: Decimal
) -> Decimal:
    if group.aggregate is Aggregate.SUM:
        total = sum((p for p, _ in parts), ZERO)
        available = sum((m for _, m in parts), ZERO)
        if available != full and available:
            return CONTEXT.divide(total, available) * declared
        return total
    if group.aggregate is Aggregate.MAX:
        return max(p for p, _ in parts)
    shares = [CONTEXT.divide(p, m) for p, m in parts if m]
    return CONTEXT.divide(sum(shares, ZERO), len(shares)) * declared if shares else ZERO


def _fast_plan(leaf: Leaf, indicator: Indicator) -> _Fast | None:
    scoring = leaf.scoring
    if (
        not isinstance(scoring, RatioScoring)
        or scoring.threshold_by is not None
        or leaf.times
        or leaf.rate_decimals is not None
        or indicator.unit is IndicatorUnit.BOOLEAN
    ):
        return None
    low, high = indicator.minimum, indicator.maximum
    if indicator.unit is IndicatorUnit.RATIO:
        low = ZERO if low is None else low
        high = ONE if high is None else high
    return _Fast(leaf.indicator, low, high, scoring.threshold, leaf.points)


def _out_of_range(indicator: Indicator, measure: Measure) -> str:
    if measure.denominator is not None and (measure.value < 0 or measure.denominator < 0):
        return "has a negative part"
    value = measure.rate()
    if value is None:
        return ""
    low, high = indicator.minimum, indicator.maximum
    if indicator.unit is IndicatorUnit.RATIO:
        low = ZERO if low is None else low
        high = ONE if high is None else high
    elif indicator.unit is IndicatorUnit.COUNT:
        low = ZERO if low is None else low
    elif indicator.unit is IndicatorUnit.BOOLEAN:
        if value not in (ZERO, ONE):
            return "is not yes (1) or no (0)"
        return ""
    if low is not None and value < low:
        return f"is below the minimum {low}"
    if high is not None and value > high:
        return f"is above the maximum {high}"
    return ""


# ---------------------------------------------------------------- explanations


#: A callable that scores units with a fixed rule set (what :func:`scorer` returns).
Scorer = Callable[[Sequence[UnitInput]], Assessment]


def scorer(ruleset: RuleSet, *, at: date | None = None, on_bad_input: BadInput = "error") -> Scorer:
    """A function scoring units with ``ruleset`` (handy in loops and benchmarks)."""
    return lambda units: evaluate(ruleset, units, at=at, on_bad_input=on_bad_input)


__all__ = ["BadInput", "Scorer", "evaluate", "scorer"]
