"""Reading portal JSON as hostile input: a size cap before parsing, a depth cap, and typed
errors that name the key at fault (``data[3].TrangThaiHoSo``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from egovkit.errors import ParseError, UnsafeInputError

#: The largest portal answer read, in bytes.
MAX_BODY: Final = 8 * 1024 * 1024
#: The deepest nesting accepted.
MAX_DEPTH: Final = 32
#: The longest text value accepted in any field.
MAX_TEXT: Final = 100_000
#: The most items accepted in one list.
MAX_ITEMS: Final = 100_000


def _depth(value: object, limit: int) -> None:
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            raise UnsafeInputError(
                f"portal JSON nests deeper than {limit}", code="dvcqg.json.depth", where="body"
            )
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            if len(item) > MAX_ITEMS:
                raise UnsafeInputError(
                    f"a portal list holds more than {MAX_ITEMS} items",
                    code="dvcqg.json.items",
                    where="body",
                )
            stack.extend((v, depth + 1) for v in item)
        elif isinstance(item, str) and len(item) > MAX_TEXT:
            raise UnsafeInputError(
                f"a portal text value is longer than {MAX_TEXT} characters",
                code="dvcqg.json.text",
                where="body",
            )


def load_json(body: bytes, *, limit: int = MAX_BODY) -> object:
    """Parse a portal body after checking its size, then its depth and sizes within."""
    if len(body) > limit:
        raise UnsafeInputError(
            f"the portal answered {len(body)} bytes, more than the {limit} accepted",
            code="dvcqg.json.too_large",
            where="body",
        )
    try:
        value = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ParseError(
            f"the portal did not answer JSON: {exc}", code="dvcqg.json.syntax", where="body"
        ) from exc
    _depth(value, MAX_DEPTH)
    return value


class Obj:
    """One portal object; every read names its key path in errors."""

    def __init__(self, value: object, where: str) -> None:
        if not isinstance(value, Mapping):
            raise ParseError(
                f"{where} must be an object, not {type(value).__name__}",
                code="dvcqg.json.type",
                where=where,
            )
        self.data: Mapping[str, Any] = value
        self.where = where

    def path(self, key: str) -> str:
        """The key path of ``key`` in this object."""
        return f"{self.where}.{key}" if self.where else key

    def _wrong(self, key: str, what: str) -> ParseError:
        found = type(self.data.get(key)).__name__
        return ParseError(
            f"{self.path(key)} must be {what}, not {found}",
            code="dvcqg.json.type",
            where=self.path(key),
        )

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        """A text value; numbers are read as their text (portals mix ``3`` and ``"3"``);
        a missing key is ``""`` unless ``required``."""
        if key not in self.data or self.data[key] is None:
            if required:
                raise ParseError(
                    f"{self.path(key)} is missing", code="dvcqg.json.missing", where=self.path(key)
                )
            return ""
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self._wrong(key, "text")
        text = str(value)
        if max_length is not None and len(text) > max_length:
            raise ParseError(
                f"{self.path(key)} is longer than {max_length} characters",
                code="dvcqg.json.too_long",
                where=self.path(key),
            )
        return text

    def integer(self, key: str, *, required: bool = False, default: int = 0) -> int:
        """A whole number written as a number or as digits."""
        text = self.text(key, required=required)
        if text == "":
            return default
        if not text.lstrip("-").isdigit() or len(text) > 18:
            raise ParseError(
                f"{self.path(key)} must be a whole number, not {text[:40]!r}",
                code="dvcqg.json.number",
                where=self.path(key),
            )
        return int(text)

    def items(self, key: str) -> list[Obj]:
        """The objects of a list (a missing key or ``null`` is an empty list)."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._wrong(key, "a list")
        return [Obj(v, f"{self.path(key)}[{i}]") for i, v in enumerate(value)]


__all__ = ["MAX_BODY", "MAX_DEPTH", "Obj", "load_json"]
