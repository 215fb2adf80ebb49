"""Base64 for attachment payloads: ``pybase64`` when installed (``egovkit[speed]``), else binascii.

pybase64 decodes 20-40 times faster (SIMD), which is most of what reading a large attachment
costs. The decoder hands these functions only text it has already checked (whole 4-character
quanta, alphabet only, padding only at the end), where both give the same bytes;
tests/edxml/test_base64.py feeds both the same inputs, valid and not, and compares.
"""

from __future__ import annotations

import binascii
from collections.abc import Callable
from typing import Final

import attrs


@attrs.frozen(kw_only=True)
class Backend:
    """One implementation: ``strict`` refuses anything but plain base64 (raising
    :class:`binascii.Error`), ``checked`` decodes text already checked, ``encode`` writes base64
    without line breaks."""

    name: str
    strict: Callable[[bytes | memoryview], bytes]
    checked: Callable[[bytes | memoryview], bytes]
    encode: Callable[[bytes], bytes]


def _strict(chars: bytes | memoryview) -> bytes:
    return binascii.a2b_base64(chars, strict_mode=True)


def _encode(data: bytes) -> bytes:
    return binascii.b2a_base64(data, newline=False)


BINASCII: Final = Backend(
    name="binascii", strict=_strict, checked=binascii.a2b_base64, encode=_encode
)


def _pybase64() -> Backend | None:
    try:
        import pybase64
    except ImportError:
        return None

    def strict(chars: bytes | memoryview) -> bytes:
        return pybase64.b64decode(chars, validate=True)

    def checked(chars: bytes | memoryview) -> bytes:
        return pybase64.b64decode(chars, validate=True)

    return Backend(name="pybase64", strict=strict, checked=checked, encode=pybase64.b64encode)


#: pybase64 when it is installed; ``None`` otherwise.
PYBASE64: Final = _pybase64()
#: The implementation the reader and the writer use.
ACTIVE: Final = PYBASE64 or BINASCII

__all__ = ["ACTIVE", "BINASCII", "PYBASE64", "Backend"]
