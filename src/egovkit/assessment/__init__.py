"""Assessment and ranking (đánh giá, xếp hạng): versioned rule sets, explainable scores.

Rule sets are declarative JSON files with effective dates
(:mod:`egovkit.assessment.rulefile`); the built-in ones are the provincial DTI (Decision
922/QĐ-BTTTT), the national DTI 2025 (Decision 405/QĐ-BKHCN), the Vietnam ICT Index, the Decision
766/QĐ-TTg service index, a local IT-adoption checklist and the UN EGDI.
:func:`~egovkit.assessment.engine.evaluate` scores units, ranks them with ties and explains
every leaf.

>>> from egovkit.assessment import RuleSetCatalogue, evaluate, units_from_records
>>> dti = RuleSetCatalogue.builtin().get("dti-2022")
>>> units = units_from_records([{"unit": "Đà Nẵng", "awareness": "1.0000",
...     "institutions": "0.9000", "infrastructure": "0.8253", "human_resources": "0.8487",
...     "cybersecurity": "0.7578", "government_operations": "0.8575",
...     "economy_operations": "0.7836", "society_operations": "0.5197"}])
>>> card = evaluate(dti, units).get("Đà Nẵng")
>>> card.score, card.rank, card.ruleset_version
(Decimal('0.8002'), 1, '2022')
"""

from __future__ import annotations

from egovkit.assessment.catalogue import RuleSetCatalogue, builtin_rulesets
from egovkit.assessment.engine import evaluate, scorer
from egovkit.assessment.explanation import Explanation, Status
from egovkit.assessment.inputs import (
    Measure,
    UnitInput,
    parse_measure,
    read_units,
    read_units_csv,
    read_units_json,
    units_from_records,
    units_to_csv,
    units_to_json,
    units_to_records,
)
from egovkit.assessment.merge import merge_units
from egovkit.assessment.model import (
    Aggregate,
    Band,
    BandScoring,
    CountScoring,
    GradeBand,
    Group,
    Indicator,
    IndicatorSource,
    IndicatorUnit,
    Leaf,
    MinMaxScoring,
    NotApplicablePolicy,
    RatioScoring,
    RuleSet,
    Scale,
    Ties,
    YesNoScoring,
    ZeroDenominator,
    ZScoreMinMaxScoring,
)
from egovkit.assessment.ranking import rank
from egovkit.assessment.results import Assessment, Scorecard
from egovkit.assessment.rulefile import dumps_ruleset, loads_ruleset, read_ruleset
from egovkit.assessment.validation import check_ruleset

__all__ = [
    "Aggregate",
    "Assessment",
    "Band",
    "BandScoring",
    "CountScoring",
    "Explanation",
    "GradeBand",
    "Group",
    "Indicator",
    "IndicatorSource",
    "IndicatorUnit",
    "Leaf",
    "Measure",
    "MinMaxScoring",
    "NotApplicablePolicy",
    "RatioScoring",
    "RuleSet",
    "RuleSetCatalogue",
    "Scale",
    "Scorecard",
    "Status",
    "Ties",
    "UnitInput",
    "YesNoScoring",
    "ZScoreMinMaxScoring",
    "ZeroDenominator",
    "builtin_rulesets",
    "check_ruleset",
    "dumps_ruleset",
    "evaluate",
    "loads_ruleset",
    "merge_units",
    "parse_measure",
    "rank",
    "read_ruleset",
    "read_units",
    "read_units_csv",
    "read_units_json",
    "scorer",
    "units_from_records",
    "units_to_csv",
    "units_to_json",
    "units_to_records",
]
