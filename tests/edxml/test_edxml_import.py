"""Reading and writing edXML must not make ``import egovkit.edxml`` pay for the documents domain
(Decree 30 types, registers, numbering): only the mapping to documents needs it."""

from __future__ import annotations

import pytest

from tests._imports import modules_after as _modules_after


def test_importing_edxml_does_not_load_the_documents_domain() -> None:
    loaded = _modules_after("import egovkit.edxml")
    assert "egovkit.edxml.reader" in loaded
    assert "egovkit.edxml.writer" in loaded
    assert not {m for m in loaded if m.startswith("egovkit.documents")}
    assert "egovkit.edxml.mapping" not in loaded


def test_the_mapping_loads_on_first_use() -> None:
    loaded = _modules_after("from egovkit.edxml import document_from_envelope")
    assert "egovkit.edxml.mapping" in loaded
    assert "egovkit.documents.model" in loaded


def test_unknown_names_still_fail() -> None:
    import egovkit.edxml

    with pytest.raises(AttributeError, match="nonexistent"):
        egovkit.edxml.nonexistent  # noqa: B018
    assert egovkit.edxml.document_id.__module__ == "egovkit.edxml.mapping"
