"""Rule-set files: read(write(x)) == x, and every bad file gets a typed error naming its field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from egovkit.assessment import (
    Leaf,
    RatioScoring,
    RuleSet,
    dumps_ruleset,
    loads_ruleset,
    read_ruleset,
)
from egovkit.assessment.rulefile import MAX_RULESET_BYTES, ruleset_from_dict, ruleset_to_dict
from egovkit.errors import ParseError, UnsafeInputError, ValidationError

from .strategies import rulesets

MINIMAL = {
    "format": "egovkit.ruleset/1",
    "id": "demo",
    "version": "1",
    "title_vi": "Thử",
    "effective_from": "2024-01-01",
    "indicators": [{"id": "a", "name_vi": "A"}],
    "root": {
        "id": "root",
        "children": [
            {
                "id": "a",
                "indicator": "a",
                "points": 10,
                "scoring": {"kind": "ratio", "threshold": 0.8},
            }
        ],
    },
}


@given(rulesets)
def test_dict_round_trip(ruleset: RuleSet) -> None:
    assert ruleset_from_dict(ruleset_to_dict(ruleset)) == ruleset


@given(rulesets)
def test_file_round_trip(ruleset: RuleSet) -> None:
    assert loads_ruleset(dumps_ruleset(ruleset), check=False) == ruleset


def test_minimal_file_reads_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(MINIMAL), encoding="utf-8")
    ruleset = read_ruleset(path)
    assert ruleset.name == "demo-1"
    leaf = ruleset.root.children[0]
    assert isinstance(leaf, Leaf)
    assert isinstance(leaf.scoring, RatioScoring)
    assert str(leaf.scoring.threshold) == "0.8"  # read as a decimal, not a float
    assert ruleset.decimals == 2


def _with(path: list[str | int], value: object) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(MINIMAL))
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "where", "code"),
    [
        (["format"], "other/1", "format", "assessment.ruleset.format"),
        (["effective_from"], "20/5/2022", "effective_from", "assessment.ruleset.field"),
        (
            ["root", "children", 0, "points"],
            "many",
            "root/children[0].points",
            "assessment.ruleset.field",
        ),
        (
            ["root", "children", 0, "scoring", "kind"],
            "magic",
            "root/children[0].scoring.kind",
            "assessment.ruleset.scoring_kind",
        ),
        (
            ["root", "children", 0, "pionts"],
            3,
            "root/children[0].pionts",
            "assessment.ruleset.unknown_field",
        ),
        (["indicators", 0, "unit"], "percent", "indicators[0].unit", "assessment.ruleset.field"),
        (["root", "aggregate"], "median", "root.aggregate", "assessment.ruleset.field"),
    ],
)
def test_bad_fields_are_named(path: list[str | int], value: object, where: str, code: str) -> None:
    with pytest.raises(ParseError) as info:
        ruleset_from_dict(_with(path, value))
    assert info.value.where == where
    assert info.value.code == code


def test_missing_field_is_named() -> None:
    data = json.loads(json.dumps(MINIMAL))
    del data["root"]["children"][0]["indicator"]
    with pytest.raises(ParseError) as info:
        ruleset_from_dict(data)
    assert info.value.code == "assessment.ruleset.missing"
    assert info.value.where == "root/children[0].indicator"


def test_nan_and_syntax_are_parse_errors() -> None:
    with pytest.raises(ParseError):
        loads_ruleset(json.dumps(MINIMAL).replace('"points": 10', '"points": NaN'))
    with pytest.raises(ParseError) as info:
        loads_ruleset("{not json")
    assert info.value.position == 1


def test_hostile_files_are_refused_unread() -> None:
    with pytest.raises(UnsafeInputError):
        loads_ruleset(" " * (MAX_RULESET_BYTES + 1))
    deep = {
        "id": "g0",
        "children": [{"id": "x", "indicator": "a", "points": 1, "scoring": {"kind": "yes_no"}}],
    }
    for i in range(1, 40):
        deep = {"id": f"g{i}", "children": [deep]}
    with pytest.raises(UnsafeInputError):
        ruleset_from_dict({**MINIMAL, "root": deep})
    with pytest.raises(UnsafeInputError):
        loads_ruleset("[" * 100_000 + "]" * 100_000)


def test_loading_checks_the_rule_set_unless_told_not_to() -> None:
    bad = _with(["root", "points"], 99)
    with pytest.raises(ValidationError) as info:
        loads_ruleset(json.dumps(bad))
    assert info.value.code == "assessment.ruleset.invalid"
    assert [f.where for f in info.value.findings] == ["demo-1:root.points"]
    assert loads_ruleset(json.dumps(bad), check=False).root.points == 99
