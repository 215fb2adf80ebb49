"""Built-in rule sets: valid, versioned by date, and every golden fixture passes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest

from egovkit.assessment import (
    Group,
    Indicator,
    RatioScoring,
    RuleSet,
    RuleSetCatalogue,
    builtin_rulesets,
    check_ruleset,
    dumps_ruleset,
)
from egovkit.assessment.golden import (
    GoldenCase,
    assert_golden,
    builtin_golden_files,
    check_golden,
    load_golden,
)
from egovkit.errors import NotFoundError, ParseError
from egovkit.findings import Severity

CASES = [case for f in builtin_golden_files() for case in load_golden(f)]


@pytest.mark.parametrize("ruleset", builtin_rulesets(), ids=lambda r: r.name)
def test_builtin_rule_sets_have_no_findings(ruleset: RuleSet) -> None:
    assert check_ruleset(ruleset) == []


def test_every_builtin_rule_set_has_golden_fixtures() -> None:
    covered = {RuleSetCatalogue.builtin().get(c.ruleset, at=c.at).name for c in CASES}
    assert covered == {r.name for r in builtin_rulesets()}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_golden(case: GoldenCase) -> None:
    assert_golden(case)


def test_a_wrong_expectation_is_reported(tmp_path: Path) -> None:
    source = builtin_golden_files()[0]
    data = json.loads(source.read_text(encoding="utf-8"))
    data["cases"][0]["expect"][0]["score"] = 0.9
    data["cases"][0]["expect"][0]["rank"] = 5
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    problems = check_golden(load_golden(path)[0])
    assert len(problems) == 2
    with pytest.raises(AssertionError, match=r"expected 0\.9"):
        assert_golden(load_golden(path)[0])


def test_golden_file_with_own_rule_set(tmp_path: Path) -> None:
    ruleset = RuleSetCatalogue.builtin().get("ict-index")
    (tmp_path / "mine.json").write_text(dumps_ruleset(ruleset), encoding="utf-8")
    (tmp_path / "golden.json").write_text(
        json.dumps(
            {
                "format": "egovkit.golden/1",
                "ruleset": "mine.json",
                "cases": [
                    {
                        "name": "mean",
                        "units": [
                            {
                                "unit": "A",
                                "technical_infrastructure": 1,
                                "human_infrastructure": 0.5,
                                "it_application": 0,
                            }
                        ],
                        "expect": [{"unit": "A", "score": 0.5}],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    (case,) = load_golden(tmp_path / "golden.json")
    assert_golden(case)


@pytest.mark.parametrize(
    ("name", "at", "expected"),
    [
        ("dti", dt.date(2022, 5, 20), "dti-2022"),
        ("dti", dt.date(2025, 4, 2), "dti-2022"),
        ("dti", dt.date(2025, 4, 3), "dti-2025"),
        ("dti-2022", dt.date(2030, 1, 1), "dti-2022"),
        ("qd766", dt.date(2023, 1, 1), "qd766-2022.2"),
    ],
)
def test_version_in_force(name: str, at: dt.date, expected: str) -> None:
    assert RuleSetCatalogue.builtin().get(name, at=at).name == expected


def test_unknown_and_not_in_force() -> None:
    catalogue = RuleSetCatalogue.builtin()
    with pytest.raises(NotFoundError) as info:
        catalogue.get("pisa")
    assert info.value.code == "assessment.ruleset.unknown"
    with pytest.raises(NotFoundError) as info:
        catalogue.get("dti", at=dt.date(2020, 1, 1))
    assert info.value.code == "assessment.ruleset.not_in_force"


def test_qd766_groups_and_thresholds_follow_the_reference() -> None:
    """The six groups and maxima the national portal scores (its evaluation API:
    transparency 18, dvc-progress-tree 20, provide-online-tree 12, formality-online-payment-tree
    10, dossier-digitized 22, handling-satisfaction 18; wire-fidelity.md §6.1, index ids
    68371791579 and 70070804300) and the thresholds of the formula cards ("Mô tả công thức tính
    chỉ số 766": 3.1 80%, 3.3 50%, 3.5 80%, 3.5b 80%, 4.2 80%, 4.3 80%, 5.4 90%)."""
    qd = RuleSetCatalogue.builtin().get("qd766-2022.2")
    groups = {g.name_vi: int(g.max_points()) for g in qd.root.children if isinstance(g, Group)}
    assert groups == {
        "Công khai, minh bạch": 18,
        "Tiến độ giải quyết": 20,
        "Dịch vụ công trực tuyến": 12,
        "Thanh toán trực tuyến": 10,
        "Số hóa hồ sơ": 22,
        "Mức độ hài lòng": 18,
    }
    thresholds = {
        leaf.id: leaf.scoring.threshold
        for _, leaf in qd.leaves()
        if isinstance(leaf.scoring, RatioScoring) and leaf.scoring.threshold != 1
    }
    assert {k: str(v) for k, v in thresholds.items()} == {
        "c3_1": "0.8",
        "c3_3": "0.5",
        "c3_5": "0.8",
        "c3_5b": "0.8",
        "c4_2": "0.8",
        "c4_3": "0.8",
        "c5_4": "0.9",
    }
    payment = {leaf.id: int(leaf.points) for path, leaf in qd.leaves() if "g3b_payment" in path}
    assert payment == {"c3_5": 2, "c3_5b": 2, "c3_6": 6}


def test_unused_indicator_is_only_a_warning() -> None:
    ruleset = RuleSetCatalogue.builtin().get("ict-index")
    extra = attrs.evolve(ruleset, indicators=(*ruleset.indicators, Indicator(id="x", name_vi="X")))
    (finding,) = check_ruleset(extra)
    assert finding.severity is Severity.WARNING


@pytest.mark.parametrize(
    "text",
    [
        "{",
        '{"format": "other"}',
        '{"format": "egovkit.golden/1"}',
        '{"format": "egovkit.golden/1", "ruleset": "dti", "cases": [{"units": []}]}',
    ],
)
def test_malformed_golden_files_are_parse_errors(tmp_path: Path, text: str) -> None:
    path = tmp_path / "g.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError):
        load_golden(path)
