from __future__ import annotations

import pytest

from egovkit import errors
from egovkit.findings import Finding, Severity


@pytest.mark.parametrize(
    "cls",
    [
        errors.ParseError,
        errors.ValidationError,
        errors.UnsafeInputError,
        errors.PolicyError,
        errors.SignatureError,
        errors.StorageError,
        errors.ConflictError,
        errors.NotFoundError,
        errors.ConfigurationError,
        errors.RemoteError,
    ],
)
def test_every_error_is_an_egovkit_error_with_code_where_and_message(
    cls: type[errors.EgovkitError],
) -> None:
    error = cls("something is wrong", where="field.x")
    assert isinstance(error, errors.EgovkitError)
    assert error.code == cls.default_code
    assert error.where == "field.x"
    assert error.message == "something is wrong"
    assert error.to_dict()["code"] == cls.default_code


def test_codes_of_the_tree_are_distinct() -> None:
    classes = [
        c
        for c in vars(errors).values()
        if isinstance(c, type) and issubclass(c, errors.EgovkitError)
    ]
    codes = [c.default_code for c in classes]
    assert len(codes) == len(set(codes)) >= 11


def test_str_names_code_and_place() -> None:
    error = errors.ParseError("bad", code="x.y", where="a.b", position=3)
    assert str(error) == "bad [x.y at a.b]"
    assert error.to_dict() == {"code": "x.y", "where": "a.b", "message": "bad", "position": 3}


def test_validation_error_lists_only_error_findings() -> None:
    findings = [
        Finding(code="a", where="one", message="first is missing"),
        Finding(code="b", where="two", message="advice", severity=Severity.WARNING),
        Finding(code="c", where="three", message="third is wrong"),
    ]
    error = errors.ValidationError.from_findings("thing", findings)
    assert [f.code for f in error.findings] == ["a", "c"]
    assert "2 check(s)" in str(error)
    assert "one: first is missing" in str(error)
    assert "three: third is wrong" in str(error)
    assert error.to_dict()["findings"] == [f.to_dict() for f in error.findings]


def test_python_hierarchy_lets_callers_catch_familiar_types() -> None:
    assert issubclass(errors.ParseError, ValueError)
    assert issubclass(errors.NotFoundError, LookupError)
    assert errors.RemoteError("down", retryable=True).retryable
