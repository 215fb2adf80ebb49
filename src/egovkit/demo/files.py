"""Files the demo owns in its output folder."""

from __future__ import annotations

import shutil
from pathlib import Path


def fresh(database: Path) -> None:
    """Remove a previous run's SQLite file, its journal files and its blob folder
    (``<file>.blobs``), so the store starts empty."""
    for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        leftover.unlink(missing_ok=True)
    blobs = Path(f"{database}.blobs")
    if blobs.is_dir() and not blobs.is_symlink():
        shutil.rmtree(blobs)
