"""The abstract interfaces (ports) that storage and external-system adapters implement.

The domain depends only on these; adapters in ``egovkit.storage`` and in the ``adapters/``
distributions implement them.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable

import attrs


def _parts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class SequenceKey:
    """Names one gap-free counter, e.g. ``register/000.00.00.H41/outgoing/main/2026/ordinary``."""

    namespace: str
    parts: tuple[str, ...] = attrs.field(converter=_parts)

    def __attrs_post_init__(self) -> None:
        if not self.namespace or any(not p or "/" in p for p in (self.namespace, *self.parts)):
            from egovkit.errors import ValidationError

            raise ValidationError(
                f"sequence key parts must be non-empty and free of '/': {self!r}",
                code="sequence_key.part",
                where="sequence_key",
            )

    def __str__(self) -> str:
        return "/".join((self.namespace, *self.parts))


class SequenceAllocator(abc.ABC):
    """Hands out gap-free numbers: 1, 2, 3, … per key, never the same number twice."""

    @abc.abstractmethod
    def allocate(self, key: SequenceKey) -> int:
        """Reserve and return the next number of ``key`` (1 for a new key)."""

    @abc.abstractmethod
    def current(self, key: SequenceKey) -> int:
        """The last number handed out for ``key`` (0 when none was)."""
