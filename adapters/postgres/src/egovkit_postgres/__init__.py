"""PostgreSQL store for egovkit (psycopg 3): ``open_store("postgresql://user@host/db")``.

Installing this distribution registers the ``postgresql`` and ``postgres`` URL schemes in the
``egovkit.stores`` entry-point group; :func:`open_postgres` is what they point to.
"""

from __future__ import annotations

from egovkit_postgres.store import PostgresBlobStore, PostgresEngine, open_postgres

__version__ = "0.1.0.dev0"

__all__ = ["PostgresBlobStore", "PostgresEngine", "__version__", "open_postgres"]
