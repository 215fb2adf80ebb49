"""What a fresh interpreter has imported after running some code (for import-cost tests)."""

from __future__ import annotations

import subprocess
import sys


def modules_after(code: str) -> set[str]:
    """The names in ``sys.modules`` of a new interpreter once ``code`` has run."""
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return set(out.split())
