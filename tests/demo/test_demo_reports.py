"""The demo's reports: escaping, a skipped portal chapter, another store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovkit.cli import main
from egovkit.demo import run_demo
from egovkit.demo.chapters import portal
from egovkit.demo.html import Html, esc, page, table, tag
from egovkit.errors import ConfigurationError


@given(st.text())
def test_any_text_is_escaped(text: str) -> None:
    cell = table(["h"], [(text,)])
    inner = cell.split("<td>", 1)[1].rsplit("</td>", 1)[0]
    assert "<" not in inner
    assert ">" not in inner
    assert '"' not in inner


def test_markup_built_here_is_kept_and_attributes_are_escaped() -> None:
    link = tag("a", "<b>", href='x" onclick="y')
    assert link == '<a href="x&#34; onclick=&#34;y">&lt;b&gt;</a>'  # markupsafe's quote entity
    assert esc(Html("<i>ok</i>")) == "<i>ok</i>"
    assert "&lt;script&gt;" in page("<script>", Html(""))


def test_without_the_portal_adapter_the_chapter_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(portal, "find_portal", lambda name=portal.NAME: None)
    messages: list[str] = []
    result = run_demo(tmp_path, quick=True, progress=messages.append)
    data = json.loads((tmp_path / "portal.json").read_text(encoding="utf-8"))
    assert "not installed" in data["skipped"]
    assert data["exported"] == 0
    assert not (tmp_path / portal.EXPORT).exists()
    assert any("portal export: skipped" in m for m in messages)
    assert "Skipped:" in (tmp_path / "portal.html").read_text(encoding="utf-8")
    # the assessments still run: nothing was synchronised, and the explanation says 0/n
    scores = json.loads((tmp_path / "assessments.json").read_text(encoding="utf-8"))
    assert scores["qd766"]["units"][0]["score"] is not None
    assert [c.slug for c in result.chapters][-2:] == ["assessments", "handling"]


def test_an_in_memory_store(tmp_path: Path) -> None:
    result = run_demo(tmp_path, store="memory://", quick=True)
    assert not (tmp_path / "egov.db").exists()
    assert not (tmp_path / "department.db").exists()
    assert result.index.is_file()
    data = json.loads((tmp_path / "exchange.json").read_text(encoding="utf-8"))
    assert data["verified"] == 5


def test_a_store_that_already_holds_a_story_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'kept.db'}"
    run_demo(tmp_path / "first", store=url, quick=True)
    with pytest.raises(ConfigurationError) as refused:
        run_demo(tmp_path / "second", store=url, quick=True)
    assert refused.value.code == "demo.store.not_empty"
    assert (
        main(["demo", "--out", str(tmp_path / "third"), "--store", url, "--quick"]) == 2
    )  # a set-up error
    assert "demo.store.not_empty" in capsys.readouterr().err
