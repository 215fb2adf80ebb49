"""``egovkit demo -o DIR``: play the demo story and write its reports."""

from __future__ import annotations

import argparse

from egovkit.cli.support import (
    EXIT_OK,
    Subparsers,
    add_command,
    add_json_option,
    add_output_option,
    add_quiet_option,
    emit,
    progress_writer,
)

#: Place in ``egovkit --help``.
ORDER = 10


def register(subparsers: Subparsers[argparse.ArgumentParser]) -> None:
    """Add the ``demo`` sub-command."""
    p = add_command(
        subparsers,
        "demo",
        help="run the whole story on a fictional province and write HTML and JSON reports",
        description=(
            "Play egovkit's story on Tỉnh Sông Lam (fictional): registers, a signed exchange "
            "between two agencies, a year of dossiers, service levels, the national-portal "
            "export (with egovkit-dvcqg installed) and assessments. Open DIR/index.html."
        ),
    )
    add_output_option(
        p,
        required=True,
        metavar="DIR",
        help="folder for the reports (created if missing; a previous demo's reports are replaced)",
        aliases=("--out",),
    )
    p.add_argument(
        "--store",
        metavar="URL",
        help="an empty store for registers, dossiers and the audit log "
        "(default: a fresh sqlite file DIR/egov.db)",
    )
    p.add_argument("--quick", action="store_true", help="a shorter year (fewer dossiers)")
    add_quiet_option(p)
    add_json_option(p, help="print the files written as JSON")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from egovkit.demo import run_demo

    write = progress_writer(args)

    def progress(message: str) -> None:
        if write is not None:
            write(f"• {message}\n")

    result = run_demo(args.output, store=args.store, progress=progress, quick=args.quick)
    files = [str(f) for f in result.files]
    emit(args, {"summary": files[-1], "files": files}, lambda data: data["summary"])
    return EXIT_OK
