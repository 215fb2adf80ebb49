"""Kept for command modules written before :mod:`egovkit.cli.support` was public; new code
imports from :mod:`egovkit.cli.support`."""

from __future__ import annotations

from egovkit.cli.support import (
    EXIT_CHECK_FAILED,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    exit_code_for,
    print_json,
    report_error,
)

__all__ = [
    "EXIT_CHECK_FAILED",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "exit_code_for",
    "print_json",
    "report_error",
]
