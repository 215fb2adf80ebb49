"""The conventions every ``egovkit`` sub-command follows, as helpers (public: adapters use them).

A command module registers its parsers with :func:`add_command` (a description is required),
adds :func:`add_json_option` when it prints data, :func:`add_output_option` when it writes a
file (``-o/--output``; older spellings stay as hidden aliases), :func:`add_quiet_option` when
it reports progress, and prints with :func:`emit`. :func:`run_parser` runs a parsed command the
same way for ``egovkit`` and for an adapter's own console script: errors are reported in one
shape (:func:`error_to_dict`, as JSON on standard output under ``--json``), a closed pipe
(``egovkit … | head``) ends the command quietly, Ctrl-C exits 130.

Exit codes are a public contract: :data:`EXIT_OK` 0 success, :data:`EXIT_CHECK_FAILED` 1 the
input failed a check, :data:`EXIT_USAGE` 2 usage error or unreadable input, :data:`EXIT_FAILED`
3 the operation failed for another reason (a store or remote system).

This module imports only the standard library and :mod:`egovkit.errors`, so that ``egovkit
--help`` stays fast: a command module keeps its heavier imports inside the functions that run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any, Final, NoReturn

from egovkit.errors import (
    ConfigurationError,
    EgovkitError,
    ParseError,
    RemoteError,
    StorageError,
    UnsafeInputError,
)

#: Success.
EXIT_OK: Final = 0
#: The input was read but failed a check.
EXIT_CHECK_FAILED: Final = 1
#: A usage error, or input that could not be read (missing, not JSON, unsafe).
EXIT_USAGE: Final = 2
#: The operation failed for another reason (a store or a remote system).
EXIT_FAILED: Final = 3
#: The exit code after Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED: Final = 130

#: The type of the object ``add_subparsers`` returns, for ``register(subparsers)`` signatures.
Subparsers = argparse._SubParsersAction


class UsageError(Exception):
    """A command line that argparse could not read; reported like any other error."""

    def __init__(self, message: str, *, prog: str, usage: str) -> None:
        super().__init__(message)
        self.message = message
        self.prog = prog
        self.usage = usage

    def to_dict(self) -> dict[str, object]:
        return {"code": "cli.usage", "where": self.prog, "message": self.message}


class CommandParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are raised, not printed, so that :func:`run_parser`
    can print them as JSON under ``--json`` (sub-parsers inherit the class)."""

    def error(self, message: str) -> NoReturn:
        """Raise :class:`UsageError` with ``message`` (argparse would print and exit)."""
        raise UsageError(message, prog=self.prog, usage=self.format_usage())


def add_command(
    subparsers: Subparsers[argparse.ArgumentParser],
    name: str,
    *,
    help: str,
    description: str | None = None,
    aliases: Sequence[str] = (),
) -> argparse.ArgumentParser:
    """A sub-command with its one-line ``help`` (in the list) and a ``description`` (on its own
    ``--help``; by default the ``help`` line as a sentence)."""
    text = description or _sentence(help)
    return subparsers.add_parser(name, help=help, description=text, aliases=list(aliases))


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ")")) else text + "."


def add_json_option(parser: argparse.ArgumentParser, help: str = "print JSON") -> None:
    """``--json``: print data (and errors, as ``{"error": {…}}``) as JSON on standard output."""
    parser.add_argument("--json", action="store_true", help=help)


def add_output_option(
    parser: argparse.ArgumentParser,
    *,
    required: bool = False,
    metavar: str = "FILE",
    help: str = "write here instead of standard output",
    aliases: Sequence[str] = (),
    type: Callable[[str], Any] = Path,
) -> None:
    """``-o/--output``; ``aliases`` (``--out``) are older spellings that keep working, hidden
    from ``--help``. Whichever spelling is used, the value lands in ``args.output``."""
    if not aliases:
        parser.add_argument(
            "-o",
            "--output",
            dest="output",
            required=required,
            metavar=metavar,
            help=help,
            type=type,
        )
        return
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("-o", "--output", dest="output", metavar=metavar, help=help, type=type)
    for alias in aliases:
        group.add_argument(alias, dest="output", metavar=metavar, help=argparse.SUPPRESS, type=type)


def add_quiet_option(parser: argparse.ArgumentParser) -> None:
    """``--quiet``: no progress messages (they are only written to a terminal anyway)."""
    parser.add_argument("--quiet", action="store_true", help="print no progress messages")


def progress_writer(
    args: argparse.Namespace, stream: IO[str] | None = None
) -> Callable[[str], None] | None:
    """Where progress goes: ``stream`` (standard error) when it is a terminal and neither
    ``--quiet`` nor ``--json`` was given; else ``None`` (no progress at all)."""
    out = sys.stderr if stream is None else stream
    if getattr(args, "quiet", False) or getattr(args, "json", False):
        return None
    isatty = getattr(out, "isatty", None)
    if isatty is None or not isatty():
        return None

    def write(text: str) -> None:
        out.write(text)
        out.flush()

    return write


def exit_code_for(error: EgovkitError) -> int:
    """2 for input that could not be read or a wrong set-up, 3 for a failing store or remote
    system, 1 for input that was read but failed a check."""
    if isinstance(error, (ParseError, UnsafeInputError, ConfigurationError)):
        return EXIT_USAGE
    if isinstance(error, (StorageError, RemoteError)):
        return EXIT_FAILED
    return EXIT_CHECK_FAILED


def error_to_dict(error: EgovkitError | UsageError) -> dict[str, object]:
    """The one error shape: ``{"error": {"code", "message", "where", …}}`` (the error's own
    ``to_dict()``, e.g. with ``findings`` or ``position``, and its ``exit_code``)."""
    body = dict(error.to_dict())
    body["exit_code"] = EXIT_USAGE if isinstance(error, UsageError) else exit_code_for(error)
    return {"error": body}


def report_error(error: EgovkitError | UsageError, *, as_json: bool = False) -> int:
    """Report ``error`` (as JSON on standard output under ``--json``, else as text on standard
    error) and give its exit code."""
    data = error_to_dict(error)
    body = data["error"]
    assert isinstance(body, dict)
    if as_json:
        print_json(data)
    elif isinstance(error, UsageError):
        sys.stderr.write(error.usage)
        print(f"{error.prog}: error: {error.message}", file=sys.stderr)
    else:
        print(f"egovkit: error: {error}", file=sys.stderr)
        for finding in getattr(error, "findings", ()):
            print(f"  - {finding}", file=sys.stderr)
    code = body["exit_code"]
    assert isinstance(code, int)
    return code


def print_json(data: Any) -> None:
    """Pretty JSON on standard output, Vietnamese kept readable."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def emit(
    args: argparse.Namespace,
    data: Any,
    text: Callable[[Any], Iterable[str] | str],
) -> None:
    """Print ``data`` as JSON under ``--json``, else the lines ``text(data)`` gives."""
    if getattr(args, "json", False):
        print_json(data)
        return
    lines = text(data)
    for line in [lines] if isinstance(lines, str) else lines:
        print(line)


def write_output(content: str | bytes, output: Path | None) -> None:
    """``content`` to the ``--output`` file, or to standard output when there is none."""
    if output is None:
        if isinstance(content, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(content)
        else:
            sys.stdout.write(content)
        return
    try:
        if isinstance(content, bytes):
            output.write_bytes(content)
        else:
            output.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(
            f"cannot write {output}: {exc.strerror}", code="io.write", where=str(output)
        ) from exc


def run_parser(parser: argparse.ArgumentParser, argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command's ``run(args)``; return the exit code.

    Usage errors and :class:`~egovkit.errors.EgovkitError` are reported by
    :func:`report_error` (a usage error then raises ``SystemExit(2)``, as argparse does, so
    ``--help``, ``--version`` and bad arguments all leave the same way); a reader that closes
    the pipe early ends the command quietly with exit 0; Ctrl-C exits 130.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in arguments
    try:
        try:
            args = parser.parse_args(arguments)
        except UsageError as exc:  # leaves like argparse's own errors: SystemExit(2)
            raise SystemExit(report_error(exc, as_json=as_json)) from None
        run = getattr(args, "run", None)
        if run is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        try:
            code: int = run(args)
        except EgovkitError as exc:
            code = report_error(exc, as_json=bool(getattr(args, "json", as_json)))
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        print("egovkit: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's own flush at exit
    does not fail again on the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture it)
        pass


__all__ = [
    "EXIT_CHECK_FAILED",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "CommandParser",
    "Subparsers",
    "UsageError",
    "add_command",
    "add_json_option",
    "add_output_option",
    "add_quiet_option",
    "emit",
    "error_to_dict",
    "exit_code_for",
    "print_json",
    "progress_writer",
    "report_error",
    "run_parser",
    "write_output",
]
