"""External tools in tests: skipped on a developer's machine, a failure in CI.

A test that needs xmlsec1, pdfsig, SoftHSM2, PostgreSQL or Chromium skips when the tool is
missing, so that ``pytest`` runs anywhere; with ``CI=true`` (as GitHub Actions, GitLab CI and
most others set it) the same test *fails*, so a pipeline cannot go green with an install step
missing. Use the ``needs_tool`` marker (registered by :mod:`egovkit.testing.pytest_plugin`)::

    @pytest.mark.needs_tool("xmlsec1", install="Debian package xmlsec1")
    def test_against_xmlsec1() -> None: ...

or, where the check is not a command on ``PATH``, :func:`require` inside a test or fixture.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from typing import NoReturn

import pytest

#: Values of ``CI`` that mean "running in continuous integration".
_TRUE = frozenset({"1", "true", "yes", "on"})


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``CI`` is set to a true value (``true``, ``1``, ``yes``, ``on``)."""
    value = (os.environ if environ is None else environ).get("CI", "")
    return value.strip().lower() in _TRUE


def tool_missing(what: str, *, install: str) -> NoReturn:
    """Skip the running test because ``what`` is missing, or fail it under ``CI=true``."""
    message = f"{what} is not installed ({install})"
    if in_ci():
        pytest.fail(f"{message}; with CI=true every tool the tests use must be installed")
    pytest.skip(message)


def require(found: object, what: str, *, install: str) -> None:
    """Go on if ``found`` is truthy (a path, a module, ``True``); else :func:`tool_missing`."""
    if not found:
        tool_missing(what, install=install)


def require_executable(*names: str, install: str) -> str:
    """The path of the first of ``names`` found on ``PATH``; else :func:`tool_missing`."""
    for name in names:
        found = shutil.which(name)
        if found is not None:
            return found
    tool_missing(" or ".join(names), install=install)


__all__ = ["in_ci", "require", "require_executable", "tool_missing"]
