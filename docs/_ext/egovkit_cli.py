"""``.. egovkit-cli::``: the reference of every ``egovkit`` command, generated from its parser.

Each command (the installed adapters' included) gets a rubric with its name and its own
``--help`` text, so the page cannot drift from the code.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

WIDTH = "96"


def _walk(
    parser: argparse.ArgumentParser, path: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _walk(sub, (*path, name))


class CliReference(SphinxDirective):
    """Every command's ``--help``, in the order of ``egovkit --help``."""

    def run(self) -> list[nodes.Node]:
        from egovkit.cli import build_parser

        previous = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = WIDTH
        try:
            out: list[nodes.Node] = []
            for path, parser in _walk(build_parser(), ("egovkit",)):
                title = " ".join(path)
                target = "cli-" + "-".join(path[1:]) if len(path) > 1 else "cli"
                section = nodes.section(ids=[target])
                section += nodes.rubric(text=title)
                block = nodes.literal_block(text=parser.format_help().rstrip())
                block["language"] = "text"
                section += block
                out.append(section)
            return out
        finally:
            if previous is None:
                del os.environ["COLUMNS"]
            else:
                os.environ["COLUMNS"] = previous


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("egovkit-cli", CliReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
