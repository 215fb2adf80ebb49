"""The hostile-input corpus: every case gives a typed error (or an error finding), fast.

Files and expectations are in ``hostile/`` (``make_corpus.py`` regenerates them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from egovkit import errors
from egovkit.edxml import Limits, read
from egovkit.edxml.zipwrap import unwrap
from egovkit.findings import Severity

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES: dict[str, dict[str, Any]] = json.loads((HOSTILE / "cases.json").read_text("utf-8"))


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25
    assert all((HOSTILE / name).is_file() for name in CASES)


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if "raises" in c))
def test_hostile_case_raises_typed_error(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    limits = Limits(**case["limits"])
    expected: type[errors.EgovkitError] = getattr(errors, case["raises"])

    def attempt() -> None:
        if name.endswith(".zip"):
            with (HOSTILE / name).open("rb") as stream:
                unwrap(stream, tmp_path, limits=limits)
        else:
            read(HOSTILE / name, limits=limits)

    with pytest.raises(expected) as caught:
        attempt()
    assert caught.value.code == case["code"]
    # Nothing is left behind by a refused ZIP.
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if "finding" in c))
def test_messy_case_gives_error_finding_and_strict_refuses(name: str) -> None:
    case = CASES[name]
    limits = Limits(**case["limits"])
    result = read(HOSTILE / name, limits=limits)
    matching = [f for f in result.findings if f.code == case["finding"]]
    assert matching, result.findings
    assert all(f.severity is Severity.ERROR for f in matching)
    with pytest.raises(errors.ValidationError) as caught:
        read(HOSTILE / name, limits=limits, strict=True)
    assert case["finding"] in {f.code for f in caught.value.findings}


@pytest.mark.parametrize("name", sorted(n for n in CASES if n.endswith(".edxml")))
def test_hostile_case_is_refused_from_a_stream_too(name: str) -> None:
    """Streaming in tiny chunks must not let a DOCTYPE or a payload slip between chunks."""
    case = CASES[name]
    limits = Limits(**{**case["limits"], "chunk_bytes": 7})
    data = (HOSTILE / name).read_bytes()
    if "raises" in case:
        with pytest.raises(getattr(errors, case["raises"])) as caught:
            read(data, limits=limits)
        assert caught.value.code == case["code"]
    else:
        assert case["finding"] in {f.code for f in read(data, limits=limits).findings}
