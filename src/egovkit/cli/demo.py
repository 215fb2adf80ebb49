"""``egovkit demo --out DIR``: play the demo story and write its reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from egovkit.cli._common import EXIT_OK

#: Place in ``egovkit --help``.
ORDER = 10


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``demo`` sub-command."""
    p = subparsers.add_parser(
        "demo",
        help="run the whole story on a fictional province and write HTML and JSON reports",
        description=(
            "Play egovkit's story on Tỉnh Sông Lam (fictional): registers, a signed exchange "
            "between two agencies, a year of dossiers, service levels, the national-portal "
            "export (with egovkit-dvcqg installed) and assessments. Open DIR/index.html."
        ),
    )
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder for the reports (created if missing; a previous demo's reports are replaced)",
    )
    p.add_argument(
        "--store",
        metavar="URL",
        help="an empty store for registers, dossiers and the audit log "
        "(default: a fresh sqlite file DIR/egov.db)",
    )
    p.add_argument("--quick", action="store_true", help="a shorter year (fewer dossiers)")
    p.add_argument("--quiet", action="store_true", help="print only the summary path")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from egovkit.demo import run_demo

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"• {message}", file=sys.stderr)

    result = run_demo(args.out, store=args.store, progress=progress, quick=args.quick)
    print(result.files[-1])
    return EXIT_OK
