"""Every sub-command of ``egovkit``, the adapters' included, follows the CLI conventions of
:mod:`egovkit.cli.support`. The walk is generic: a command module added later is checked too.

The conventions follow the Command Line Interface Guidelines (clig.dev): ``-o/--output`` for
output files, ``--json`` for data, quiet exit when the reader closes the pipe, progress only on
a terminal, help text on every flag.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from egovkit.cli import adapter_commands, build_parser, main
from egovkit.cli.support import error_to_dict
from egovkit.errors import ParseError, ValidationError
from egovkit.findings import Finding, Severity


def _walk(
    parser: argparse.ArgumentParser, path: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser, bool]]:
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    yield path, parser, not groups
    for group in groups:
        for name, sub in group.choices.items():
            yield from _walk(sub, (*path, name))


COMMANDS = list(_walk(build_parser(), ()))[1:]
LEAVES = [(path, parser) for path, parser, leaf in COMMANDS if leaf]


def _ids(path: tuple[str, ...] | list[str]) -> str:
    return " ".join(path)


ALL_PARAMS = [pytest.param(path, parser, id=_ids(path)) for path, parser, _ in COMMANDS]
LEAF_PARAMS = [pytest.param(path, parser, id=_ids(path)) for path, parser in LEAVES]


def test_the_walk_sees_the_core_and_the_adapters() -> None:
    names = {path[0] for path, _ in LEAVES}
    assert {"calendar", "edxml", "assess", "backup", "exchange", "demo"} <= names
    assert {c.name for c in adapter_commands()} <= names  # pdf, portal with the adapters installed


@pytest.mark.parametrize(("path", "parser"), ALL_PARAMS)
def test_every_command_has_a_description(
    path: tuple[str, ...], parser: argparse.ArgumentParser
) -> None:
    assert parser.description, f"egovkit {_ids(path)} has no description"
    assert "strict=" not in parser.format_help()  # the user's terms, not Python's


@pytest.mark.parametrize(("path", "parser"), LEAF_PARAMS)
def test_every_leaf_follows_the_option_conventions(
    path: tuple[str, ...], parser: argparse.ArgumentParser
) -> None:
    options = {o: a for a in parser._actions for o in a.option_strings}
    assert "--json" in options, f"egovkit {_ids(path)} prints data but has no --json"
    for action in parser._actions:
        if action.option_strings and action.help is None:
            pytest.fail(f"egovkit {_ids(path)} {action.option_strings} has no help")
        if action.dest == "output" and action.help != argparse.SUPPRESS:
            assert action.option_strings == ["-o", "--output"]
        elif action.dest == "output":  # an older spelling, kept working but not shown
            assert "--out" in action.option_strings
    shown = parser.format_help()
    assert "--out " not in shown
    assert "--out\n" not in shown
    if "-o" in options:
        assert options["-o"].dest == "output"


@pytest.mark.parametrize(("path", "parser"), LEAF_PARAMS)
def test_usage_errors_are_json_under_json(
    path: tuple[str, ...], parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main([*path, "--json", "--no-such-option"])
    assert caught.value.code == 2
    out, err = capsys.readouterr()
    body = json.loads(out)["error"]
    assert body["code"] == "cli.usage"
    assert f"egovkit {_ids(path)}".startswith(body["where"])  # the parser that refused
    assert body["message"]  # a missing required argument, or the unknown option
    assert body["exit_code"] == 2
    assert err == ""


def test_usage_errors_stay_text_without_json(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["calendar", "days-off", "not-a-year"])
    assert caught.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "usage: egovkit calendar days-off" in err
    assert "egovkit calendar days-off: error: argument YEAR" in err


def test_command_errors_have_one_shape_under_json(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["validate", "/nonexistent/doc.json", "--json"],
        ["assess-check", "/nonexistent/rules.json", "--json"],
        ["calendar", "days-off", "1200", "--json"],
        ["services", "levels", "/nonexistent.csv", "--json"],
    ):
        assert main(argv) == 2, argv
        out, err = capsys.readouterr()
        body = json.loads(out)["error"]
        assert set(body) >= {"code", "message", "where", "exit_code"}, argv
        assert body["exit_code"] == 2
        assert err == ""


def test_the_error_shape_keeps_each_errors_details() -> None:
    finding = Finding(code="x.y", message="bad", where="subject", severity=Severity.ERROR)
    shaped = error_to_dict(ValidationError("failed", findings=[finding], code="doc.bad"))
    assert shaped["error"] == {
        "code": "doc.bad",
        "where": "",
        "message": "failed",
        "findings": [finding.to_dict()],
        "exit_code": 1,
    }
    assert error_to_dict(ParseError("no", code="p", position=3))["error"] == {
        "code": "p",
        "where": "",
        "message": "no",
        "position": 3,
        "exit_code": 2,
    }


def test_output_keeps_its_old_spelling(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    args = build_parser(["backup"]).parse_args(["backup", "--store", "memory://", "--out", "a"])
    assert str(args.output) == "a"
    args = build_parser(["demo"]).parse_args(["demo", "-o", "d"])
    assert str(args.output) == "d"
    with pytest.raises(SystemExit):
        main(["backup", "--store", "memory://"])  # one of the spellings is required
    assert "-o/--output" in capsys.readouterr().err


def _run(*code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "\n".join(code)], capture_output=True, text=True, check=True
    )


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["calendar", "--help"]])
def test_listing_commands_imports_no_domain_code(argv: list[str]) -> None:
    """``egovkit --help`` loads the command modules only (cheap), never an adapter's package
    or the domain code behind a command: that loads when the command runs."""
    done = _run(
        "import sys",
        "from egovkit.cli import main",
        "try:",
        f"    main({argv!r})",
        "except SystemExit:",
        "    pass",
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)",
    )
    loaded = set(done.stderr.split())
    assert "egovkit.cli.calendar" in loaded  # the walk happened
    heavy = {
        "lxml",
        "cryptography",
        "httpx",
        "sqlite3",
        "pyhanko",
        "egovkit.edxml",
        "egovkit.assessment",
        "egovkit.storage",
        "egovkit.signatures",
        "egovkit.documents",
        "egovkit.calendar",
        "egovkit.dossiers",
        *(c.module.partition(".")[0] for c in adapter_commands()),
    }
    assert not heavy & loaded, sorted(heavy & loaded)


def test_an_adapter_command_loads_when_it_runs() -> None:
    adapters = adapter_commands()
    if not adapters:
        pytest.skip("no adapter with commands installed")
    command = adapters[0]
    done = _run(
        "import sys",
        "from egovkit.cli import main",
        "try:",
        f"    main([{command.name!r}, '--help'])",
        "except SystemExit:",
        "    pass",
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)",
    )
    assert command.module in done.stderr.split()


@pytest.mark.parametrize(
    "argv", [["calendar", "days-off", "2026"], ["document-types", "--json"]], ids=_ids
)
def test_a_closed_pipe_ends_the_command_quietly(argv: list[str]) -> None:
    """``egovkit calendar days-off 2026 | head``: the reader is gone before the first line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "egovkit", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # like `head` exiting
    with process.stderr:
        err = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert err == b""


def test_progress_only_on_a_terminal() -> None:
    from egovkit.cli.support import progress_writer

    class Terminal:
        def __init__(self, tty: bool) -> None:
            self.tty, self.text = tty, ""

        def isatty(self) -> bool:
            return self.tty

        def write(self, text: str) -> int:
            self.text += text
            return len(text)

        def flush(self) -> None:
            pass

    quiet, loud = argparse.Namespace(quiet=True), argparse.Namespace(quiet=False)
    tty = Terminal(True)
    write = progress_writer(loud, tty)  # type: ignore[arg-type]
    assert write is not None
    write("• step\n")
    assert tty.text == "• step\n"
    assert progress_writer(quiet, Terminal(True)) is None  # type: ignore[arg-type]
    assert progress_writer(loud, Terminal(False)) is None  # type: ignore[arg-type]
    assert progress_writer(argparse.Namespace(json=True), Terminal(True)) is None  # type: ignore[arg-type]


def test_messages_speak_the_commands_terms(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agency-code", "28.22.H17"]) == 1
    out = capsys.readouterr().out
    assert "strict=" not in out
    assert "--lenient reads it" in out
