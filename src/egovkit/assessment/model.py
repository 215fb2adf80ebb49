"""What a rule set is made of: indicators, scoring rules, aggregation groups and grade bands.

A rule set (bộ chỉ số) is data, not code: each decision (Quyết định) that changes the index is a
new :class:`RuleSet` version with its own effective dates. The classes here only describe; the
arithmetic lives in :mod:`egovkit.assessment.scoring` and :mod:`egovkit.assessment.engine`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal

import attrs

from egovkit.assessment._numbers import ONE


class IndicatorUnit(enum.StrEnum):
    """What an indicator's value measures; decides the range a value may take."""

    RATIO = "ratio"  # tỷ lệ, 0..1 (or numerator/denominator)
    COUNT = "count"  # số lượng, a whole number ≥ 0 (or "5/20": 5 of 20 units)
    BOOLEAN = "boolean"  # có/không
    NUMBER = "number"  # any finite number (raw EGDI components, months, …)
    POINTS = "points"  # điểm already earned


class IndicatorSource(enum.StrEnum):
    """Whether a value is supplied by the assessed unit or computed from a store."""

    SUPPLIED = "supplied"  # tự đánh giá, báo cáo
    COMPUTED = "computed"  # đo tự động từ dữ liệu (e.g. one-stop dossiers)


@attrs.frozen(kw_only=True)
class Indicator:
    """One indicator (chỉ số, tiêu chí): an id, its names, unit and allowed range.

    ``computed_from`` says in words where a computed indicator's value comes from (the formula
    of the regulation); until a store can compute it, such a value may still be supplied.
    """

    id: str
    name_vi: str
    name_en: str = ""
    unit: IndicatorUnit = IndicatorUnit.RATIO
    source: IndicatorSource = IndicatorSource.SUPPLIED
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    computed_from: str = ""


class ZeroDenominator(enum.StrEnum):
    """What a leaf does when its denominator is zero (mẫu số bằng 0): never a silent zero."""

    NOT_APPLICABLE = "na"  # the leaf is N/A, with the reason in the explanation
    ZERO = "zero"  # the leaf earns 0 points, and the explanation says why


@attrs.frozen(kw_only=True)
class RatioScoring:
    """Capped linear ratio: ``points = min(1, rate / T) × max points`` (T = ``threshold``).

    ``threshold_by`` makes T depend on a unit attribute, e.g. electronic documents above 95% for
    province and district bodies but 65% for communes: ``("level", {"commune": 0.65, …})``.
    """

    threshold: Decimal = ONE
    threshold_by: str | None = None
    thresholds: Mapping[str, Decimal] = attrs.field(factory=dict, hash=False)

    kind = "ratio"


@attrs.frozen(kw_only=True)
class Band:
    """One band: values in ``[minimum, maximum]`` (an end is open when ``None``) earn ``points``."""

    minimum: Decimal | None = None
    maximum: Decimal | None = None
    points: Decimal

    def contains(self, value: Decimal) -> bool:
        """True when ``value`` lies in the band (both ends inclusive)."""
        return (self.minimum is None or value >= self.minimum) and (
            self.maximum is None or value <= self.maximum
        )


@attrs.frozen(kw_only=True)
class BandScoring:
    """Bands (khung điểm): the first band containing the value gives the points."""

    bands: tuple[Band, ...]

    kind = "bands"


@attrs.frozen(kw_only=True)
class YesNoScoring:
    """Yes/no (có/không): full points for yes, none for no."""

    kind = "yes_no"


@attrs.frozen(kw_only=True)
class CountScoring:
    """Counts such as "5 of 20 units": ``min(1, count / target)``, or ``count / of`` when no
    ``target`` is set and the value carries its own denominator (``5/20``)."""

    target: Decimal | None = None

    kind = "count"


@attrs.frozen(kw_only=True)
class MinMaxScoring:
    """Min-max rescaling ``(x − min) / (max − min)``: fixed bounds, or the population's."""

    low: Decimal | None = None
    high: Decimal | None = None

    kind = "minmax"

    @property
    def needs_population(self) -> bool:
        """True when the bounds come from the units being assessed together."""
        return self.low is None or self.high is None


@attrs.frozen(kw_only=True)
class ZScoreMinMaxScoring:
    """As the UN EGDI: z-score over the population, then min-max so best = 1 and worst = 0."""

    kind = "zscore_minmax"

    needs_population = True


Scoring = (
    RatioScoring | BandScoring | YesNoScoring | CountScoring | MinMaxScoring | ZScoreMinMaxScoring
)


class Aggregate(enum.StrEnum):
    """How a group combines its children."""

    SUM = "sum"  # weighted sum: each child's points (its weight is its max points)
    MAX = "max"  # group maximum: the best child counts
    MEAN = "mean"  # arithmetic mean of the children's values (points ÷ max), × group points


class NotApplicablePolicy(enum.StrEnum):
    """What a group does with an N/A child; every choice is recorded in the explanation."""

    PROPAGATE = "propagate"  # the group is N/A too (default)
    ZERO = "zero"  # the child counts as 0 points
    SKIP = "skip"  # the child is left out and the rest is rescaled to the group's max


@attrs.frozen(kw_only=True)
class Leaf:
    """A scored indicator: which indicator, how many points at most, and how it is scored.

    ``times`` lists indicators whose rates multiply this one's (Decision 766: the online
    submission rate is multiplied by the sync rate). ``rate_decimals`` rounds the rate before
    scoring (766 publishes percentages with 2 decimals, so 4 places of the fraction).
    """

    id: str
    indicator: str
    points: Decimal
    scoring: Scoring = attrs.field(factory=RatioScoring)
    name_vi: str = ""
    name_en: str = ""
    times: tuple[str, ...] = ()
    on_zero_denominator: ZeroDenominator = ZeroDenominator.NOT_APPLICABLE
    rate_decimals: int | None = None


@attrs.frozen(kw_only=True)
class Group:
    """An aggregation node: a main index (chỉ số chính), a pillar (trụ cột) or the whole index.

    ``points`` is the declared maximum; for a weighted sum the children's maxima must add up to
    it, which catches weights that do not sum as the decision says.
    """

    id: str
    children: tuple[Node, ...]
    aggregate: Aggregate = Aggregate.SUM
    points: Decimal | None = None
    name_vi: str = ""
    name_en: str = ""
    on_na: NotApplicablePolicy = NotApplicablePolicy.PROPAGATE

    def max_points(self) -> Decimal:
        """The most points the group can give (declared, or derived from its children)."""
        if self.points is not None:
            return self.points
        maxima = [node_max(c) for c in self.children]
        if self.aggregate is Aggregate.SUM:
            return sum(maxima, Decimal(0))
        return max(maxima, default=Decimal(0))


Node = Leaf | Group


def node_max(node: Node) -> Decimal:
    """The most points ``node`` can give."""
    return node.points if isinstance(node, Leaf) else node.max_points()


def walk(node: Node, path: str = "") -> Iterator[tuple[str, Node]]:
    """Every node under ``node`` (itself first) with its path of ids, e.g. ``"dti/awareness"``."""
    here = f"{path}/{node.id}" if path else node.id
    yield here, node
    if isinstance(node, Group):
        for child in node.children:
            yield from walk(child, here)


class Scale(enum.StrEnum):
    """How the root's result is published."""

    POINTS = "points"  # điểm, e.g. 87.5 of 100
    FRACTION = "fraction"  # chỉ số 0..1: points ÷ max points (DTI, ICT Index, EGDI)


@attrs.frozen(kw_only=True)
class GradeBand:
    """A grade (xếp loại) for scores at or above ``minimum`` (above, when not ``inclusive``).

    ``minimum=None`` catches every remaining score; ``name`` is what reports print
    (e.g. ``"Xuất sắc"``), ``name_en`` its English gloss.
    """

    name: str
    minimum: Decimal | None
    inclusive: bool = True
    name_en: str = ""

    def admits(self, score: Decimal) -> bool:
        """True when ``score`` earns this grade (bands are tried from the best down)."""
        if self.minimum is None:
            return True
        return score >= self.minimum if self.inclusive else score > self.minimum


class Ties(enum.StrEnum):
    """How equal scores share ranks."""

    COMPETITION = "competition"  # 1, 2, 2, 4 (how rankings are published)
    DENSE = "dense"  # 1, 2, 2, 3


@attrs.frozen(kw_only=True)
class RuleSet:
    """One version of an index (bộ chỉ số), in force from ``effective_from`` until before
    ``effective_to``.

    ``name`` (``"dti-2022"``) is how users pick this exact version; ``id`` (``"dti"``) picks the
    version in force on a date. ``attributes`` names the unit attributes rules may depend on
    (e.g. ``level`` = province, district or commune).
    """

    id: str
    version: str
    title_vi: str
    effective_from: date
    root: Group
    indicators: tuple[Indicator, ...]
    title_en: str = ""
    source: str = ""
    effective_to: date | None = None
    scale: Scale = Scale.POINTS
    decimals: int = 2
    grades: tuple[GradeBand, ...] = ()
    ties: Ties = Ties.COMPETITION
    attributes: tuple[str, ...] = ()
    notes: str = ""

    @property
    def name(self) -> str:
        """``id-version``, e.g. ``"dti-2022"``."""
        return f"{self.id}-{self.version}"

    def is_in_force(self, on: date) -> bool:
        """True when this version applies to an assessment dated ``on``."""
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)

    def indicator(self, indicator_id: str) -> Indicator | None:
        """The indicator called ``indicator_id``, or ``None``."""
        for item in self.indicators:
            if item.id == indicator_id:
                return item
        return None

    def leaves(self) -> tuple[tuple[str, Leaf], ...]:
        """Every leaf with its path, in order."""
        return tuple((p, n) for p, n in walk(self.root) if isinstance(n, Leaf))

    def grade_for(self, score: Decimal) -> GradeBand | None:
        """The first grade band (best first) that admits ``score``, or ``None``."""
        for band in self.grades:
            if band.admits(score):
                return band
        return None
