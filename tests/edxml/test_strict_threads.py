"""Strict reads from many threads (issue 21): the compiled RELAX NG validator must not be shared.

lxml's ``RelaxNG`` object keeps one ``error_log`` per validator; validating from several
threads at once races on it, and a failed validation could come back with an *empty* log,
which made ``read(strict=True)`` accept an invalid envelope. Each thread has its own validator
now, and "invalid with an empty log" is itself an error.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import ClassVar

import pytest
from lxml import etree

from egovkit.edxml import read
from egovkit.edxml.schema import schema, schema_findings
from egovkit.errors import ValidationError

SAMPLE = Path(__file__).resolve().parent / "samples" / "status_acceptance_03.edxml"
THREADS = 8
READS = 400


def invalid_status() -> bytes:
    """A status message the reader accepts leniently (an unknown element is a warning) but the
    schema refuses, so only schema validation makes a strict read fail."""
    data = SAMPLE.read_bytes()
    return data.replace(
        b"<edXML:StatusCode>", b"<edXML:Mystery>?</edXML:Mystery><edXML:StatusCode>"
    )


def test_the_envelope_is_invalid_only_by_the_schema() -> None:
    data = invalid_status()
    assert read(data).ok
    with pytest.raises(ValidationError) as caught:
        read(data, strict=True)
    assert {f.code for f in caught.value.findings} == {"edxml.schema"}


def test_strict_reads_from_eight_threads_never_accept_an_invalid_envelope() -> None:
    data = invalid_status()
    start = threading.Barrier(THREADS)

    def reads() -> int:
        start.wait()
        accepted = 0
        for _ in range(READS):
            try:
                read(data, strict=True)
            except ValidationError as exc:
                accepted += not exc.findings  # a refusal that cannot say why counts too
            else:
                accepted += 1
        return accepted

    with ThreadPoolExecutor(THREADS) as pool:
        accepted = sum(pool.map(lambda _: reads(), range(THREADS)))
    assert accepted == 0


def test_each_thread_has_its_own_validator() -> None:
    here = schema()
    assert schema() is here
    with ThreadPoolExecutor(1) as pool:
        there = pool.submit(schema).result()
    assert there is not here


def test_an_invalid_result_with_an_empty_log_is_still_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Silent:
        """A validator that says "invalid" and logs nothing (what the race produced)."""

        error_log: ClassVar[list[object]] = []

        def validate(self, _root: object) -> bool:
            return False

    monkeypatch.setattr("egovkit.edxml.schema.schema", lambda: Silent())
    root = etree.fromstring(invalid_status())
    (finding,) = schema_findings(root)
    assert finding.code == "edxml.schema"
