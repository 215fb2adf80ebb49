"""The ``egovkit`` command.

Exit codes are a public contract: 0 success, 1 the input failed a check, 2 usage error or
unreadable input, 3 the operation failed for another reason (a store or remote system).
Each sub-command group lives in its own module of this package with a ``register(subparsers)``
function and an ``ORDER`` number (its place in ``--help``); modules are found, not listed.
Adapter distributions add their own groups through the ``egovkit.cli`` entry-point group (a
module with the same two names), so ``egovkit pdf …`` appears once ``egovkit-pdf`` is installed.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from egovkit import __version__
from egovkit.cli._common import EXIT_USAGE, report_error
from egovkit.errors import EgovkitError


def command_modules() -> list[ModuleType]:
    """Every public module of this package that registers sub-commands, in ``ORDER``."""
    found = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    ]
    commands = [m for m in (*found, *_adapter_modules()) if hasattr(m, "register")]
    return sorted(commands, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def _adapter_modules() -> list[ModuleType]:
    """Command modules that installed adapters declare in the ``egovkit.cli`` entry points;
    one that fails to import is left out rather than breaking every command."""
    from importlib.metadata import entry_points

    modules = []
    for entry in entry_points(group="egovkit.cli"):
        try:
            loaded = entry.load()
        except ImportError:
            continue
        if isinstance(loaded, ModuleType):
            modules.append(loaded)
    return modules


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="egovkit",
        description="Vietnamese e-government toolkit: documents, agency codes, signatures, "
        "one-stop dossiers, service levels and assessments.",
        epilog="Exit codes: 0 success, 1 input failed a check, 2 usage or unreadable input, "
        "3 operation failed.",
    )
    parser.add_argument("--version", action="version", version=f"egovkit {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in command_modules():
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.run(args)
    except EgovkitError as exc:
        return report_error(exc)
    except KeyboardInterrupt:
        print("egovkit: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
