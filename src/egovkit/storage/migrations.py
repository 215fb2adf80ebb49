"""Versioned schema migrations: numbered steps, each applied once, recorded in
``schema_version``. A database newer than the code refuses to open instead of being damaged."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from egovkit.errors import ConfigurationError


@attrs.frozen(kw_only=True)
class Migration:
    """One step of a schema: its number (1, 2, …), why it exists, and its SQL statements."""

    version: int
    description: str
    statements: tuple[str, ...]


def pending(migrations: Sequence[Migration], current: int, *, where: str) -> list[Migration]:
    """The steps still to apply to a schema at ``current``, in order.

    Raises :class:`~egovkit.errors.ConfigurationError` when the schema is newer than the newest
    step this code knows (an older egovkit opening a newer database).
    """
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ConfigurationError(
            "migrations must be numbered 1, 2, 3, …", code="storage.migrations", where=where
        )
    if current > len(migrations):
        raise ConfigurationError(
            f"the database schema is at version {current}, newer than this egovkit knows "
            f"({len(migrations)}); upgrade egovkit",
            code="storage.schema_too_new",
            where=where,
        )
    return [m for m in migrations if m.version > current]


__all__ = ["Migration", "pending"]
