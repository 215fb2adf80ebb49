"""The ``egovkit`` command.

Exit codes are a public contract: 0 success, 1 the input failed a check, 2 usage error or
unreadable input, 3 the operation failed for another reason (a store or remote system).
Each sub-command group lives in its own module of this package with a ``register(subparsers)``
function and an ``ORDER`` number (its place in ``--help``); modules are found, not listed. They
import only :mod:`egovkit.cli.support` and the standard library at module level, so listing them
is cheap; the domain code a command needs loads when it runs.

Adapter distributions add their own groups through the ``egovkit.cli`` entry-point group: the
entry point's name is the command (``pdf``), its value a module with the same ``register``.
That module is imported only when its command runs (``--help`` lists the command with the
distribution's summary), so installing adapters does not slow down every other command. The
conventions every command follows are in :mod:`egovkit.cli.support`.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NamedTuple

from egovkit import __version__
from egovkit.cli.support import CommandParser, run_parser
from egovkit.errors import ConfigurationError


class AdapterCommand(NamedTuple):
    """A command an installed distribution declares in the ``egovkit.cli`` entry points."""

    name: str
    module: str
    distribution: str


def command_modules() -> list[ModuleType]:
    """Every public module of this package that registers sub-commands, in ``ORDER``, followed
    by every installed adapter's command module (this imports them all: for tools that walk
    the whole command tree, such as the CLI reference and its test)."""
    adapters = [_load_adapter(command) for command in adapter_commands()]
    return [*_builtin_modules(), *(m for m in adapters if m is not None)]


def _builtin_modules() -> list[ModuleType]:
    found = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_") and info.name != "support"
    ]
    commands = [m for m in found if hasattr(m, "register")]
    return sorted(commands, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def adapter_commands() -> list[AdapterCommand]:
    """The commands installed adapters declare, without importing them."""
    from importlib.metadata import entry_points

    found: dict[str, AdapterCommand] = {}
    for entry in entry_points(group="egovkit.cli"):
        dist = entry.dist.name if entry.dist is not None else ""
        found.setdefault(entry.name, AdapterCommand(entry.name, entry.value, dist))
    return sorted(found.values())


def _load_adapter(command: AdapterCommand) -> ModuleType | None:
    """The adapter's command module; one that fails to import is left out."""
    try:
        module = importlib.import_module(command.module.partition(":")[0])
    except ImportError:
        return None
    return module if hasattr(module, "register") else None


def _summary(command: AdapterCommand) -> str:
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        summaries = metadata(command.distribution).get_all("Summary") or [""]
    except PackageNotFoundError:  # pragma: no cover - an entry point always has its dist
        summaries = [""]
    return f"{summaries[0]} [{command.distribution}]".strip()


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser. With ``argv``, an adapter's command module is imported only when
    ``argv`` runs that command (others are listed by name and summary); without it, every
    command is registered in full."""
    parser = CommandParser(
        prog="egovkit",
        description="Vietnamese e-government toolkit: documents, agency codes, signatures, "
        "one-stop dossiers, service levels and assessments.",
        epilog="Exit codes: 0 success, 1 input failed a check, 2 usage or unreadable input, "
        "3 operation failed. Every command that prints data takes --json; its errors then "
        'come out as JSON too: {"error": {"code", "message", "where", …}}.',
    )
    parser.add_argument("--version", action="version", version=f"egovkit {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _builtin_modules():
        module.register(subparsers)
    chosen = _chosen_command(argv) if argv is not None else None
    for command in adapter_commands():
        if command.name in subparsers.choices:
            continue
        if argv is None or command.name == chosen:
            loaded = _load_adapter(command)
            if loaded is None and argv is not None:
                raise ConfigurationError(
                    f"the {command.name!r} command of {command.distribution} cannot be loaded: "
                    "reinstall that distribution",
                    code="cli.adapter",
                    where=command.name,
                )
            if loaded is not None:
                loaded.register(subparsers)
                continue
        text = _summary(command)
        subparsers.add_parser(command.name, help=text, description=text)
    return parser


def _chosen_command(argv: Sequence[str]) -> str | None:
    """The sub-command ``argv`` names: its first word that is not an option."""
    return next((word for word in argv if not word.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser(arguments)
    except ConfigurationError as exc:
        from egovkit.cli.support import report_error

        return report_error(exc, as_json="--json" in arguments)
    return run_parser(parser, arguments)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
