"""The shared safe XML parser keeps its safety settings whatever a caller asks."""

from __future__ import annotations

import pytest
from lxml import etree

from egovkit._xml import safe_parser


def test_entities_are_never_expanded() -> None:
    bomb = b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]><r>&a;&a;</r>'
    root = etree.fromstring(bomb, safe_parser())
    assert "aaaaaaaaaa" not in etree.tostring(root).decode()


@pytest.mark.parametrize(
    ("option", "unsafe"),
    [("resolve_entities", True), ("load_dtd", True), ("huge_tree", True), ("no_network", False)],
)
def test_callers_cannot_switch_a_safe_setting(option: str, unsafe: bool) -> None:
    with pytest.raises(ValueError, match=option):
        safe_parser(**{option: unsafe})


def test_callers_add_their_own_options() -> None:
    root = etree.fromstring(b"<r><!-- c --><a/></r>", safe_parser(remove_comments=True))
    assert [child.tag for child in root] == ["a"]
