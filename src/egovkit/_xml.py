"""The one place that says how egovkit parses XML safely.

Every parser built here refuses entity expansion, DTD loading and validation, network access,
huge trees and ID collection; callers add what their format needs (e.g. dropping comments)
but cannot switch those off.
"""

from __future__ import annotations

from typing import Final

from lxml import etree

_SAFE: Final = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "collect_ids": False,
}


def safe_parser(**options: bool) -> etree.XMLParser:
    """A new parser (lxml parsers are not safe to share between threads) with the safe
    settings and ``options`` on top; an option that would change a safe setting is refused."""
    clash = sorted(set(options) & set(_SAFE))
    if clash:
        raise ValueError(f"safe_parser does not let callers change {', '.join(clash)}")
    return etree.XMLParser(**_SAFE, **options)  # type: ignore[arg-type]
