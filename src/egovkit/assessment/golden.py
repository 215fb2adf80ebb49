"""Golden fixtures for rule-set authors: "this input must score X", run with pytest.

A golden file is JSON::

    {"format": "egovkit.golden/1", "ruleset": "dti-2022", "at": null,
     "cases": [{"name": "Đà Nẵng 2022", "units": [{"unit": "Đà Nẵng", "awareness": 1, …}],
                "merge": {}, "expect": [{"unit": "Đà Nẵng", "score": 0.8002, "rank": 1}]}]}

Only the keys given in an expectation are checked (``score``, ``rank``, ``grade``, ``status``,
``tolerance``); ``"score": null`` expects N/A. In a test module::

    CASES = load_golden("tests/golden/my-ruleset.json")

    @pytest.mark.parametrize("case", CASES, ids=str)
    def test_golden(case):
        assert_golden(case)
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import attrs

from egovkit.assessment.catalogue import RuleSetCatalogue
from egovkit.assessment.engine import evaluate
from egovkit.assessment.inputs import UnitInput, units_from_records
from egovkit.assessment.merge import merge_units
from egovkit.assessment.model import RuleSet
from egovkit.assessment.rulefile import read_ruleset
from egovkit.errors import ParseError

FORMAT = "egovkit.golden/1"
_UNSET: Any = object()


@attrs.frozen(kw_only=True)
class Expectation:
    """What one unit must get; fields left as ``UNSET`` are not checked."""

    unit: str
    score: Any = _UNSET  # Decimal, or None for N/A
    rank: Any = _UNSET
    grade: Any = _UNSET
    status: Any = _UNSET
    tolerance: Decimal = Decimal(0)


@attrs.frozen(kw_only=True)
class GoldenCase:
    """One named case: a rule set (file path or catalogue name), units and expectations."""

    name: str
    ruleset: str
    at: date | None
    units: tuple[UnitInput, ...]
    expect: tuple[Expectation, ...]
    merge: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, hash=False)
    attributes: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name


def load_golden(
    source: str | os.PathLike[str] | Traversable, *, base: Path | None = None
) -> list[GoldenCase]:
    """The cases of a golden file; a ``ruleset`` ending in ``.json`` is a path relative to it."""
    readable = source if isinstance(source, Traversable) else Path(source)
    text = readable.read_text(encoding="utf-8")
    try:
        data = json.loads(text, parse_float=Decimal)
    except ValueError as exc:
        raise ParseError(
            f"golden file is not JSON: {exc}", code="assessment.golden.syntax"
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ParseError(
            f"golden file must declare format {FORMAT!r}", code="assessment.golden.format"
        )
    try:
        return _cases(data, source, base)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        if isinstance(exc, ParseError):
            raise
        raise ParseError(
            f"golden file is malformed: {exc!r}", code="assessment.golden.shape"
        ) from exc


def _cases(
    data: dict[str, Any], source: str | os.PathLike[str] | Traversable, base: Path | None
) -> list[GoldenCase]:
    ruleset = str(data["ruleset"])
    if ruleset.endswith(".json") and isinstance(source, (str, os.PathLike)):
        ruleset = str((base or Path(source).parent) / ruleset)
    at = date.fromisoformat(data["at"]) if data.get("at") else None
    attributes = tuple(data.get("attributes", ()))
    cases = []
    for i, raw in enumerate(data.get("cases", [])):
        where = f"cases[{i}]"
        cases.append(
            GoldenCase(
                name=str(raw.get("name", where)),
                ruleset=ruleset,
                at=date.fromisoformat(raw["at"]) if raw.get("at") else at,
                units=tuple(units_from_records(raw["units"], attributes=attributes, where=where)),
                merge={k: tuple(v) for k, v in raw.get("merge", {}).items()},
                expect=tuple(_expectation(e) for e in raw["expect"]),
                attributes=attributes,
            )
        )
    return cases


def _expectation(raw: Mapping[str, Any]) -> Expectation:
    score = raw.get("score", _UNSET)
    return Expectation(
        unit=raw["unit"],
        score=score if score is _UNSET or score is None else Decimal(score),
        rank=raw.get("rank", _UNSET),
        grade=raw.get("grade", _UNSET),
        status=raw.get("status", _UNSET),
        tolerance=Decimal(raw.get("tolerance", 0)),
    )


def _ruleset(case: GoldenCase, catalogue: RuleSetCatalogue | None) -> RuleSet:
    if case.ruleset.endswith(".json"):
        return read_ruleset(case.ruleset)
    return (catalogue or RuleSetCatalogue.builtin()).get(case.ruleset, at=case.at)


def check_golden(case: GoldenCase, *, catalogue: RuleSetCatalogue | None = None) -> list[str]:
    """Every way the case's results differ from its expectations (empty: it passes)."""
    ruleset = _ruleset(case, catalogue)
    units: Sequence[UnitInput] = case.units
    if case.merge:
        units = merge_units(units, case.merge)
    result = evaluate(ruleset, units, at=case.at)
    problems: list[str] = []
    for e in case.expect:
        card = result.get(e.unit)
        if e.score is not _UNSET:
            if e.score is None or card.score is None:
                if e.score != card.score:
                    problems.append(f"{e.unit}: score {card.score}, expected {e.score}")
            elif abs(card.score - e.score) > e.tolerance:
                problems.append(f"{e.unit}: score {card.score}, expected {e.score} ± {e.tolerance}")
        for field in ("rank", "grade", "status"):
            want = getattr(e, field)
            got = getattr(card, field)
            got = got.value if field == "status" else got
            if want is not _UNSET and want != got:
                problems.append(f"{e.unit}: {field} {got!r}, expected {want!r}")
    return problems


def assert_golden(case: GoldenCase, *, catalogue: RuleSetCatalogue | None = None) -> None:
    """Fail (``AssertionError``) with every difference when the case does not pass."""
    problems = check_golden(case, catalogue=catalogue)
    if problems:
        raise AssertionError(f"golden case {case.name!r} failed:\n  " + "\n  ".join(problems))


def builtin_golden_files() -> list[Traversable]:
    """The golden files shipped for the built-in rule sets (also a worked example)."""
    folder = resources.files("egovkit.assessment") / "data" / "golden"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".json")), key=lambda f: f.name)


__all__ = [
    "Expectation",
    "GoldenCase",
    "assert_golden",
    "builtin_golden_files",
    "check_golden",
    "load_golden",
]
