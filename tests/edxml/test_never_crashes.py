"""Whatever bytes arrive, the reader returns a result or raises an egovkit error: never a crash."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovkit.edxml import Limits, read
from egovkit.errors import EgovkitError

SAMPLES = sorted((Path(__file__).resolve().parent / "samples").glob("*.edxml"))
DATA = [path.read_bytes() for path in SAMPLES]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(DATA)))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        position = draw(st.integers(min_value=0, max_value=len(data) - 1))
        action = draw(st.sampled_from(["flip", "delete", "insert"]))
        if action == "flip":
            data[position] = draw(st.integers(min_value=0, max_value=255))
        elif action == "delete":
            del data[position : position + draw(st.integers(min_value=1, max_value=40))]
        else:
            data[position:position] = draw(
                st.sampled_from(
                    [
                        b"<",
                        b">",
                        b"&",
                        b"<!--",
                        b"]]>",
                        b"<![CDATA[",
                        b"=",
                        b"\x00",
                        b"\x0c",
                        b"\x0b",
                        b"\xff",
                        b"&#12;",
                        b'xmlns:x="rel"',
                        b"<x:a/>",
                    ]
                )
            )
        if not data:
            break
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(), st.integers(min_value=7, max_value=4096))
def test_mutated_samples_never_crash(data: bytes, chunk: int) -> None:
    try:
        result = read(data, limits=Limits(chunk_bytes=chunk))
    except EgovkitError:
        return
    assert result.message.kind in ("edoc", "status")
