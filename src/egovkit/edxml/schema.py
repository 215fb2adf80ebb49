"""The RELAX NG schema egovkit ships for edXML, and checking a parsed tree against it.

No official XSD of QCVN 102:2016 is public; ``edxml.rng`` is written from the reference and the
real messages, accepts children in any order (vendors differ) and is used by strict reads.
Integrators can use the file directly: ``schema_path()`` gives its location.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from lxml import etree

from egovkit._xml import safe_parser
from egovkit.findings import Finding, Severity

_NAME = "edxml.rng"


def schema_path() -> Path:
    """The installed ``edxml.rng`` file."""
    with resources.as_file(resources.files("egovkit.edxml").joinpath(_NAME)) as path:
        return Path(path)


@cache
def schema() -> etree.RelaxNG:
    """The compiled schema (loaded once)."""
    data = resources.files("egovkit.edxml").joinpath(_NAME).read_bytes()
    return etree.RelaxNG(etree.fromstring(data, safe_parser()))


def schema_findings(root: Any) -> list[Finding]:
    """One error finding per schema violation in the tree under ``root`` (an lxml element)."""
    validator = schema()
    if validator.validate(root):
        return []
    return [
        Finding(
            code="edxml.schema",
            where=entry.path or f"line {entry.line}",
            message=f"schema: {entry.message}",
            severity=Severity.ERROR,
        )
        for entry in validator.error_log
    ]


__all__ = ["schema", "schema_findings", "schema_path"]
