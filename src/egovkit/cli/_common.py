"""What every sub-command shares: exit codes, error reporting, JSON output."""

from __future__ import annotations

import json
import sys
from typing import Any, Final

from egovkit.errors import (
    ConfigurationError,
    EgovkitError,
    ParseError,
    RemoteError,
    StorageError,
    UnsafeInputError,
)

EXIT_OK: Final = 0
EXIT_CHECK_FAILED: Final = 1
EXIT_USAGE: Final = 2
EXIT_FAILED: Final = 3


def exit_code_for(error: EgovkitError) -> int:
    """2 for input that could not be read or a wrong set-up, 3 for a failing store or remote
    system, 1 for input that was read but failed a check."""
    if isinstance(error, (ParseError, UnsafeInputError, ConfigurationError)):
        return EXIT_USAGE
    if isinstance(error, (StorageError, RemoteError)):
        return EXIT_FAILED
    return EXIT_CHECK_FAILED


def report_error(error: EgovkitError) -> int:
    """Print ``error`` on standard error and give its exit code."""
    print(f"egovkit: error: {error}", file=sys.stderr)
    for finding in getattr(error, "findings", ()):
        print(f"  - {finding}", file=sys.stderr)
    return exit_code_for(error)


def print_json(data: Any) -> None:
    """Pretty JSON on standard output, Vietnamese kept readable."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
