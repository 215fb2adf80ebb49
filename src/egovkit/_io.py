"""Small helpers for reading user-supplied text sources (paths or open files)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from egovkit.errors import ParseError

TextSource = str | os.PathLike[str] | IO[str]


def read_text(source: TextSource, *, what: str) -> str:
    """The whole text of a path or an open text file, or a typed error naming ``what``."""
    if isinstance(source, (str, os.PathLike)):
        try:
            return Path(source).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ParseError(
                f"cannot read {what} from {os.fspath(source)!r}: {exc}", code="io.read", where=what
            ) from exc
    return source.read()
