"""The RELAX NG schema egovkit ships for edXML, and checking a parsed tree against it.

No official XSD of QCVN 102:2016 is public; ``edxml.rng`` is written from the reference and the
real messages, accepts children in any order (vendors differ) and is used by strict reads.
Integrators can use the file directly: ``schema_path()`` gives its location.
"""

from __future__ import annotations

import threading
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
def _schema_bytes() -> bytes:
    return resources.files("egovkit.edxml").joinpath(_NAME).read_bytes()


_local = threading.local()


def schema() -> etree.RelaxNG:
    """The compiled schema of this thread (compiled once per thread).

    An lxml validator keeps its error log on itself, so one validator shared by threads races:
    a failed validation could come back with another thread's (empty) log. Each thread gets
    its own.
    """
    validator: etree.RelaxNG | None = getattr(_local, "validator", None)
    if validator is None:
        validator = etree.RelaxNG(etree.fromstring(_schema_bytes(), safe_parser()))
        _local.validator = validator
    return validator


def schema_findings(root: Any) -> list[Finding]:
    """One error finding per schema violation in the tree under ``root`` (an lxml element).

    "Invalid" with an empty error log is still an error finding: the verdict decides, not the
    log.
    """
    validator = schema()
    if validator.validate(root):
        return []
    findings = [
        Finding(
            code="edxml.schema",
            where=entry.path or f"line {entry.line}",
            message=f"schema: {entry.message}",
            severity=Severity.ERROR,
        )
        for entry in validator.error_log
    ]
    return findings or [
        Finding(
            code="edxml.schema",
            where="/",
            message="schema: the message does not match the edXML schema (no detail given)",
            severity=Severity.ERROR,
        )
    ]


__all__ = ["schema", "schema_findings", "schema_path"]
