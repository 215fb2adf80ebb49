from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.dossiers import DossierStatus
from egovkit.errors import NotFoundError, ParseError, ValidationError
from egovkit_dvcqg import StatusRule, StatusRules

S = DossierStatus


def test_default_rules_are_explicit() -> None:
    rules = StatusRules.default()
    for status in S:
        if status.national_code is not None:
            assert rules.code(status) == status.national_code
    assert rules.code(S.TRANSFERRED) == 4
    assert rules.code(S.PAUSED) == 8
    assert rules.code(S.CORRECTING) == 4
    assert "liên thông" in rules.rule(S.TRANSFERRED).reason
    assert not rules.closing_step


def test_the_provincial_rewrite() -> None:
    rules = StatusRules.rewrite_to_resolved()
    assert [rules.code(s) for s in (S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT, S.STOPPED)] == [
        9,
        9,
        9,
    ]
    assert rules.code(S.PROCESSING) == 4
    assert rules.closing_step


def test_rules_must_be_complete_and_valid() -> None:
    with pytest.raises(ValidationError):
        StatusRules(rules=StatusRules.default().rules[1:])
    with pytest.raises(ValidationError):
        StatusRules(rules=[*StatusRules.default().rules, StatusRules.default().rules[0]])
    with pytest.raises(ValidationError):
        StatusRule(source=S.PAUSED, target=11, reason="x")


@given(st.dictionaries(st.sampled_from(list(S)), st.integers(1, 10)), st.booleans())
def test_json_round_trip(changes: dict[DossierStatus, int], closing: bool) -> None:
    rules = StatusRules.default()
    for status, code in changes.items():
        rules = rules.with_rule(status, code, f"local rule {code}")
    rules = StatusRules(rules=rules.rules, closing_step=closing)
    assert StatusRules.from_dict(rules.to_dict()) == rules


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"rules": {"sleeping": {"target": 4, "reason": "x"}}}, "rules.sleeping"),
        ({"rules": {"paused": {"target": 4}}}, "rules.paused"),
        ({"rules": []}, "rules"),
        ({"closing_step": "yes"}, "closing_step"),
    ],
)
def test_bad_rule_files_name_the_key(data: dict[str, object], where: str) -> None:
    with pytest.raises(ParseError) as caught:
        StatusRules.from_dict(data)
    assert caught.value.where == where


def test_unknown_national_code() -> None:
    with pytest.raises(NotFoundError):
        StatusRules.status_for(0)
