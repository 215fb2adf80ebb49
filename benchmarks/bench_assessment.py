"""Assessment: a 50-indicator rule set over 10,000 units (aim < 1 s), against a plain-Python
implementation of the same formula in the same run.

The issue names no peer library for scoring, so the peer is the straightforward script a
province would write: floats, ``min(1, rate / T) × points`` summed per unit, then a sort. egovkit
does more per unit (exact decimals, input checks, N/A handling, ranks with ties, grades, and an
explanation tree on demand), so the ratio shows what that costs. The Decision 766 benchmark over
1,000,000 dossiers on SQLite waits for the dossier store.
"""

from __future__ import annotations

import io
import random
from datetime import date
from decimal import Decimal

from _harness import Comparison, best_of

from egovkit.assessment import (
    GradeBand,
    Group,
    Indicator,
    Leaf,
    RatioScoring,
    RuleSet,
    evaluate,
    read_units_csv,
)
from egovkit.assessment.reports import assessment_to_dict

GROUPS = 5
PER_GROUP = 10


def _ruleset() -> RuleSet:
    thresholds = [Decimal("0.5"), Decimal("0.8"), Decimal("0.9"), Decimal(1)]
    groups = []
    indicators = []
    for g in range(GROUPS):
        leaves = []
        for i in range(PER_GROUP):
            ident = f"i{g}_{i}"
            indicators.append(Indicator(id=ident, name_vi=f"Chỉ số {g}.{i}"))
            leaves.append(
                Leaf(
                    id=ident,
                    indicator=ident,
                    points=Decimal(2),
                    scoring=RatioScoring(threshold=thresholds[(g + i) % 4]),
                )
            )
        groups.append(Group(id=f"g{g}", children=tuple(leaves), points=Decimal(20)))
    return RuleSet(
        id="bench",
        version="1",
        title_vi="Thử nghiệm 50 chỉ số",
        effective_from=date(2024, 1, 1),
        root=Group(id="root", children=tuple(groups), points=Decimal(100)),
        indicators=tuple(indicators),
        grades=(
            GradeBand(name="Tốt", minimum=Decimal(80)),
            GradeBand(name="Khá", minimum=Decimal(50)),
            GradeBand(name="Yếu", minimum=None),
        ),
    )


def _csv(units: int, ruleset: RuleSet) -> str:
    rng = random.Random(766)
    ids = [i.id for i in ruleset.indicators]
    lines = [",".join(["unit", *ids])]
    for n in range(units):
        lines.append(",".join([f"Đơn vị {n}", *(f"{rng.randint(0, 10000) / 10000}" for _ in ids)]))
    return "\n".join(lines) + "\n"


def _plain(text: str, ruleset: RuleSet) -> list[tuple[str, float, int]]:
    """The peer: parse with split, score with floats, rank by sorting."""
    weights = [
        (leaf.indicator, float(leaf.points), float(leaf.scoring.threshold))  # type: ignore[union-attr]
        for _, leaf in ruleset.leaves()
    ]
    rows = text.splitlines()
    header = rows[0].split(",")
    column = {name: i for i, name in enumerate(header)}
    cols = [(column[k], p, t) for k, p, t in weights]
    scored = []
    for line in rows[1:]:
        cells = line.split(",")
        score = sum(min(1.0, float(cells[c]) / t) * p for c, p, t in cols)
        scored.append((cells[0], round(score, 2)))
    scored.sort(key=lambda item: -item[1])
    out = []
    rank = 0
    previous = None
    for position, (unit, score) in enumerate(scored, start=1):
        if score != previous:
            rank, previous = position, score
        out.append((unit, score, rank))
    return out


def run(quick: bool) -> list[Comparison]:
    size = 500 if quick else 10_000
    repeat = 1 if quick else 3
    ruleset = _ruleset()
    text = _csv(size, ruleset)
    units = read_units_csv(io.StringIO(text))

    scoring = best_of(lambda: evaluate(ruleset, units), repeat=repeat)
    peer_scoring = best_of(lambda: _plain(text, ruleset), repeat=repeat)
    read = best_of(lambda: read_units_csv(io.StringIO(text)), repeat=repeat)

    def explain_all() -> None:
        assessment_to_dict(evaluate(ruleset, units))

    explained = best_of(explain_all, repeat=1)
    label = f"50 indicators × {size:,} units"
    return [
        Comparison(
            f"score + rank {label}",
            scoring,
            "plain-Python float loop (parse + score + rank)",
            peer_scoring,
            target="< 1 s (10,000 units)",
            notes="decimals, checks, N/A, ties, grades; inputs already read",
        ),
        Comparison(
            f"read CSV + score + rank {label}",
            read + scoring,
            "plain-Python float loop (parse + score + rank)",
            peer_scoring,
            notes="hostile-input CSV reader included",
        ),
        Comparison(
            f"score + every explanation tree as JSON, {label}",
            explained,
            "plain-Python float loop (parse + score + rank)",
            peer_scoring,
            notes="what `egovkit assess --format json` pays",
        ),
    ]
