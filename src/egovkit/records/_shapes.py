"""One way to turn JSON data of the wrong shape into a :class:`~egovkit.errors.ValidationError`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from egovkit.errors import ValidationError


@contextmanager
def shaped(what: str, *, code: str, where: str) -> Iterator[None]:
    """Inside the block, a missing key or a wrong type or value becomes one ValidationError
    ("malformed ``what``"); egovkit's own validation errors pass through unchanged."""
    try:
        yield
    except ValidationError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValidationError(f"malformed {what}: {exc}", code=code, where=where) from exc
